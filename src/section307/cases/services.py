"""Writes for cases. Each function is one transaction, checks the actor's rights and leaves an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from section307.accounts.models import Organization
from section307.cases import permissions as perms
from section307.cases.evidence_files import EvidenceFileError, check_file
from section307.cases.gates import gate_problems, open_task_warning
from section307.cases.ilo import Dimension, Element, Indicator, Strength
from section307.cases.lifecycle import CASE_LIFECYCLE, PROPOSAL_LIFECYCLE, require_open
from section307.cases.models import (
    Case,
    CaseAllegation,
    CaseComment,
    CaseParty,
    CaseShare,
    CaseTask,
    CaseTemplate,
    CustodyEvent,
    Evidence,
    EvidenceAnnotation,
    IloAssessment,
    IndicatorTag,
    OrderChangeRequest,
    OrderProposal,
    Phase,
    StakeholderEngagement,
    TaskComment,
)
from section307.cases.signals import order_change_request_decided
from section307.core.audit import actor_label, audit_record
from section307.core.lifecycle import TransitionNotAllowed
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.orders.models import EnforcementOrder, OrderSource
from section307.orders.services import ScopedParty, order_create, order_transition, order_update
from section307.parties.models import Party


class GateNotPassed(ValidationError):
    """A move was refused because the case is not ready; ``messages`` lists what is missing."""


def _require(allowed: bool, message: str = "You may not do this on this case.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _open(case_id: int) -> Case:
    """Lock the case row and refuse if it is closed, so a write cannot race the case's closing."""
    case = Case.objects.select_for_update().get(pk=case_id)
    require_open(case)
    return case


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This field is required."})
    return value


# ---------------------------------------------------------------------------------------------- cases


def case_next_reference(*, year: int) -> str:
    prefix = f"CASE-{year}-"
    taken = Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(r.rsplit("-", 1)[1]) for r in taken if r.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def case_create(
    *,
    actor: Any,
    title: str,
    template: CaseTemplate | None = None,
    origin: str = Case.Origin.TIP,
    summary: str = "",
    priority: str = Case.Priority.MEDIUM,
    risk_rating: str = Case.Risk.MEDIUM,
    owner: Any = None,
    team: Iterable[Any] = (),
    parties: Iterable[Party] = (),
    goods: Iterable[Good] = (),
    countries: Iterable[Country] = (),
    regions: Iterable[Region] = (),
    hts_prefixes: Sequence[str] = (),
    opened_on: dt.date | None = None,
) -> Case:
    _require(actor.has_perm("cases.work_case"), "Only analysts and supervisors open cases.")
    owner = owner or actor
    opened_on = opened_on or timezone.localdate()
    case = Case(
        reference=case_next_reference(year=opened_on.year),
        title=_clean_text(title, "title"),
        summary=summary.strip(),
        origin=origin,
        priority=priority,
        risk_rating=risk_rating,
        owner=owner,
        agency=getattr(owner, "organization", None),
        template=template,
        hts_prefixes=list(hts_prefixes),
    )
    case.full_clean()
    case.save()
    case.team.set([u for u in team if u.pk != owner.pk])
    for party in parties:
        CaseParty.objects.get_or_create(case=case, party=party)
    case.goods.set(list(goods))
    case.countries.set(list(countries))
    case.regions.set(list(regions))
    if template is not None:
        CaseTask.objects.bulk_create(
            [
                CaseTask(
                    case=case,
                    phase=t.phase,
                    title=t.title,
                    description=t.description,
                    due_date=opened_on + dt.timedelta(days=t.due_offset_days),
                    assignee=owner,
                    position=t.position,
                )
                for t in template.tasks.all()
            ]
        )
    audit_record(
        actor=actor,
        action="case.create",
        target=case,
        data={"template": template.name if template else "", "origin": origin},
    )
    return case


CASE_EDITABLE = ("title", "summary", "origin", "priority", "risk_rating", "hts_prefixes")


