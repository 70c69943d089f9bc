"""Exports of a map: FollowTheMoney entities (for Aleph and OpenSanctions users) and GraphML (networkx).

FtM has no supply edge or facility schema: each node is a ``Company`` with an ``Address`` entity,
each link an ``UnknownLink`` (subject = supplier, object = buyer, role = what is supplied, its custody
model and share), and each risky node a ``Risk`` with the ``forced.labor`` topic and the engine's reasons.
"""

from __future__ import annotations

import io
import json
from typing import Any

from section307.supplychain.models import SupplyChainMap
from section307.supplychain.risk import MapRisk, map_risk

NS = "section307-supplychain"


def ftm_entities(chain_map: SupplyChainMap, risk: MapRisk | None = None) -> list[dict[str, Any]]:
    from followthemoney import model

    risk = risk or map_risk(chain_map)
    out: list[dict[str, Any]] = []
    ids: dict[int, str] = {}
    for node in sorted(risk.nodes.values(), key=lambda n: (n.tier, n.pk)):
        company = model.make_entity("Company")
        company.make_id(NS, str(chain_map.pk), "node", str(node.pk))
        company.add("name", node.name)
        if node.country_id:
            company.add("country", node.country_id.lower())
        if node.identifier:
            company.add("registrationNumber", node.identifier)
        company.add("description", f"Tier {node.tier} in supply chain {chain_map.title}")
        if node.address:
            address = model.make_entity("Address")
            address.make_id(NS, str(chain_map.pk), "address", str(node.pk))
            address.add("full", node.address)
            if node.country_id:
                address.add("country", node.country_id.lower())
            company.add("addressEntity", address.id)
            out.append(address.to_dict())
        ids[node.pk] = str(company.id)
        out.append(company.to_dict())
        if node.risk_level != "clear":
            risky = model.make_entity("Risk")
            risky.make_id(NS, str(chain_map.pk), "risk", str(node.pk))
            risky.add("entity", company.id)
            risky.add("topics", "forced.labor")
            risky.add("status", node.risk_level)
            for signal in node.risk_signals:
                risky.add("reason", str(signal.get("detail", "")))
                if signal.get("order_id"):
                    risky.add("programId", str(signal["order_id"]))
            out.append(risky.to_dict())
    for link in risk.links:
        edge = model.make_entity("UnknownLink")
        edge.make_id(NS, str(chain_map.pk), "link", str(link.pk))
        edge.add("subject", ids[link.supplier_id])
        edge.add("object", ids[link.buyer_id])
        share = f", share {link.share}" if link.share is not None else ""
        edge.add("role", f"supplies {link.good_key or link.hts} ({link.get_custody_model_display()}{share})")
        if link.period_start:
            edge.add("startDate", link.period_start.isoformat())
        if link.period_end:
            edge.add("endDate", link.period_end.isoformat())
        out.append(edge.to_dict())
    return out


def ftm_json_lines(chain_map: SupplyChainMap) -> bytes:
    """One entity per line, as ``ftm`` and Aleph read them."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ftm_entities(chain_map)).encode()


def graphml(chain_map: SupplyChainMap, risk: MapRisk | None = None) -> bytes:
    import networkx as nx

    risk = risk or map_risk(chain_map)
    on_path = {n.pk for p in risk.paths for n in p.nodes}
    graph = nx.DiGraph(name=chain_map.title)
    for node in risk.nodes.values():
        graph.add_node(
            f"n{node.pk}",
            label=node.name,
            tier=node.tier,
            country=node.country_id or "",
            address=node.address,
            identifier=node.identifier,
            match_status=node.match_status,
            risk_level=node.risk_level,
            on_risky_path=node.pk in on_path,
        )
    for link in risk.links:
        graph.add_edge(
            f"n{link.supplier_id}",
            f"n{link.buyer_id}",
            id=f"l{link.pk}",
            tier=link.tier,
            good=link.good_key,
            hts=link.hts,
            share=float(link.share) if link.share is not None else -1.0,
            custody_model=link.custody_model,
        )
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()
