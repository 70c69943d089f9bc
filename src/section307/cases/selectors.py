"""Reads for cases, always through the object-level rules in ``cases.permissions``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.ilo import RELIABLE, STRENGTH_WEIGHT, Dimension, Element, Indicator, Strength
from section307.cases.lifecycle import CASE_LIFECYCLE, GATES
from section307.cases.models import Case, CaseTask, Evidence, IndicatorTag, OrderChangeRequest, OrderProposal, Phase
from section307.core.types import Actor, account


def case_list(
    *, user: Actor, phase: str = "", query: str = "", priority: str = "", mine: bool = False
) -> QuerySet[Case]:
    qs = perms.visible_cases(user).select_related("owner", "agency")
    if phase == "open":
        qs = qs.exclude(phase=Phase.CLOSED)
    elif phase:
        qs = qs.filter(phase=phase)
    if priority:
        qs = qs.filter(priority=priority)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(team=user)).distinct()
    if query:
        qs = qs.filter(
            Q(reference__icontains=query) | Q(title__icontains=query) | Q(parties__name__icontains=query)
        ).distinct()
    return qs.annotate(open_tasks=Count("tasks", filter=Q(tasks__status=CaseTask.Status.OPEN), distinct=True)).order_by(
        "-updated_at"
    )


def case_for(*, user: Actor, reference: str) -> Case | None:
    """The case if this user may see it, else None (views answer 404 so existence is not revealed)."""
    case = Case.objects.select_related("owner", "agency", "template", "merged_into").filter(reference=reference).first()
    if case is None or not perms.can_view(user, case):
        return None
    return case


def tasks_for_user(*, user: Actor) -> QuerySet[CaseTask]:
    acct = account(user)
    if acct is None:
        return CaseTask.objects.none()
    return (
        CaseTask.objects.filter(assignee=acct, status=CaseTask.Status.OPEN, case__in=perms.visible_cases(user))
        .select_related("case")
        .order_by("due_date", "id")
    )


def team_queue(*, user: Actor, overdue_only: bool = False) -> QuerySet[CaseTask]:
    """Open tasks on every case the user can work (supervisors: their agency's cases)."""
    qs = CaseTask.objects.filter(
        status=CaseTask.Status.OPEN,
        case__in=perms.visible_cases(user).exclude(phase=Phase.CLOSED),
    ).select_related("case", "assignee")
    if overdue_only:
        qs = qs.filter(due_date__lt=timezone.localdate())
    return qs.order_by("due_date", "case__reference", "id")


def overdue_tasks() -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(
        status=CaseTask.Status.OPEN,
        due_date__lt=timezone.localdate(),
        case__phase__in=list(set(Phase.values) - {Phase.CLOSED}),
    ).select_related("case", "assignee")


def case_workers(*, case: Case) -> QuerySet[Any]:
    """Active people of the case's agency whose role lets them work cases (team members, assignees)."""
    from section307.accounts.models import User

    return (
        User.objects.filter(
            organization=case.agency,
            is_active=True,
            groups__permissions__content_type__app_label="cases",
            groups__permissions__codename="work_case",
        )
        .distinct()
        .order_by("username")
    )


def case_evidence(*, case: Case) -> QuerySet[Evidence]:
    """The case's evidence and that of every case merged into it."""
    ids = [case.pk, *Case.objects.filter(merged_into=case).values_list("pk", flat=True)]
    return Evidence.objects.filter(case_id__in=ids).select_related("added_by", "case").prefetch_related("tags")


def available_transitions(*, user: Actor, case: Case) -> list[dict[str, Any]]:
    """The simple phase moves this user may make now, each with its unmet gate conditions."""
    from section307.cases.gates import gate_problems
    from section307.cases.lifecycle import SIMPLE_TRANSITIONS

    if not perms.can_work(user, case):
        return []
    moves = []
    for t in CASE_LIFECYCLE.available(case.phase, user):
        if t.name not in SIMPLE_TRANSITIONS:
            continue
        problems = gate_problems(t.name, case, actor=user) if t.name in GATES else []
        moves.append({"name": t.name, "label": gettext(t.label), "problems": problems})
    return moves


# ------------------------------------------------------------------------------------ ILO matrix


@dataclass
class IndicatorRow:
    indicator: str
    label: str
    cells: dict[str, list[IndicatorTag]] = field(default_factory=dict)
    substantiated: bool = False
    elements: set[str] = field(default_factory=set)
    best_strength: str = ""
    evidence_count: int = 0
    basis: str = ""


@dataclass
class IloSummary:
    rows: list[IndicatorRow]
    dimensions: list[tuple[str, str]]

    @property
    def substantiated(self) -> list[IndicatorRow]:
        return [r for r in self.rows if r.substantiated]

    @property
    def involuntariness_shown(self) -> bool:
        return any(Element.INVOLUNTARINESS in r.elements for r in self.substantiated)

    @property
    def penalty_shown(self) -> bool:
        return any(Element.PENALTY in r.elements for r in self.substantiated)

    @property
    def both_shown(self) -> bool:
        return self.involuntariness_shown and self.penalty_shown

    def as_dict(self) -> dict[str, Any]:
        return {
            "substantiated": {r.indicator: r.basis for r in self.substantiated},
            "involuntariness": self.involuntariness_shown,
            "penalty": self.penalty_shown,
        }


def _substantiates(tags: list[IndicatorTag]) -> tuple[bool, str]:
    """An indicator is substantiated by one strong finding from a reliable source (A-C), or by
    moderate-or-stronger findings from at least two different pieces of evidence, one of them reliable.
    Weak findings and unreliable sources only corroborate."""
    reliable_strong = [t for t in tags if t.strength == Strength.STRONG and t.evidence.reliability in RELIABLE]
    if reliable_strong:
        return True, f"strong finding in {reliable_strong[0].evidence.title}"
    solid = [t for t in tags if STRENGTH_WEIGHT[Strength(t.strength)] >= 2]
    pieces = {t.evidence_id for t in solid}
    if len(pieces) >= 2 and any(t.evidence.reliability in RELIABLE for t in solid):
        return True, f"corroborated by {len(pieces)} pieces of evidence"
    return False, ""


def ilo_summary(*, case: Case, evidence: Iterable[Evidence] | None = None) -> IloSummary:
    pieces = list(evidence) if evidence is not None else list(case_evidence(case=case))
    tags = list(
        IndicatorTag.objects.filter(evidence__in=pieces, withdrawn_at__isnull=True)
        .select_related("evidence")
        .order_by("indicator", "id")
    )
    rows = []
    for value, label in Indicator.choices:
        row = IndicatorRow(indicator=value, label=str(label), cells={d: [] for d in Dimension.values})
        mine = [t for t in tags if t.indicator == value]
        for t in mine:
            row.cells[t.dimension].append(t)
        row.substantiated, row.basis = _substantiates(mine)
        if row.substantiated:
            row.elements = {t.element for t in mine if STRENGTH_WEIGHT[Strength(t.strength)] >= 2}
        if mine:
            row.best_strength = max((t.strength for t in mine), key=lambda s: STRENGTH_WEIGHT[Strength(s)])
        row.evidence_count = len({t.evidence_id for t in mine})
        rows.append(row)
    return IloSummary(rows=rows, dimensions=[(value, str(label)) for value, label in Dimension.choices])


# ------------------------------------------------------------------------------------ related work


def cases_similar_to(
    *,
    party_ids: Iterable[int] = (),
    good_ids: Iterable[int] = (),
    region_ids: Iterable[int] = (),
    exclude_case: Case | None = None,
    user: Actor | None = None,
) -> list[tuple[Case, int, list[str]]]:
    """Cases sharing parties, goods or regions, most shared first: (case, score, reasons).

    When ``user`` is given only the cases that user may see are returned.
    """
    party_ids, good_ids, region_ids = set(party_ids), set(good_ids), set(region_ids)
    if not (party_ids or good_ids or region_ids):
        return []
    qs = Case.objects.filter(
        Q(case_parties__party_id__in=party_ids) | Q(goods__id__in=good_ids) | Q(regions__id__in=region_ids)
    ).distinct()
    if exclude_case is not None:
        qs = qs.exclude(pk=exclude_case.pk)
    if user is not None:
        qs = qs.filter(pk__in=perms.visible_cases(user).values("pk"))
    results = []
    for case in qs.prefetch_related("case_parties__party", "goods", "regions")[:200]:
        reasons = []
        shared_parties = [cp.party.name for cp in case.case_parties.all() if cp.party_id in party_ids]
        shared_goods = [g.name for g in case.goods.all() if g.pk in good_ids]
        shared_regions = [r.name for r in case.regions.all() if r.pk in region_ids]
        if shared_parties:
            reasons.append("parties: " + ", ".join(shared_parties))
        if shared_goods:
            reasons.append("goods: " + ", ".join(shared_goods))
        if shared_regions:
            reasons.append("regions: " + ", ".join(shared_regions))
        # Shared parties weigh most: they point at the same supply chain.
        score = 3 * len(shared_parties) + 2 * len(shared_regions) + len(shared_goods)
        results.append((case, score, reasons))
    results.sort(key=lambda r: (-r[1], r[0].reference))
    return results


def related_to_case(*, case: Case, user: Actor) -> list[tuple[Case, int, list[str]]]:
    return cases_similar_to(
        party_ids=case.case_parties.values_list("party_id", flat=True),
        good_ids=case.goods.values_list("pk", flat=True),
        region_ids=case.regions.values_list("pk", flat=True),
        exclude_case=case,
        user=user,
    )


def allegations_related_to_case(*, case: Case, user: Actor, limit: int = 20) -> list[tuple[Any, list[str]]]:
    """Allegations naming the case's parties, or about its goods or regions, not yet linked to it.

    Only for users who triage allegations (the allegations app's own rule)."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm("allegations.triage_allegation")):
        return []
    from section307.allegations.models import Allegation

    party_ids = set(case.case_parties.values_list("party_id", flat=True))
    good_ids = set(case.goods.values_list("pk", flat=True))
    region_ids = set(case.regions.values_list("pk", flat=True))
    if not (party_ids or good_ids or region_ids):
        return []
    qs = (
        Allegation.objects.filter(
            Q(named_parties__party_id__in=party_ids) | Q(goods__id__in=good_ids) | Q(region_id__in=region_ids)
        )
        .exclude(case_links__case=case)
        .distinct()
        .prefetch_related("named_parties", "goods")
        .select_related("region")
        .order_by("-submitted_at")[:limit]
    )
    results = []
    for allegation in qs:
        reasons = []
        names = sorted({n.name for n in allegation.named_parties.all() if n.party_id in party_ids})
        goods = sorted(g.name for g in allegation.goods.all() if g.pk in good_ids)
        if names:
            reasons.append("parties: " + ", ".join(names))
        if goods:
            reasons.append("goods: " + ", ".join(goods))
        if allegation.region_id in region_ids and allegation.region is not None:
            reasons.append(f"region: {allegation.region.name}")
        results.append((allegation, reasons))
    return results


# ------------------------------------------------------------------- order modification petitions


def order_open_detentions(order: Any) -> list[Any]:
    """Shipments still detained under the order (detained or proof under review), oldest first."""
    from section307.ports.models import Detention
    from section307.ports.selectors import detentions_held_under

    return list(detentions_held_under(order, statuses=(Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW)))


def petitions_visible_to(user: Actor) -> QuerySet[OrderChangeRequest]:
    """Headquarters sees every petition; a petitioner its own (and its organization's); analysts
    and supervisors those on cases they can see (partner agencies none). Deny by default."""
    qs = OrderChangeRequest.objects.select_related("order", "case", "organization", "submitted_by", "reviewer")
    acct = account(user)
    if acct is None:
        return qs.none()
    if acct.has_perm("cases.decide_petition"):
        return qs
    q = Q(submitted_by=acct)
    if acct.has_perm("trade.use_portal") and acct.organization_id:
        q |= Q(organization_id=acct.organization_id)
    # Case staff only: a partner agency's share of a case does not extend to the petitioner's file.
    case_q = perms.visible_cases_filter(user) if user.has_perm("cases.work_case") else None
    if case_q is not None:
        q |= Q(case__in=Case.objects.filter(case_q).values("pk"))
    return qs.filter(q)


def petition_get(*, user: Actor, pk: int) -> OrderChangeRequest | None:
    return petitions_visible_to(user).filter(pk=pk).first()


@dataclass
class PetitionRow:
    petition: OrderChangeRequest
    detained: int
    value_usd: float
    age_days: int


def petition_queue(*, user: Actor, open_only: bool = True) -> list[PetitionRow]:
    """The headquarters queue: shipments detained under the order first, then the oldest, then value."""
    from django.db.models import Sum

    from section307.ports.models import Detention, EntryLine

    qs = petitions_visible_to(user)
    if open_only:
        qs = qs.filter(status__in=OrderChangeRequest.OPEN_STATUSES)
    petitions = list(qs)
    order_ids = {p.order_id for p in petitions}
    open_statuses = [Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW]
    counts = dict(
        Detention.objects.filter(order_id__in=order_ids, status__in=open_statuses)
        .values_list("order_id")
        .annotate(n=Count("id"))
    )
    values = dict(
        EntryLine.objects.filter(entry__detention__order_id__in=order_ids, entry__detention__status__in=open_statuses)
        .values_list("entry__detention__order_id")
        .annotate(v=Sum("value_usd"))
    )
    today = timezone.localdate()
    rows = [
        PetitionRow(
            petition=p,
            detained=counts.get(p.order_id, 0),
            value_usd=float(values.get(p.order_id) or 0),
            age_days=(today - timezone.localdate(p.created_at)).days,
        )
        for p in petitions
    ]
    return sorted(rows, key=lambda r: (-r.detained, -r.age_days, -r.value_usd, r.petition.pk))


# ------------------------------------------------------------------------- proposal overlap warning


def proposal_overlaps(proposal: OrderProposal) -> list[Any]:
    """Enforced orders that already cover a party this proposal names and one of its goods (or its
    HTS headings, or, with no goods named, any goods): proposing such an order duplicates one."""
    from section307.orders.models import ENFORCED_STATUSES, EnforcementOrder

    if proposal.pk is None:
        return []
    party_ids = list(proposal.scope_parties.values_list("party_id", flat=True))
    if not party_ids:
        return []
    orders = (
        EnforcementOrder.objects.filter(status__in=ENFORCED_STATUSES, order_parties__party_id__in=party_ids)
        .exclude(pk=proposal.order_id or 0)
        .distinct()
        .prefetch_related("goods", "parties")
    )
    good_ids = set(proposal.goods.values_list("pk", flat=True))
    hts = [h for h in (proposal.hts_prefixes or []) if h]
    found = []
    for order in orders:
        order_goods = {g.pk for g in order.goods.all()}
        order_hts = [h for h in (order.hts_prefixes or []) if h]
        same_goods = (
            not good_ids
            or (not order_goods and not order_hts)
            or bool(good_ids & order_goods)
            or any(a.startswith(b) or b.startswith(a) for a in hts for b in order_hts)
        )
        if same_goods:
            found.append(order)
    return found
