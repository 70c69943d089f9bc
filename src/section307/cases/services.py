"""Writes for cases. Each function is one transaction, checks the actor's rights and leaves an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from section307.accounts.models import Organization
from section307.allegations.crypto import DecryptionFailed, encrypt_bytes
from section307.cases import permissions as perms
from section307.cases.evidence_files import EvidenceFileError, check_file
from section307.cases.gates import gate_problems, open_task_warning
from section307.cases.ilo import Dimension, Element, Indicator, Strength
from section307.cases.lifecycle import (
    CASE_LIFECYCLE,
    PETITION_LIFECYCLE,
    PROPOSAL_LIFECYCLE,
    TASK_LIFECYCLE,
    require_open,
)
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
from section307.cases.signals import order_change_request_decided, petition_answered, petition_info_requested
from section307.core.audit import actor_label, audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.lifecycle import TransitionNotAllowed
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.orders.models import EnforcementOrder, OrderSource, OrderType
from section307.orders.services import ScopedParty, order_create, order_transition, order_update
from section307.parties.models import Party


class GateNotPassed(Conflict, ValidationError):  # type: ignore[misc]
    """A move was refused because the case is not ready; ``messages`` lists what is missing."""

    default_code = "gate_not_passed"

    def __init__(self, problems: list[str]) -> None:
        listed = [str(p) for p in problems]
        Conflict.__init__(self, " ".join(listed), extra={"errors": [{"message": p} for p in listed]})
        # Then the list form, so ``messages`` and form errors keep one entry per problem.
        ValidationError.__init__(self, problems)


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
                    gate=t.gate,
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


CASE_EDITABLE = ("title", "summary", "origin", "priority", "risk_rating", "hts_prefixes", "labor_type")


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
    tasks_settle(actor=actor, case=case)
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
    tasks_settle(actor=actor, case=case, reason=f"Case closed: {Case.Outcome(outcome).label}")
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
    tasks_settle(actor=actor, case=case)
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


def _task_move(*, actor: Any, task: CaseTask, transition: str, reason: str = "") -> CaseTask:
    """Move one task through ``TASK_LIFECYCLE`` and audit it (the caller holds the transaction)."""
    try:
        step = TASK_LIFECYCLE.check(transition, state=task.status, actor=actor)
    except TransitionNotAllowed as exc:
        raise Conflict(str(exc), field="task") from None
    previous = task.status
    task.status = step.target
    if step.target == CaseTask.Status.DONE:
        task.completed_at = timezone.now()
        task.completed_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        task.completed_at = None
        task.completed_by = None
    task.cancel_reason = reason[:300] if step.target == CaseTask.Status.CANCELLED else ""
    task.save(update_fields=["status", "completed_at", "completed_by", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=f"case.task_{step.name}",
        target=task.case,
        data={"task": task.pk, "from": previous, "to": task.status, "reason": reason},
    )
    return task


@transaction.atomic
def task_complete(*, actor: Any, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if task.status != CaseTask.Status.OPEN:
        raise ValidationError({"task": "This task is not open."})
    return _task_move(actor=actor, task=task, transition="complete")


@transaction.atomic
def task_reopen(*, actor: Any, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    return _task_move(actor=actor, task=task, transition="reopen")


def tasks_settle(*, actor: Any, case: Case, reason: str = "") -> list[CaseTask]:
    """Tasks follow the case: an open task whose condition is met is done; with ``reason``, every
    other open task is cancelled with it (closing a case, issuing its order). Called inside the
    transaction of the service that changed the case; each moved task is audited."""
    from section307.cases.taskgates import task_condition_met

    # Callers settle before they close the case, so a case already closed is a record.
    require_open(case)
    moved: list[CaseTask] = []
    met: dict[str, bool] = {}
    for task in CaseTask.objects.select_for_update().filter(case=case, status=CaseTask.Status.OPEN):
        if task.gate and met.setdefault(task.gate, task_condition_met(case, task.gate)):
            moved.append(_task_move(actor=actor, task=task, transition="complete"))
        elif reason:
            moved.append(_task_move(actor=actor, task=task, transition="cancel", reason=reason))
    return moved


def _approval_assignee(case: Case, proposal: OrderProposal) -> Any:
    """A supervisor of the case's agency who did not write the proposal (two-person rule)."""
    from django.contrib.auth import get_user_model

    if case.agency_id is None:
        return None
    return (
        get_user_model()
        .objects.filter(
            organization_id=case.agency_id,
            is_active=True,
            groups__permissions__content_type__app_label="cases",
            groups__permissions__codename="approve_proposal",
        )
        .exclude(pk=proposal.author_id)
        .order_by("username")
        .first()
    )


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
    tasks_settle(actor=actor, case=case)
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
        checked, data = check_file(file)
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
        content_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        origin=origin,
        origin_ref=origin_ref,
        added_by=actor,
    )
    evidence.full_clean(exclude=["file"])
    # Stored encrypted under a random name; the hash above is of the plaintext, as received.
    evidence.file.save("evidence", ContentFile(encrypt_bytes(data)), save=False)
    evidence.save()
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.ADDED, detail={"sha256": checked.sha256})
    audit_record(
        actor=actor,
        action="evidence.add",
        target=evidence,
        data={"case": case.reference, "sha256": checked.sha256, "size": checked.size, "type": checked.mime_type},
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
    from section307.cases.evidence_files import evidence_content, sha256_of

    _require(perms.can_work(actor, evidence.case))
    try:
        ok = sha256_of(evidence_content(evidence)) == evidence.sha256
    except (DecryptionFailed, OSError):
        ok = False  # altered or missing on disk: the chain of custody records the mismatch
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
    tasks_settle(actor=actor, case=case)
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


def _record_overlap(*, actor: Any, case: Case, proposal: OrderProposal) -> list[str]:
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
    _record_overlap(actor=actor, case=case, proposal=proposal)
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
    _record_overlap(actor=actor, case=case, proposal=proposal)
    tasks_settle(actor=actor, case=case)
    approver = _approval_assignee(case, proposal)
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
        labor_type=case.labor_type,
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
    tasks_settle(actor=actor, case=case, reason=f"Order {order.reference} issued")
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
    tasks_settle(actor=actor, case=duplicate, reason=f"Case merged into {into.reference}")
    duplicate.phase = Phase.CLOSED
    duplicate.outcome = Case.Outcome.MERGED
    duplicate.closing_note = _clean_text(note, "note")
    duplicate.closed_at = timezone.now()
    duplicate.merged_into = into
    duplicate.save()
    audit_record(actor=actor, action="case.merged", target=duplicate, data={"into": into.reference})
    audit_record(actor=actor, action="case.merge", target=into, data={"duplicate": duplicate.reference})
    return into


# ------------------------------------------------------------------- order modification petitions

# CBP, "WRO Modification/Revocation Processes Overview" (fact sheet, March 2021).
PETITION_SOURCE = "CBP WRO Modification/Revocation Processes Overview (2021)"
RULE_ALL_INDICATORS = (
    f"{PETITION_SOURCE}: CBP will not modify or revoke unless all forced labor indicators are remediated"
)
DECISIONS = {
    "modify": ("grant_modification", OrderChangeRequest.Kind.MODIFY),
    "revoke": ("grant_revocation", OrderChangeRequest.Kind.REVOKE),
    "deny": ("deny", None),
}
ADDRESSED = (OrderChangeRequest.Finding.REMEDIATED, OrderChangeRequest.Finding.REFUTED)


@dataclass(frozen=True)
class PetitionEvidence:
    """What CBP asks a petitioner for: each identified ILO indicator refuted or remediated, policies
    and controls, an unannounced independent third-party audit, a supply-chain map, worker remediation."""

    indicator_responses: dict[str, str] = field(default_factory=dict)
    policies: str = ""
    audit_firm: str = ""
    audit_date: dt.date | None = None
    audit_unannounced: bool = False
    audit_summary: str = ""
    supply_chain_map: str = ""
    remediation: str = ""
    remediation_amount_usd: Decimal | None = None
    remediation_workers: int | None = None


def petition_indicators(order: EnforcementOrder) -> list[str]:
    """The ILO indicators identified in the order: those the issuing case substantiated with tagged
    evidence, or all eleven for an order with no case here (loaded from an official list)."""
    proposal = OrderProposal.objects.filter(order=order).first()
    if proposal is not None:
        tagged = set(
            IndicatorTag.objects.filter(evidence__case_id=proposal.case_id, withdrawn_at__isnull=True).values_list(
                "indicator", flat=True
            )
        )
        if tagged:
            return [i for i in Indicator.values if i in tagged]
    return list(Indicator.values)


def _petition_channel(actor: Any, case: Case | None) -> str:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to file a petition.")
    if actor.has_perm("cases.decide_petition"):
        return OrderChangeRequest.Channel.HQ
    if actor.has_perm("cases.work_case"):
        if case is not None and not perms.can_work(actor, case):
            raise NotPermitted("You do not work this case.")
        return OrderChangeRequest.Channel.CASE
    if actor.has_perm("trade.use_portal") and getattr(actor, "organization_id", None):
        return OrderChangeRequest.Channel.PORTAL
    raise NotPermitted("Only importers, analysts and headquarters file petitions.")


def _clean_evidence(evidence: PetitionEvidence) -> PetitionEvidence:
    unknown = set(evidence.indicator_responses) - set(Indicator.values)
    if unknown:
        raise InvalidInput(f"Unknown ILO indicators: {', '.join(sorted(unknown))}.", field="indicator_responses")
    if evidence.remediation_amount_usd is not None and evidence.remediation_amount_usd < 0:
        raise InvalidInput("The amount repaid cannot be negative.", field="remediation_amount_usd")
    if evidence.audit_date is not None and evidence.audit_date > timezone.localdate():
        raise InvalidInput("The audit date cannot be in the future.", field="audit_date")
    return evidence


@transaction.atomic
def petition_file(
    *,
    actor: Any,
    order: EnforcementOrder,
    kind: str,
    grounds: str,
    ground: str = OrderChangeRequest.Ground.NO_LONGER_MADE,
    evidence: PetitionEvidence | None = None,
    proposed_merchandise: str = "",
    proposed_remove_party_ids: Sequence[int] = (),
    requester_name: str = "",
    organization: Organization | None = None,
    case: Case | None = None,
) -> OrderChangeRequest:
    """File a modification or revocation petition against any enforced order: by an importer (portal
    or API), by an analyst from a case, or by headquarters. It lands in the headquarters queue."""
    channel = _petition_channel(actor, case)
    if kind not in OrderChangeRequest.Kind.values:
        raise InvalidInput("Choose modification or revocation.", field="kind")
    if ground not in OrderChangeRequest.Ground.values:
        raise InvalidInput("Choose one of the grounds.", field="ground")
    if order.order_type not in (OrderType.WRO, OrderType.FINDING):
        # The UFLPA Entity List and the statutory presumptions are not changed by a CBP petition.
        raise InvalidInput(
            f"{order.reference} is a {order.get_order_type_display()}: only a WRO or a Finding is modified "
            "or revoked on petition.",
            rule=PETITION_SOURCE,
            field="order",
        )
    if not order.is_enforced:
        raise Conflict(
            f"{order.reference} is not in force; only an active or modified order can change.", field="order"
        )
    order_party_ids = set(order.order_parties.values_list("party_id", flat=True))
    if set(proposed_remove_party_ids) - order_party_ids:
        raise InvalidInput("Only parties named in the order can be removed.", field="proposed_remove_party_ids")
    if kind == OrderChangeRequest.Kind.MODIFY and not (proposed_merchandise.strip() or proposed_remove_party_ids):
        raise InvalidInput("Say what should change: the merchandise or the parties.", field="proposed_merchandise")
    if not (grounds or "").strip():
        raise InvalidInput("This field is required.", field="grounds")
    evidence = _clean_evidence(evidence or PetitionEvidence())
    if channel == OrderChangeRequest.Channel.PORTAL:
        organization = actor.organization
    if case is None:
        proposal = OrderProposal.objects.filter(order=order).select_related("case").first()
        case = proposal.case if proposal else None
    petition = OrderChangeRequest(
        order=order,
        case=case,
        kind=kind,
        ground=ground,
        grounds=grounds.strip(),
        filed_via=channel,
        proposed_merchandise=proposed_merchandise.strip(),
        proposed_remove_party_ids=sorted(set(proposed_remove_party_ids)),
        requester_name=requester_name.strip() or actor.get_full_name() or actor.get_username(),
        organization=organization if organization is not None else getattr(actor, "organization", None),
        indicators=petition_indicators(order),
        indicator_responses={k: v.strip() for k, v in evidence.indicator_responses.items() if v.strip()},
        policies=evidence.policies.strip(),
        audit_firm=evidence.audit_firm.strip()[:200],
        audit_date=evidence.audit_date,
        audit_unannounced=evidence.audit_unannounced,
        audit_summary=evidence.audit_summary.strip(),
        supply_chain_map=evidence.supply_chain_map.strip(),
        remediation=evidence.remediation.strip(),
        remediation_amount_usd=evidence.remediation_amount_usd,
        remediation_workers=evidence.remediation_workers,
        submitted_by=actor,
    )
    petition.save()
    audit_record(
        actor=actor,
        action="order.petition_file",
        target=order,
        data={"petition": petition.pk, "kind": kind, "via": channel, "organization": getattr(organization, "pk", None)},
    )
    return petition


def _petition_locked(petition: OrderChangeRequest) -> OrderChangeRequest:
    return (
        OrderChangeRequest.objects.select_for_update(of=("self",))
        .select_related("order", "case", "organization")
        .get(pk=petition.pk)
    )


def _petition_step(petition: OrderChangeRequest, transition: str, actor: Any) -> str:
    step = PETITION_LIFECYCLE.transition(transition)
    if petition.status not in step.sources:
        raise Conflict(
            f"The petition is {petition.get_status_display().lower()}; it cannot be moved to "
            f"'{step.label.lower()}' now.",
            field="status",
        )
    try:
        return PETITION_LIFECYCLE.check(transition, state=petition.status, actor=actor).target
    except TransitionNotAllowed as exc:
        raise NotPermitted(str(exc)) from None


def _require_hq(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("cases.decide_petition")):
        raise NotPermitted("Only a headquarters forced-labor reviewer decides petitions.")


def _is_petitioner(actor: Any, petition: OrderChangeRequest) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if petition.submitted_by_id == actor.pk:
        return True
    org = getattr(actor, "organization_id", None)
    return org is not None and org == petition.organization_id and actor.has_perm("trade.use_portal")


@transaction.atomic
def petition_review(*, actor: Any, petition: OrderChangeRequest) -> OrderChangeRequest:
    """A reviewer takes the petition: it is now under review, with that reviewer named."""
    _require_hq(actor)
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "review", actor)
    petition.reviewer = actor
    petition.save(update_fields=["status", "reviewer", "updated_at"])
    audit_record(actor=actor, action="order.petition_review", target=petition.order, data={"petition": petition.pk})
    return petition


