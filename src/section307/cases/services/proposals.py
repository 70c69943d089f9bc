"""section307.cases.services: proposals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.gates import gate_problems
from section307.cases.lifecycle import (
    CASE_LIFECYCLE,
    PROPOSAL_LIFECYCLE,
    require_open,
)
from section307.cases.models import (
    Case,
    CaseParty,
    CaseTask,
    OrderProposal,
    Phase,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import GateNotPassed, _clean_text, _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor, signed_in
from section307.geo.models import Region
from section307.goods.models import Good
from section307.orders.models import OrderSource
from section307.orders.services import ScopedParty, order_create

# ---------------------------------------------------------------------------------------- proposals

PROPOSAL_FIELDS = (
    "order_type",
    "merchandise",
    "industry",
    "country",
    "effective_date",
    "qualifiers",
    "hts_prefixes",
    "basis",
    "probable_cause",
    "citation",
    "importer_due_diligence",
    "grace_period",
    "grace_period_note",
)


def _record_overlap(*, actor: Actor, case: Case, proposal: OrderProposal) -> list[str]:
    """Warn (not refuse) when an enforced order already covers the proposal's parties and goods;
    the warning is kept in the audit trail with the orders it named."""
    from section307.cases.selectors import proposal_overlaps

    references = [o.reference for o in proposal_overlaps(proposal)]
    if references:
        audit_record(
            actor=actor,
            action="proposal.overlap_warning",
            target=case,
            data={"proposal": proposal.pk, "orders": references},
        )
    return references


@transaction.atomic
def proposal_save(
    *,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    scope_parties: Iterable[CaseParty] = (),
    regions: Iterable[Region] = (),
    goods: Iterable[Good] = (),
    proposal: OrderProposal | None = None,
) -> OrderProposal:
    """Create or change a draft proposal. Only drafts change; a returned proposal is copied to a new draft."""
    _require(perms.can_work(actor, case))
    case = _open(case.pk)
    if case.phase != Phase.ESCALATION:
        raise ValidationError({"order_type": gettext("Proposals are written in phase 3 (escalation).")})
    if proposal is None:
        proposal = OrderProposal(case=case, author=signed_in(actor))
    elif proposal.case_id != case.pk or proposal.status not in PROPOSAL_LIFECYCLE.transition("edit").sources:
        raise ValidationError({"order_type": gettext("Only a draft proposal of this case can be changed.")})
    PROPOSAL_LIFECYCLE.check("edit", state=proposal.status, actor=actor)
    for name, value in data.items():
        if name not in PROPOSAL_FIELDS:
            raise ValueError(f"proposal field {name!r} cannot be set here")
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    scope_parties = list(scope_parties)
    if any(link.case_id != case.pk for link in scope_parties):
        raise ValidationError({"scope_parties": gettext("Only parties in this case can be named.")})
    proposal.full_clean()
    proposal.save()
    proposal.scope_parties.set(scope_parties)
    proposal.regions.set(list(regions))
    proposal.goods.set(list(goods))
    audit_record(actor=actor, action="proposal.save", target=case, data={"proposal": proposal.pk})
    _record_overlap(actor=actor, case=case, proposal=proposal)
    return proposal


@transaction.atomic
def proposal_submit(*, actor: Actor, proposal: OrderProposal) -> OrderProposal:
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    _require(perms.can_work(actor, case))
    require_open(case)
    if proposal.status not in PROPOSAL_LIFECYCLE.transition("submit").sources:
        raise ValidationError({"proposal": gettext("Only a draft can be submitted.")})
    move = PROPOSAL_LIFECYCLE.check("submit", state=proposal.status, actor=actor)
    step = CASE_LIFECYCLE.check("submit_proposal", state=case.phase, actor=actor)
    problems = gate_problems(step.name, case, proposal=proposal)
    if problems:
        raise GateNotPassed(problems)
    proposal.status = move.target
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_at", "updated_at"])
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(actor=actor, action="case.submit_proposal", target=case, data={"proposal": proposal.pk})
    _record_overlap(actor=actor, case=case, proposal=proposal)
    _tasks.tasks_settle(actor=actor, case=case)
    approver = _tasks._approval_assignee(case, proposal)
    for task in CaseTask.objects.filter(case=case, gate="approval", status=CaseTask.Status.OPEN):
        if task.assignee_id != getattr(approver, "pk", None):
            task.assignee = approver
            task.save(update_fields=["assignee", "updated_at"])
            audit_record(
                actor=actor,
                action="case.task_assign",
                target=case,
                data={"task": task.pk, "assignee": getattr(approver, "username", None), "rule": "two-person"},
            )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: OrderProposal) -> OrderProposal:
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    _require(perms.can_work(actor, case) and (proposal.author_id == actor.pk or perms.can_manage(actor, case)))
    require_open(case)
    if proposal.status not in PROPOSAL_LIFECYCLE.transition("withdraw").sources:
        raise ValidationError({"proposal": gettext("Only a submitted proposal can be withdrawn.")})
    move = PROPOSAL_LIFECYCLE.check("withdraw", state=proposal.status, actor=actor)
    step = CASE_LIFECYCLE.check("withdraw_proposal", state=case.phase, actor=actor)
    proposal.status = move.target
    proposal.save(update_fields=["status", "updated_at"])
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(actor=actor, action="case.withdraw_proposal", target=case, data={"proposal": proposal.pk})
    return proposal


@transaction.atomic
def proposal_decide(*, actor: Actor, proposal: OrderProposal, approve: bool, note: str = "") -> OrderProposal:
    """A supervisor other than the author approves (the order is issued) or returns the proposal."""
    proposal = OrderProposal.objects.select_for_update().get(pk=proposal.pk)
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    if proposal.author_id == getattr(actor, "pk", None):
        raise PermissionDenied(gettext("The approver cannot be the proposal's author (two-person rule)."))
    _require(perms.can_decide(actor, case, proposal), gettext("Only a supervisor of the agency decides on proposals."))
    require_open(case)
    if proposal.status != OrderProposal.Status.SUBMITTED:
        raise ValidationError({"proposal": gettext("This proposal is not awaiting a decision.")})
    move = PROPOSAL_LIFECYCLE.check(
        "approve" if approve else "return", state=proposal.status, actor=actor, subject=proposal
    )
    if not approve:
        step = CASE_LIFECYCLE.check("return_proposal", state=case.phase, actor=actor)
        proposal.status = move.target
        proposal.decided_by, proposal.decided_at = signed_in(actor), timezone.now()
        proposal.decision_note = _clean_text(note, "decision_note")
        proposal.save()
        case.phase = step.target
        case.save(update_fields=["phase", "updated_at"])
        audit_record(actor=actor, action="case.return_proposal", target=case, data={"proposal": proposal.pk})
        return proposal
    step = CASE_LIFECYCLE.check("issue", state=case.phase, actor=actor)
    problems = gate_problems(step.name, case, proposal=proposal, actor=actor)
    if problems:
        raise GateNotPassed(problems)
    qualifiers = list(proposal.qualifiers or [])
    order = order_create(
        actor=actor,
        order_type=proposal.order_type,
        merchandise=proposal.merchandise,
        industry=proposal.industry,
        effective_date=proposal.effective_date or timezone.localdate(),
        country=proposal.country,
        citation=proposal.citation,
        parties=[
            ScopedParty(party=link.party, qualifiers=qualifiers)
            for link in proposal.scope_parties.select_related("party").order_by("tier", "id")
        ],
        regions=list(proposal.regions.all()),
        goods=list(proposal.goods.all()),
        hts_prefixes=list(proposal.hts_prefixes or []),
        source=OrderSource.CASE,
        source_key=f"{case.reference}/{proposal.pk}",
        labor_type=case.labor_type,
        note=f"Issued from case {case.reference}; proposed by {proposal.author}, approved by {actor}.",
    )
    proposal.status = move.target
    proposal.decided_by, proposal.decided_at = signed_in(actor), timezone.now()
    proposal.decision_note = note.strip()
    proposal.order = order
    proposal.save()
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(
        actor=actor,
        action="case.issue",
        target=case,
        data={"proposal": proposal.pk, "order": order.reference, "author": proposal.author_id},
    )
    _tasks.tasks_settle(actor=actor, case=case, reason=f"Order {order.reference} issued")
    return proposal