@transaction.atomic
def case_update(
    *,
    actor: Any,
    case: Case,
    data: dict[str, Any],
    goods: Iterable[Good] | None = None,
    countries: Iterable[Country] | None = None,
    regions: Iterable[Region] | None = None,
    team: Iterable[Any] | None = None,
) -> dict[str, list[Any]]:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    changes: dict[str, list[Any]] = {}
    for name, value in data.items():
        if name not in CASE_EDITABLE:
            raise ValueError(f"case field {name!r} cannot be changed here")
        old = getattr(case, name)
        if old != value:
            changes[name] = [old, value]
            setattr(case, name, value)
    case.full_clean()
    case.save()
    for name, values in (("goods", goods), ("countries", countries), ("regions", regions)):
        if values is None:
            continue
        wanted: list[Any] = list(values)
        manager = getattr(case, name)
        old_pks = sorted(manager.values_list("pk", flat=True))
        new_pks = sorted(v.pk for v in wanted)
        if old_pks != new_pks:
            changes[name] = [old_pks, new_pks]
            manager.set(wanted)
    if team is not None:
        _require(perms.can_manage(actor, case), "Only the owner or a supervisor changes the team.")
        members = [u for u in team if u.pk != case.owner_id]
        old_pks = sorted(case.team.values_list("pk", flat=True))
        if old_pks != sorted(u.pk for u in members):
            changes["team"] = [old_pks, sorted(u.pk for u in members)]
            case.team.set(members)
    if changes:
        audit_record(actor=actor, action="case.update", target=case, data={"changes": changes})
    return changes


@transaction.atomic
def case_memo_save(*, actor: Any, case: Case, memo: str) -> Case:
    _require(perms.can_work(actor, case))
    case = _open(case.pk)
    case.validity_memo = memo.strip()
    case.save(update_fields=["validity_memo", "updated_at"])
    audit_record(actor=actor, action="case.memo", target=case, data={"length": len(case.validity_memo)})
    return case


@transaction.atomic
def case_transition(*, actor: Any, case: Case, transition: str, note: str = "") -> Case:
    """The simple phase moves (start research, escalate, return to research), gates included."""
    _require(perms.can_work(actor, case))
    case = _open(case.pk)
    step = CASE_LIFECYCLE.check(transition, state=case.phase, actor=actor)
    problems = gate_problems(step.name, case, actor=actor)
    if problems:
        raise GateNotPassed(problems)
    previous = case.phase
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(
        actor=actor,
        action=f"case.{step.name}",
        target=case,
        data={"from": previous, "to": case.phase, "note": note},
    )
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case, outcome: str, closing_note: str) -> tuple[Case, int]:
    """Close with an outcome and a note; open tasks are cancelled and their number returned (the warning)."""
    _require(perms.can_manage(actor, case), "Only the owner or a supervisor closes a case.")
    case = _open(case.pk)
    step = CASE_LIFECYCLE.check("close", state=case.phase, actor=actor)
    problems = gate_problems("close", case, outcome=outcome, closing_note=closing_note)
    if problems:
        raise GateNotPassed(problems)
    open_tasks = open_task_warning(case)
    CaseTask.objects.filter(case=case, status=CaseTask.Status.OPEN).update(
        status=CaseTask.Status.CANCELLED, updated_at=timezone.now()
    )
    previous = case.phase
    case.phase = step.target
    case.outcome = outcome
    case.closing_note = closing_note.strip()
    case.closed_at = timezone.now()
    case.save(update_fields=["phase", "outcome", "closing_note", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="case.close",
        target=case,
        data={"from": previous, "outcome": outcome, "cancelled_tasks": open_tasks},
    )
    return case, open_tasks


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, note: str) -> Case:
    _require(perms.case_access(actor, case) == perms.Access.SUPERVISE, "Only a supervisor reopens a case.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.merged_into_id:
        raise TransitionNotAllowed("A merged case is not reopened; work the case it was merged into.")
    step = CASE_LIFECYCLE.check("reopen", state=case.phase, actor=actor)
    case.phase = step.target
    case.outcome = ""
    case.closed_at = None
    case.save(update_fields=["phase", "outcome", "closed_at", "updated_at"])
    audit_record(actor=actor, action="case.reopen", target=case, data={"note": _clean_text(note, "note")})
    return case


def case_view_record(*, actor: Any, case: Case, view: str) -> None:
    """Every view of a case is audited (who looked at what, and when)."""
    audit_record(actor=actor, action="case.view", target=case, data={"view": view})


# ------------------------------------------------------------------------------------- supply chain


@transaction.atomic
def case_party_add(
    *,
    actor: Any,
    case: Case,
    party: Party,
    role: str = CaseParty.Role.PRODUCER,
    tier: int | None = None,
    supplies_to: CaseParty | None = None,
    is_target: bool = True,
    notes: str = "",
) -> CaseParty:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    link, created = CaseParty.objects.get_or_create(case=case, party=party)
    link.role, link.tier, link.supplies_to, link.is_target, link.notes = role, tier, supplies_to, is_target, notes
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action="case.party_add" if created else "case.party_update",
        target=case,
        data={
            "party": party.pk,
            "name": party.name,
            "tier": tier,
            "supplies_to": supplies_to.pk if supplies_to else None,
        },
    )
    return link