def petition_answer_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "SECTION307_PETITION_ANSWER_DAYS", 30))


@transaction.atomic
def petition_request_info(
    *, actor: Any, petition: OrderChangeRequest, question: str, due_date: dt.date | None = None
) -> OrderChangeRequest:
    """Ask the petitioner for more (the remediation dialogue); the answer is due by ``due_date``."""
    _require_hq(actor)
    question = (question or "").strip()
    if not question:
        raise InvalidInput("Write the question.", field="question")
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=petition_answer_days())
    if due_date < today:
        raise InvalidInput("The answer cannot be due in the past.", field="due_date")
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "request_info", actor)
    petition.reviewer = petition.reviewer or actor
    petition.info_question, petition.info_due_date, petition.info_answer = question, due_date, ""
    petition.save(update_fields=["status", "reviewer", "info_question", "info_due_date", "info_answer", "updated_at"])
    audit_record(
        actor=actor,
        action="order.petition_request_info",
        target=petition.order,
        data={"petition": petition.pk, "due": due_date.isoformat()},
    )
    petition_info_requested.send(sender=OrderChangeRequest, petition=petition, actor=actor)
    return petition


@transaction.atomic
def petition_answer(*, actor: Any, petition: OrderChangeRequest, answer: str) -> OrderChangeRequest:
    if not _is_petitioner(actor, petition):
        raise NotPermitted("Only the petitioner answers.")
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput("Write the answer.", field="answer")
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "answer", actor)
    petition.info_answer = answer
    petition.save(update_fields=["status", "info_answer", "updated_at"])
    audit_record(actor=actor, action="order.petition_answer", target=petition.order, data={"petition": petition.pk})
    petition_answered.send(sender=OrderChangeRequest, petition=petition, actor=actor)
    return petition


