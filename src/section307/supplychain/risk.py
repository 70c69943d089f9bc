"""Upstream risk: each node screened by the port's screener, taint carried downstream to the imported good.

A node is screened as the port screens an entry line naming it as manufacturer: its name, address,
identifier and country, and the good it supplies (HTS and name). The signals that count are an order
or presumption (party, identifier, region: ``hit``), and a possible match or the DOL List for that good
and country (``review``). The imported good is at risk when any node upstream of it is; the upstream set
comes from one recursive query, the paths from the map's links (see ``rules.path_ruling``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from section307.supplychain.models import Link, Node, RiskLevel, SupplyChainMap
from section307.supplychain.rules import path_ruling

_RANK = {RiskLevel.CLEAR: 0, RiskLevel.REVIEW: 1, RiskLevel.HIT: 2}
COUNTED_KINDS = {"party", "identifier", "region", "dol"}


def screening_row(node: Any, goods: list[tuple[str, str]]) -> dict[str, Any]:
    """The entry-line columns the engine reads, for one node (a ``Node`` or an import plan's node) and
    the goods (HTS, name) it supplies."""
    hts = next((h for h, _ in goods if h), "")
    names = sorted({n for _, n in goods if n})
    country = getattr(node, "country_id", None) if isinstance(node, Node) else node.country
    return {
        "entry_number": "supply-chain",
        "line": str(getattr(node, "pk", "") or ""),
        "manufacturer": node.name,
        "manufacturer_address": node.address,
        "country_of_origin": country or "",
        "hts": hts,
        "description": ", ".join(names) or node.name,
        "identifiers": node.identifier,
    }


def counted_signals(signals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The signals that make a node risky: TIP tiers are context, and DOL lines for what the node's
    good is made from belong to the nodes that supply those inputs."""
    return [
        s
        for s in signals
        if s.get("kind") in COUNTED_KINDS and s.get("level") in ("hit", "review") and not s.get("derived")
    ]


def node_level(signals: list[dict[str, Any]]) -> str:
    best = RiskLevel.CLEAR
    for s in signals:
        level = RiskLevel(s["level"])
        if _RANK[level] > _RANK[best]:
            best = level
    return best


def upstream_risky(map_id: int, *, max_depth: int = 64) -> list[tuple[int, int]]:
    """(node id, fewest links to the imported good) of every risky node upstream of the map's tier-0 nodes.

    One recursive query over the link table (indexed on buyer), the same SQL on SQLite and PostgreSQL.
    """
    node_t, link_t = Node._meta.db_table, Link._meta.db_table
    sql = f"""
        WITH RECURSIVE up(node_id, depth) AS (
            SELECT id, 0 FROM {node_t} WHERE map_id = %s AND tier = 0
            UNION
            SELECT l.supplier_id, up.depth + 1 FROM {link_t} l JOIN up ON l.buyer_id = up.node_id
            WHERE up.depth < %s
        )
        SELECT n.id, MIN(up.depth) FROM up JOIN {node_t} n ON n.id = up.node_id
        WHERE n.risk_level IN ('hit', 'review') GROUP BY n.id
    """  # noqa: S608  (table names come from model metadata)
    with connection.cursor() as cursor:
        cursor.execute(sql, [map_id, max_depth])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


@dataclass
class RiskPath:
    level: str
    source: Node
    nodes: list[Node]
    links: list[Link]
    reasons: list[dict[str, Any]]
    rule: str
    note: str
    lists: list[str] = field(default_factory=list)


@dataclass
class MapRisk:
    level: str
    paths: list[RiskPath]
    nodes: dict[int, Node]
    links: list[Link]


def map_risk(chain_map: SupplyChainMap) -> MapRisk:
    """Every risky upstream node's shortest path to the imported good, with its ruling and reasons, and
    the whole map (every node and link as objects, for the map page, the tables and the exports)."""
    nodes = {n.pk: n for n in Node.objects.filter(map=chain_map).select_related("country", "party")}
    links = list(Link.objects.filter(map=chain_map).order_by("id"))
    risky = upstream_risky(chain_map.pk)
    if not risky:
        return MapRisk(RiskLevel.CLEAR, [], nodes, links)
    edges = [(lk.pk, lk.supplier_id, lk.buyer_id) for lk in links]
    roots = [pk for pk, n in nodes.items() if n.tier == 0]
    link_of = {lk.pk: lk for lk in links}
    level, paths = _paths(risky, _next_hops(roots, edges), nodes, link_of)
    return MapRisk(level, paths, nodes, links)


def risk_paths(chain_map: SupplyChainMap) -> tuple[str, list[RiskPath]]:
    """The map's level and risky paths only (``GET /supply-chains/{id}/risk``, the case page): the walk
    reads the link table's id columns, and only the nodes and links on a path are loaded as objects."""
    risky = upstream_risky(chain_map.pk)
    if not risky:
        return RiskLevel.CLEAR, []
    with connection.cursor() as cursor:
        # The id columns only, straight from the cursor: the ORM's per-row work would dominate here.
        cursor.execute(
            f"SELECT id, supplier_id, buyer_id FROM {Link._meta.db_table} WHERE map_id = %s",  # noqa: S608
            [chain_map.pk],
        )
        edges = cursor.fetchall()
    roots = list(Node.objects.filter(map=chain_map, tier=0).values_list("id", flat=True))
    hop = _next_hops(roots, edges)
    on_path_links: set[int] = set()
    on_path_nodes: set[int] = set()
    for node_id, _depth in risky:
        on_path_nodes.add(node_id)
        at = node_id
        while at in hop:
            link_id, at = hop[at]
            on_path_links.add(link_id)
            on_path_nodes.add(at)
    nodes = Node.objects.select_related("country", "party").in_bulk(on_path_nodes)
    links = Link.objects.in_bulk(on_path_links)
    return _paths(risky, hop, nodes, links)


def _paths(
    risky: list[tuple[int, int]], hop: dict[int, tuple[int, int]], nodes: dict[int, Node], links: dict[int, Link]
) -> tuple[str, list[RiskPath]]:
    paths: list[RiskPath] = []
    for node_id, _depth in sorted(risky, key=lambda r: (-r[1], r[0])):
        source = nodes[node_id]
        trail = [links[link_id] for link_id in _trail(node_id, hop)]
        if not trail:
            continue
        signals = counted_signals(source.risk_signals)
        lists = {str(s["list"]) for s in signals if s.get("list") and s.get("level") == "hit"}
        ruling = path_ruling(
            source_level=source.risk_level, lists=lists, custody=[link.custody_model for link in trail]
        )
        path_nodes = [source] + [nodes[link.buyer_id] for link in trail]
        paths.append(
            RiskPath(ruling.level, source, path_nodes, trail, signals, ruling.rule, ruling.note, sorted(lists))
        )
    paths.sort(key=lambda p: (-_RANK[RiskLevel(p.level)], -len(p.links), p.source.name))
    level = max((RiskLevel(p.level) for p in paths), key=lambda lv: _RANK[lv], default=RiskLevel.CLEAR)
    return level, paths


def _next_hops(roots: list[int], edges: list[tuple[int, int, int]]) -> dict[int, tuple[int, int]]:
    """For every node upstream of the imported good, the (link, buyer) that starts its shortest path to
    it: one breadth-first pass from the tier-0 nodes over the links (id, supplier, buyer) reversed, so
    each node is reached once."""
    suppliers_of: dict[int, list[tuple[int, int]]] = {}
    for link_id, supplier, buyer in edges:
        suppliers_of.setdefault(buyer, []).append((link_id, supplier))
    seen = set(roots)
    hop: dict[int, tuple[int, int]] = {}
    queue: deque[int] = deque(roots)
    while queue:
        at = queue.popleft()
        for link_id, supplier in suppliers_of.get(at, ()):
            if supplier not in seen:
                seen.add(supplier)
                hop[supplier] = (link_id, at)
                queue.append(supplier)
    return hop


def _trail(start: int, hop: dict[int, tuple[int, int]]) -> list[int]:
    trail: list[int] = []
    at = start
    while at in hop:
        link_id, at = hop[at]
        trail.append(link_id)
    return trail