@transaction.atomic
def case_party_remove(*, actor: Any, case: Case, link: CaseParty) -> None:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    if link.case_id != case.pk:
        raise PermissionDenied("That party is not in this case.")
    if OrderProposal.objects.filter(scope_parties=link).exclude(status=OrderProposal.Status.DRAFT).exists():
        raise ValidationError({"party": "This party is named in a submitted or issued proposal."})
    audit_record(actor=actor, action="case.party_remove", target=case, data={"party": link.party_id})
    link.delete()


# -------------------------------------------------------------------------------------------- tasks


@transaction.atomic
def task_create(
    *, actor: Any, case: Case, title: str, phase: str, due_date: dt.date | None = None, assignee: Any = None
) -> CaseTask:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    task = CaseTask(case=case, title=_clean_text(title, "title"), phase=phase, due_date=due_date, assignee=assignee)
    task.full_clean()
    task.save()
    audit_record(actor=actor, action="case.task_create", target=case, data={"task": task.pk, "title": task.title})
    return task


def _assignable(case: Case, user: Any) -> bool:
    return user is None or perms.can_work(user, case)


@transaction.atomic
def task_assign(*, actor: Any, task: CaseTask, assignee: Any) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    if not _assignable(task.case, assignee):
        raise ValidationError({"assignee": "Tasks go to people who work this case (owner, team or supervisor)."})
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=actor,
        action="case.task_assign",
        target=task.case,
        data={"task": task.pk, "assignee": getattr(assignee, "username", None)},
    )
    return task