@transaction.atomic
def petition_withdraw(*, actor: Any, petition: OrderChangeRequest) -> OrderChangeRequest:
    if not _is_petitioner(actor, petition):
        raise NotPermitted("Only the petitioner withdraws a petition.")
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "withdraw", actor)
    petition.decided_at = timezone.now()
    petition.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="order.petition_withdraw", target=petition.order, data={"petition": petition.pk})
    return petition


def _check_indicators(petition: OrderChangeRequest, findings: dict[str, str]) -> None:
    """The rule of the 2021 fact sheet: every indicator identified in the order is remediated (or
    refuted as never present) before CBP modifies or revokes."""
    bad = set(findings) - set(Indicator.values)
    if bad or any(v not in OrderChangeRequest.Finding.values for v in findings.values()):
        raise InvalidInput("Give a finding (remediated, refuted, not remediated) per ILO indicator.", field="findings")
    open_ = [i for i in petition.indicators if findings.get(i) not in ADDRESSED]
    if open_:
        labels = ", ".join(Indicator(i).label for i in open_)
        raise Conflict(
            f"Not every forced-labor indicator is remediated: {labels}.", rule=RULE_ALL_INDICATORS, field="findings"
        )


@transaction.atomic
def petition_decide(
    *,
    actor: Any,
    petition: OrderChangeRequest,
    decision: str,
    note: str,
    findings: dict[str, str] | None = None,
) -> OrderChangeRequest:
    """Headquarters decides: modify or revoke the order through its lifecycle (history kept), or deny.
    The decision notice goes to the petitioner; the open detentions under the order are listed
    for the port to act on."""
    from section307.cases.selectors import order_open_detentions

    _require_hq(actor)
    if decision not in DECISIONS:
        raise InvalidInput("Choose modify, revoke or deny.", field="decision")
    transition, kind = DECISIONS[decision]
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Write the decision note.", field="note")
    petition = _petition_locked(petition)
    target = _petition_step(petition, transition, actor)
    findings = dict(findings or {})
    if kind is not None:
        if petition.kind != kind:
            raise InvalidInput(
                f"This is a {petition.get_kind_display().lower()} petition; grant it as such or deny it.",
                field="decision",
            )
        _check_indicators(petition, findings)
    order = petition.order
    if kind is not None:
        label = f"Petition {petition.pk} granted: {note}"
        if kind == OrderChangeRequest.Kind.REVOKE:
            order_transition(actor=actor, order=order, transition="revoke", note=label, source=OrderSource.CASE)
        else:
            data: dict[str, Any] = {}
            if petition.proposed_merchandise:
                data["merchandise"] = petition.proposed_merchandise
            parties = None
            if petition.proposed_remove_party_ids:
                parties = [
                    ScopedParty(party=link.party, qualifiers=link.qualifiers)
                    for link in order.order_parties.select_related("party")
                    if link.party_id not in petition.proposed_remove_party_ids
                ]
            order_update(actor=actor, order=order, data=data, parties=parties, note=label, source=OrderSource.CASE)
            order_transition(actor=actor, order=order, transition="modify", note=label, source=OrderSource.CASE)
        petition.detained_entries = [d.entry.entry_number for d in order_open_detentions(order)]
    petition.status = target
    petition.indicator_findings = findings
    petition.decided_by = actor
    petition.decided_at = timezone.now()
    petition.decision_note = note
    petition.save()
    audit_record(
        actor=actor,
        action="order.petition_decide",
        target=order,
        data={"petition": petition.pk, "decision": decision, "detained_entries": petition.detained_entries},
    )
    order_change_request_decided.send(sender=OrderChangeRequest, request=petition, actor=actor)
    return petition


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