@transaction.atomic
def task_complete(*, actor: Any, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if task.status != CaseTask.Status.OPEN:
        raise ValidationError({"task": "This task is not open."})
    task.status = CaseTask.Status.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    audit_record(actor=actor, action="case.task_complete", target=task.case, data={"task": task.pk})
    return task


@transaction.atomic
def task_reopen(*, actor: Any, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task.status = CaseTask.Status.OPEN
    task.completed_at = None
    task.completed_by = None
    task.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    audit_record(actor=actor, action="case.task_reopen", target=task.case, data={"task": task.pk})
    return task


@transaction.atomic
def task_comment(*, actor: Any, task: CaseTask, body: str) -> TaskComment:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    comment = TaskComment.objects.create(task=task, author=actor, body=_clean_text(body, "body"))
    audit_record(actor=actor, action="case.task_comment", target=task.case, data={"task": task.pk})
    return comment


@transaction.atomic
def case_comment_add(*, actor: Any, case: Case, body: str) -> CaseComment:
    _require(perms.can_comment(actor, case), "You have read-only access to this case.")
    _open(case.pk)
    comment = CaseComment.objects.create(case=case, author=actor, body=_clean_text(body, "body"))
    audit_record(actor=actor, action="case.comment", target=case, data={"comment": comment.pk})
    return comment


# ------------------------------------------------------------------------------------- stakeholders


@transaction.atomic
def engagement_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    stakeholder: str,
    engaged_on: dt.date,
    summary: str,
    protection_referral: bool = False,
    referral_details: str = "",
) -> StakeholderEngagement:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    if protection_referral and not referral_details.strip():
        raise ValidationError({"referral_details": "Say to whom the workers were referred, and for what."})
    engagement = StakeholderEngagement(
        case=case,
        kind=kind,
        stakeholder=_clean_text(stakeholder, "stakeholder"),
        engaged_on=engaged_on,
        summary=_clean_text(summary, "summary"),
        protection_referral=protection_referral,
        referral_details=referral_details.strip(),
        recorded_by=actor,
    )
    engagement.full_clean()
    engagement.save()
    audit_record(actor=actor, action="case.engagement", target=case, data={"engagement": engagement.pk, "kind": kind})
    return engagement


# ----------------------------------------------------------------------------------------- evidence


def _custody(*, actor: Any, evidence: Evidence, action: str, detail: dict[str, Any] | None = None) -> CustodyEvent:
    return CustodyEvent.objects.create(
        evidence=evidence,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label(actor),
        detail=detail or {},
    )


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    case: Case,
    file: IO[bytes],
    filename: str,
    kind: str,
    title: str,
    source: str,
    date_obtained: dt.date,
    reliability: str = "F",
    description: str = "",
    origin: str = Evidence.Origin.UPLOAD,
    origin_ref: str = "",
) -> Evidence:
    """Store a file once: its type from content, its size, its SHA-256; then the first custody row."""
    _require(perms.can_work(actor, case))
    _open(case.pk)
    try:
        checked = check_file(file)
    except EvidenceFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    if date_obtained > timezone.localdate():
        raise ValidationError({"date_obtained": "The date obtained cannot be in the future."})
    evidence = Evidence(
        case=case,
        kind=kind,
        title=_clean_text(title, "title"),
        description=description.strip(),
        source=_clean_text(source, "source"),
        reliability=reliability,
        date_obtained=date_obtained,
        original_filename=(filename or "evidence")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        origin=origin,
        origin_ref=origin_ref,
        added_by=actor,
    )
    evidence.full_clean(exclude=["file"])
    evidence.file.save(filename or "evidence", File(file), save=False)
    evidence.save()
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.ADDED, detail={"sha256": checked.sha256})
    audit_record(
        actor=actor,
        action="evidence.add",
        target=evidence,
        data={"case": case.reference, "sha256": checked.sha256, "size": checked.size, "type": checked.content_type},
    )
    return evidence


@transaction.atomic
def evidence_access_record(
    *, actor: Any, evidence: Evidence, action: str, detail: dict[str, Any] | None = None
) -> None:
    """Each view, download and export goes into the chain of custody and the audit trail."""
    _require(perms.can_view_evidence(actor, evidence.case))
    if action not in {CustodyEvent.Action.VIEWED, CustodyEvent.Action.DOWNLOADED, CustodyEvent.Action.EXPORTED}:
        raise ValueError(f"not an access action: {action}")
    _custody(actor=actor, evidence=evidence, action=action, detail=detail)
    audit_record(actor=actor, action=f"evidence.{action}", target=evidence, data=detail or {})


@transaction.atomic
def evidence_verify(*, actor: Any, evidence: Evidence) -> bool:
    """Re-hash the stored file and record the result; False means the file no longer matches."""
    from section307.cases.evidence_files import sha256_of

    _require(perms.can_work(actor, evidence.case))
    with evidence.file.open("rb") as handle:
        ok = sha256_of(handle) == evidence.sha256
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.VERIFIED, detail={"match": ok})
    audit_record(actor=actor, action="evidence.verify", target=evidence, data={"match": ok})
    return ok


@transaction.atomic
def evidence_annotate(*, actor: Any, evidence: Evidence, body: str) -> EvidenceAnnotation:
    _require(perms.can_work(actor, evidence.case))
    _open(evidence.case_id)
    note = EvidenceAnnotation.objects.create(evidence=evidence, author=actor, body=_clean_text(body, "body"))
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.ANNOTATED, detail={"annotation": note.pk})
    audit_record(actor=actor, action="evidence.annotate", target=evidence, data={"annotation": note.pk})
    return note


@transaction.atomic
def evidence_tag(
    *,
    actor: Any,
    evidence: Evidence,
    indicator: str,
    strength: str,
    dimension: str = "",
    element: str = "",
    note: str = "",
) -> IndicatorTag:
    from section307.cases.ilo import DEFAULTS

    _require(perms.can_work(actor, evidence.case))
    _open(evidence.case_id)
    if indicator not in Indicator.values:
        raise ValidationError({"indicator": "Choose one of the 11 ILO indicators."})
    default_dimension, default_element = DEFAULTS[indicator]
    tag = IndicatorTag(
        evidence=evidence,
        indicator=indicator,
        dimension=dimension or default_dimension,
        element=element or default_element,
        strength=strength,
        note=note.strip(),
        tagged_by=actor,
    )
    if tag.dimension not in Dimension.values or tag.element not in Element.values or strength not in Strength.values:
        raise ValidationError({"strength": "Choose a dimension, an element and a strength from the lists."})
    tag.full_clean()
    tag.save()
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.TAGGED, detail={"tag": tag.pk})
    audit_record(
        actor=actor,
        action="evidence.tag",
        target=evidence,
        data={"indicator": indicator, "strength": strength, "dimension": tag.dimension, "element": tag.element},
    )
    return tag


@transaction.atomic
def evidence_tag_withdraw(*, actor: Any, tag: IndicatorTag) -> IndicatorTag:
    _require(perms.can_work(actor, tag.evidence.case))
    _open(tag.evidence.case_id)
    if tag.withdrawn_at is None:
        tag.withdrawn_at = timezone.now()
        tag.withdrawn_by = actor
        tag.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action="evidence.tag_withdraw", target=tag.evidence, data={"tag": tag.pk})
    return tag


@transaction.atomic
def ilo_assessment_record(*, actor: Any, case: Case, conclusion: str) -> IloAssessment:
    from section307.cases.selectors import ilo_summary

    _require(perms.can_work(actor, case))
    _open(case.pk)
    summary = ilo_summary(case=case)
    assessment, _ = IloAssessment.objects.update_or_create(
        case=case,
        defaults={
            "conclusion": _clean_text(conclusion, "conclusion"),
            "snapshot": summary.as_dict(),
            "assessed_by": actor,
            "assessed_at": timezone.now(),
        },
    )
    audit_record(actor=actor, action="case.ilo_assessment", target=case, data={"summary": summary.as_dict()})
    return assessment


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


@transaction.atomic
def proposal_save(
    *,
    actor: Any,
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
        raise ValidationError({"order_type": "Proposals are written in phase 3 (escalation)."})
    if proposal is None:
        proposal = OrderProposal(case=case, author=actor)
    elif proposal.case_id != case.pk or proposal.status not in PROPOSAL_LIFECYCLE.transition("edit").sources:
        raise ValidationError({"order_type": "Only a draft proposal of this case can be changed."})
    PROPOSAL_LIFECYCLE.check("edit", state=proposal.status, actor=actor)
    for name, value in data.items():
        if name not in PROPOSAL_FIELDS:
            raise ValueError(f"proposal field {name!r} cannot be set here")
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    scope_parties = list(scope_parties)
    if any(link.case_id != case.pk for link in scope_parties):
        raise ValidationError({"scope_parties": "Only parties in this case can be named."})
    proposal.full_clean()
    proposal.save()
    proposal.scope_parties.set(scope_parties)
    proposal.regions.set(list(regions))
    proposal.goods.set(list(goods))
    audit_record(actor=actor, action="proposal.save", target=case, data={"proposal": proposal.pk})
    return proposal


@transaction.atomic
def proposal_submit(*, actor: Any, proposal: OrderProposal) -> OrderProposal:
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    _require(perms.can_work(actor, case))
    require_open(case)
    if proposal.status not in PROPOSAL_LIFECYCLE.transition("submit").sources:
        raise ValidationError({"proposal": "Only a draft can be submitted."})
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
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: OrderProposal) -> OrderProposal:
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    _require(perms.can_work(actor, case) and (proposal.author_id == actor.pk or perms.can_manage(actor, case)))
    require_open(case)
    if proposal.status not in PROPOSAL_LIFECYCLE.transition("withdraw").sources:
        raise ValidationError({"proposal": "Only a submitted proposal can be withdrawn."})
    move = PROPOSAL_LIFECYCLE.check("withdraw", state=proposal.status, actor=actor)
    step = CASE_LIFECYCLE.check("withdraw_proposal", state=case.phase, actor=actor)
    proposal.status = move.target
    proposal.save(update_fields=["status", "updated_at"])
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(actor=actor, action="case.withdraw_proposal", target=case, data={"proposal": proposal.pk})
    return proposal


@transaction.atomic
def proposal_decide(*, actor: Any, proposal: OrderProposal, approve: bool, note: str = "") -> OrderProposal:
    """A supervisor other than the author approves (the order is issued) or returns the proposal."""
    proposal = OrderProposal.objects.select_for_update().get(pk=proposal.pk)
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    if proposal.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("The approver cannot be the proposal's author (two-person rule).")
    _require(perms.can_decide(actor, case, proposal), "Only a supervisor of the agency decides on proposals.")
    require_open(case)
    if proposal.status != OrderProposal.Status.SUBMITTED:
        raise ValidationError({"proposal": "This proposal is not awaiting a decision."})
    move = PROPOSAL_LIFECYCLE.check(
        "approve" if approve else "return", state=proposal.status, actor=actor, subject=proposal
    )
    if not approve:
        step = CASE_LIFECYCLE.check("return_proposal", state=case.phase, actor=actor)
        proposal.status = move.target
        proposal.decided_by, proposal.decided_at = actor, timezone.now()
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
        note=f"Issued from case {case.reference}; proposed by {proposal.author}, approved by {actor}.",
    )
    proposal.status = move.target
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
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
    return proposal


# ------------------------------------------------------------------------------------------ sharing


@transaction.atomic
def case_share(
    *, actor: Any, case: Case, organization: Organization, access: str, include_evidence: bool = False
) -> CaseShare:
    _require(perms.can_manage(actor, case), "Only the owner or a supervisor shares a case.")
    _open(case.pk)
    if organization.kind != Organization.Kind.PARTNER:
        raise ValidationError({"organization": "Cases are shared only with partner agencies."})
    if access not in CaseShare.Access.values:
        raise ValidationError({"access": "Choose read-only or read and comment."})
    CaseShare.objects.filter(case=case, organization=organization, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    share = CaseShare.objects.create(
        case=case, organization=organization, access=access, include_evidence=include_evidence, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="case.share",
        target=case,
        data={"organization": organization.name, "access": access, "evidence": include_evidence},
    )
    return share


@transaction.atomic
def case_share_revoke(*, actor: Any, share: CaseShare) -> CaseShare:
    _require(perms.can_manage(actor, share.case), "Only the owner or a supervisor changes sharing.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="case.unshare", target=share.case, data={"organization": share.organization.name}
        )
    return share


# -------------------------------------------------------------------------------------------- merge


@transaction.atomic
def case_merge(*, actor: Any, duplicate: Case, into: Case, note: str) -> Case:
    """Fold a duplicate case into another: scope, team and links move; the duplicate closes as merged.

    Evidence stays attached to the case it was gathered in (it is immutable), and the surviving
    case shows the evidence of every case merged into it.
    """
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "A case cannot be merged into itself."})
    _require(perms.can_manage(actor, duplicate) and perms.can_manage(actor, into), "You must manage both cases.")
    duplicate = _open(duplicate.pk)
    into = _open(into.pk)
    if duplicate.proposals.exclude(status__in=[OrderProposal.Status.DRAFT, OrderProposal.Status.REJECTED]).exists():
        raise ValidationError({"into": "The duplicate has a submitted or issued proposal; it cannot be merged."})
    for link in duplicate.case_parties.all():
        CaseParty.objects.get_or_create(
            case=into, party=link.party, defaults={"role": link.role, "tier": link.tier, "notes": link.notes}
        )
    into.goods.add(*duplicate.goods.all())
    into.countries.add(*duplicate.countries.all())
    into.regions.add(*duplicate.regions.all())
    into.team.add(*[u for u in [duplicate.owner, *duplicate.team.all()] if u.pk != into.owner_id])
    for alink in CaseAllegation.objects.filter(case=duplicate):
        CaseAllegation.objects.get_or_create(case=into, allegation=alink.allegation, defaults={"linked_by": actor})
    CaseTask.objects.filter(case=duplicate, status=CaseTask.Status.OPEN).update(status=CaseTask.Status.CANCELLED)
    duplicate.phase = Phase.CLOSED
    duplicate.outcome = Case.Outcome.MERGED
    duplicate.closing_note = _clean_text(note, "note")
    duplicate.closed_at = timezone.now()
    duplicate.merged_into = into
    duplicate.save()
    audit_record(actor=actor, action="case.merged", target=duplicate, data={"into": into.reference})
    audit_record(actor=actor, action="case.merge", target=into, data={"duplicate": duplicate.reference})
    return into


# ------------------------------------------------------------------------ order modification requests


@transaction.atomic
def order_change_request_submit(
    *,
    actor: Any,
    order: EnforcementOrder,
    kind: str,
    grounds: str,
    ground: str = OrderChangeRequest.Ground.NO_LONGER_MADE,
    proposed_merchandise: str = "",
    proposed_remove_party_ids: Sequence[int] = (),
    requester_name: str = "",
    organization: Organization | None = None,
) -> OrderChangeRequest:
    """Ask for an order to be modified or revoked (from the trade portal, or entered by an analyst)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Sign in to request a change.")
    if kind not in OrderChangeRequest.Kind.values:
        raise ValidationError({"kind": "Choose modification or revocation."})
    if ground not in OrderChangeRequest.Ground.values:
        raise ValidationError({"ground": "Choose one of the grounds."})
    if not order.is_enforced:
        raise ValidationError({"order": "Only an active or modified order can be changed."})
    order_party_ids = set(order.order_parties.values_list("party_id", flat=True))
    unknown = set(proposed_remove_party_ids) - order_party_ids
    if unknown:
        raise ValidationError({"proposed_remove_party_ids": "Only parties named in the order can be removed."})
    if kind == OrderChangeRequest.Kind.MODIFY and not (proposed_merchandise.strip() or proposed_remove_party_ids):
        raise ValidationError({"proposed_merchandise": "Say what should change: the merchandise or the parties."})
    proposal = OrderProposal.objects.filter(order=order).select_related("case").first()
    request = OrderChangeRequest(
        order=order,
        case=proposal.case if proposal else None,
        kind=kind,
        ground=ground,
        grounds=_clean_text(grounds, "grounds"),
        proposed_merchandise=proposed_merchandise.strip(),
        proposed_remove_party_ids=sorted(set(proposed_remove_party_ids)),
        requester_name=requester_name.strip() or actor.get_full_name() or actor.get_username(),
        organization=organization or getattr(actor, "organization", None),
        submitted_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="order.change_request", target=order, data={"request": request.pk, "kind": kind})
    return request


@transaction.atomic
def order_change_request_decide(
    *, actor: Any, request: OrderChangeRequest, grant: bool, note: str
) -> OrderChangeRequest:
    """A supervisor decides; a grant modifies or revokes the order through its lifecycle (history kept)."""
    request = (
        OrderChangeRequest.objects.select_for_update(of=("self",)).select_related("order", "case").get(pk=request.pk)
    )
    if request.case is not None:
        _require(
            perms.case_access(actor, request.case) == perms.Access.SUPERVISE,
            "Only a supervisor of the issuing agency decides.",
        )
    else:
        _require(actor.has_perm("orders.publish_order"), "Only a supervisor decides.")
    if request.status != OrderChangeRequest.Status.SUBMITTED:
        raise ValidationError({"request": "This request has already been decided."})
    note = _clean_text(note, "decision_note")
    order = request.order
    if grant:
        label = f"Change request {request.pk} granted: {note}"
        if request.kind == OrderChangeRequest.Kind.REVOKE:
            order_transition(actor=actor, order=order, transition="revoke", note=label, source=OrderSource.CASE)
        else:
            data: dict[str, Any] = {}
            if request.proposed_merchandise:
                data["merchandise"] = request.proposed_merchandise
            parties = None
            if request.proposed_remove_party_ids:
                parties = [
                    ScopedParty(party=link.party, qualifiers=link.qualifiers)
                    for link in order.order_parties.select_related("party")
                    if link.party_id not in request.proposed_remove_party_ids
                ]
            order_update(actor=actor, order=order, data=data, parties=parties, note=label, source=OrderSource.CASE)
            order_transition(actor=actor, order=order, transition="modify", note=label, source=OrderSource.CASE)
    request.status = OrderChangeRequest.Status.GRANTED if grant else OrderChangeRequest.Status.DENIED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    audit_record(
        actor=actor,
        action="order.change_request_decide",
        target=order,
        data={"request": request.pk, "granted": grant},
    )
    order_change_request_decided.send(sender=OrderChangeRequest, request=request, actor=actor)
    return request


def partner_organizations() -> list[Organization]:
    return list(Organization.objects.filter(kind=Organization.Kind.PARTNER))


# -------------------------------------------------------------------------------------- allegations


@transaction.atomic
def case_link_allegation(*, actor: Any, case: Case, allegation: Any, note: str = "") -> CaseAllegation:
    """Attach an allegation to a case and mark the allegation escalated (its triage records the case)."""
    from section307.allegations.services import allegation_mark_escalated

    _require(perms.can_work(actor, case))
    _open(case.pk)
    _require(actor.has_perm("allegations.triage_allegation"), "You may not triage allegations.")
    link, created = CaseAllegation.objects.get_or_create(
        case=case, allegation=allegation, defaults={"linked_by": actor, "note": note.strip()}
    )
    if created:
        allegation_mark_escalated(actor=actor, allegation=allegation, case_reference=case.reference)
        audit_record(actor=actor, action="case.link_allegation", target=case, data={"allegation": allegation.reference})
    return link


def allegation_scope(allegation: Any) -> dict[str, Any]:
    """What a case opened from this allegation starts with: its resolved parties, goods, country and region."""
    return {
        "parties": [n.party for n in allegation.named_parties.select_related("party") if n.party_id],
        "goods": list(allegation.goods.all()),
        "countries": [allegation.country] if allegation.country_id else [],
        "regions": [allegation.region] if allegation.region_id else [],
        "hts_prefixes": [allegation.hts_code] if allegation.hts_code else [],
    }


@transaction.atomic
def case_open_from_allegation(
    *, actor: Any, allegation: Any, title: str, template: CaseTemplate | None, **case_fields: Any
) -> Case:
    """Open a case pre-filled from an allegation and link the two (one transaction: both or neither)."""
    scope = allegation_scope(allegation)
    for key, value in scope.items():
        case_fields.setdefault(key, value)
    case_fields.setdefault("origin", Case.Origin.TIP)
    case = case_create(actor=actor, title=title, template=template, **case_fields)
    case_link_allegation(actor=actor, case=case, allegation=allegation, note="Case opened from this allegation.")
    return case


@transaction.atomic
def evidence_import_from_allegation(*, actor: Any, case: Case, attachment: Any, title: str = "") -> Evidence:
    """Copy an allegation's sanitized file into the case as evidence (never the original: it may identify
    the reporter). The reading is audited by the allegations app; the new evidence starts its own custody."""
    import io

    from section307.allegations.services import attachment_read

    _require(perms.can_work(actor, case))
    _open(case.pk)
    allegation = attachment.allegation
    if allegation is None or not CaseAllegation.objects.filter(case=case, allegation=allegation).exists():
        raise ValidationError({"attachment": "Only files of an allegation linked to this case can be imported."})
    already = Evidence.objects.filter(
        case=case, origin=Evidence.Origin.ALLEGATION, origin_ref=f"{allegation}/{attachment.pk}"
    )
    if already.exists():
        raise ValidationError({"attachment": "This file is already in the case's evidence."})
    data, name = attachment_read(actor=actor, attachment=attachment, original=False)
    return evidence_add(
        actor=actor,
        case=case,
        file=io.BytesIO(data),
        filename=name,
        kind=Evidence.Kind.PHOTO if attachment.kind == "image" else Evidence.Kind.DOCUMENT,
        title=title or attachment.description or f"File {name} from {allegation}",
        source=f"Allegation {allegation} (reporter)",
        reliability="F",
        date_obtained=attachment.created_at.date(),
        origin=Evidence.Origin.ALLEGATION,
        origin_ref=f"{allegation}/{attachment.pk}",
    )
