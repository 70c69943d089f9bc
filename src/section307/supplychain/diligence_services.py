"""Writes for the due-diligence self-assessment and remediation plans.

Only the organization's trade users edit; staff who read every map (``supplychain.view_all_maps``)
read assessments and plans. A submitted assessment version is frozen: every write below refuses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from section307.core.types import Actor, signed_in
from section307.ports.permissions import is_trade_user
from section307.supplychain import permissions as perms
from section307.supplychain.diligence import ELEMENT_BY_CODE, ELEMENTS, AnswerStatus, assessment_score
from section307.supplychain.lifecycle import REMEDIATION_PLAN
from section307.supplychain.models import (
    Assessment,
    AssessmentAnswer,
    Evidence,
    Milestone,
    Node,
    RemediationPlan,
    SupplyChainMap,
)


class AssessmentFrozen(Conflict):
    default_code = "assessment_submitted"


# ------------------------------------------------------------------------------- permissions


def can_edit_org(actor: Actor | None, organization_id: int) -> bool:
    return is_trade_user(actor) and actor.organization_id == organization_id


def can_view_org(actor: Actor | None, organization_id: int) -> bool:
    return perms.reads_all(actor) or can_edit_org(actor, organization_id)


def _require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise NotPermitted(message or _("You may not change this organization's due diligence."))


# ------------------------------------------------------------------------------- reads


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("organization")
    if perms.reads_all(actor):
        return qs
    if is_trade_user(actor) and actor.organization_id is not None:
        return qs.filter(organization_id=actor.organization_id)
    return qs.none()


def plans_visible_to(actor: Actor) -> QuerySet[RemediationPlan]:
    qs = RemediationPlan.objects.select_related("organization", "map", "node")
    if perms.reads_all(actor):
        return qs
    if is_trade_user(actor) and actor.organization_id is not None:
        return qs.filter(organization_id=actor.organization_id)
    return qs.none()


def may_read_diligence(actor: Actor | None) -> bool:
    """Whoever reads some organization's due diligence: staff who read every map, and trade users."""
    return perms.reads_all(actor) or is_trade_user(actor)


def require_reader(actor: Actor | None) -> None:
    if not may_read_diligence(actor):
        raise NotPermitted(_("Due diligence is read by the organization's trade users and by enforcement staff."))


def assessment_get(*, actor: Actor, pk: int) -> Assessment:
    """One assessment the actor may read; another organization's answers "not found" (never 403)."""
    assessment = assessments_visible_to(actor).filter(pk=pk).first()
    if assessment is None:
        raise NotFound(_("No such assessment."))
    return assessment


def plan_get(*, actor: Actor, pk: int) -> RemediationPlan:
    """One remediation plan the actor may read; another organization's answers "not found"."""
    plan = plans_visible_to(actor).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("No such remediation plan."))
    return plan


def milestone_get(*, plan: RemediationPlan, pk: int) -> Milestone:
    milestone = plan.milestones.filter(pk=pk).first()
    if milestone is None:
        raise NotFound(_("No such milestone in this plan."))
    return milestone


def latest_submitted(organization_id: int | None) -> Assessment | None:
    if organization_id is None:
        return None
    return (
        Assessment.objects.filter(organization_id=organization_id, status=Assessment.Status.SUBMITTED)
        .order_by("-version")
        .first()
    )


def answers_by_element(assessment: Assessment) -> list[AssessmentAnswer]:
    """One answer per element, in the order of ``ELEMENTS`` (unsaved blanks for elements not answered)."""
    saved = {a.element: a for a in assessment.answers.select_related("map", "evidence")}
    return [saved.get(e.code) or AssessmentAnswer(assessment=assessment, element=e.code) for e in ELEMENTS]


def _score(assessment: Assessment) -> int:
    return assessment_score([(a.status, a.has_evidence) for a in assessment.answers.all()])


# ------------------------------------------------------------------------------- assessment writes


@transaction.atomic
def assessment_draft(*, actor: Actor) -> Assessment:
    """The organization's draft; a new one (the next version, answers copied from the latest submitted
    version) when there is none."""
    _require(is_trade_user(actor))
    org_id = signed_in(actor).organization_id
    assert org_id is not None
    draft = (
        Assessment.objects.select_for_update().filter(organization_id=org_id, status=Assessment.Status.DRAFT).first()
    )
    if draft is not None:
        return draft
    last = Assessment.objects.filter(organization_id=org_id).order_by("-version").first()
    draft = Assessment.objects.create(organization_id=org_id, version=(last.version + 1) if last else 1)
    if last is not None:
        for a in last.answers.all():
            # The copy points to the same stored (encrypted) file; a new upload on the draft is a new file,
            # so the submitted version's document never changes.
            a.pk = None
            a.assessment = draft
            a.save()
        draft.score = _score(draft)
        draft.save(update_fields=["score", "updated_at"])
    audit_record(actor=actor, action="supplychain.assessment_draft", target=draft, data={"version": draft.version})
    return draft


def _editable(actor: Actor, assessment: Assessment) -> None:
    _require(can_edit_org(actor, assessment.organization_id))
    if assessment.status != Assessment.Status.DRAFT:
        raise AssessmentFrozen(_("A submitted version cannot change; edit the new draft instead."))


@transaction.atomic
def answer_save(
    *,
    actor: Actor,
    assessment: Assessment,
    element: str,
    status: str,
    narrative: str = "",
    map_id: int | None = None,
    evidence_id: int | None = None,
    document: bytes | None = None,
    document_name: str = "",
) -> AssessmentAnswer:
    """Answer one element: status, narrative and its evidence (a map, a traceability document, a file)."""
    from django.core.files.base import ContentFile

    from section307.allegations.crypto import encrypt_bytes
    from section307.core.uploads import check_upload

    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _editable(actor, assessment)
    if element not in ELEMENT_BY_CODE:
        raise InvalidInput(_("Unknown due-diligence element."), field="element")
    if status not in AnswerStatus.values:
        raise InvalidInput(_("Choose not started, partial or in place."), field="status")
    org_id = assessment.organization_id
    chain_map = None
    if map_id:
        chain_map = SupplyChainMap.objects.filter(pk=map_id, organization_id=org_id).first()
        if chain_map is None:
            raise InvalidInput(_("That supplier map is not one of your organization's."), field="map")
    evidence = None
    if evidence_id:
        evidence = Evidence.objects.filter(pk=evidence_id, map__organization_id=org_id).first()
        if evidence is None:
            raise InvalidInput(_("That traceability document is not one of your organization's."), field="evidence")
    answer = AssessmentAnswer.objects.filter(assessment=assessment, element=element).first() or AssessmentAnswer(
        assessment=assessment, element=element
    )
    answer.status = status
    answer.narrative = narrative.strip()
    answer.map = chain_map
    answer.evidence = evidence
    if document:
        checked = check_upload(document, context="trade_document", field="document")
        answer.original_name = (document_name or "document")[:255]
        answer.content_type = checked.mime_type
        answer.size = checked.size
        answer.sha256 = checked.sha256
        answer.file.save(f"{checked.sha256[:16]}.{checked.extension}", ContentFile(encrypt_bytes(document)), save=False)
    answer.save()
    assessment.score = _score(assessment)
    assessment.save(update_fields=["score", "updated_at"])
    audit_record(
        actor=actor,
        action="supplychain.assessment_answer",
        target=assessment,
        data={
            "element": element,
            "status": status,
            "map": chain_map.pk if chain_map else None,
            "evidence": evidence.pk if evidence else None,
            "sha256": answer.sha256 or None,
        },
    )
    return answer


@transaction.atomic
def assessment_submit(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Freeze this version: scored, dated, never changed again. The next edit opens a new draft."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _editable(actor, assessment)
    if not assessment.answers.exists():
        raise InvalidInput(_("Answer at least one element before submitting."), field="answers")
    assessment.score = _score(assessment)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = signed_in(actor)
    assessment.save()
    audit_record(
        actor=actor,
        action="supplychain.assessment_submit",
        target=assessment,
        data={"version": assessment.version, "score": assessment.score},
    )
    return assessment


def answer_document(*, actor: Actor, answer: AssessmentAnswer) -> bytes:
    """The uploaded document, after checking its SHA-256 against the one recorded at upload."""
    from section307.allegations.crypto import decrypt_bytes
    from section307.supplychain.services import EvidenceTampered

    _require(can_view_org(actor, answer.assessment.organization_id), _("You may not read this document."))
    if not answer.file:
        raise InvalidInput(_("This answer has no uploaded document."), field="document")
    with answer.file.open("rb") as fh:
        data = decrypt_bytes(fh.read())
    if hashlib.sha256(data).hexdigest() != answer.sha256:
        raise EvidenceTampered(_("The stored file does not match the hash recorded at upload."), field="file")
    return data


# ------------------------------------------------------------------------------- remediation plans


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    title: str,
    description: str = "",
    map_id: int | None = None,
    node_id: int | None = None,
    detention_id: int | None = None,
) -> RemediationPlan:
    _require(is_trade_user(actor))
    org_id = signed_in(actor).organization_id
    assert org_id is not None
    if not title.strip():
        raise InvalidInput(_("Give the plan a title."), field="title")
    chain_map = node = detention = None
    if map_id:
        chain_map = SupplyChainMap.objects.filter(pk=map_id, organization_id=org_id).first()
        if chain_map is None:
            raise InvalidInput(_("That supplier map is not one of your organization's."), field="map")
    if node_id:
        node = Node.objects.filter(pk=node_id, map__organization_id=org_id).select_related("map").first()
        if node is None or (chain_map is not None and node.map_id != chain_map.pk):
            raise InvalidInput(_("That supplier is not in your organization's map."), field="node")
        chain_map = node.map
    if detention_id:
        from section307.ports.models import Detention

        detention = Detention.objects.filter(pk=detention_id, entry__organization_id=org_id).first()
        if detention is None:
            raise InvalidInput(_("That detention is not one of your organization's entries."), field="detention")
    plan = RemediationPlan.objects.create(
        organization_id=org_id,
        title=title.strip()[:200],
        description=description.strip(),
        map=chain_map,
        node=node,
        detention=detention,
        created_by=signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="supplychain.plan_create",
        target=plan,
        data={"map": map_id, "node": node_id, "detention": detention_id},
    )
    return plan


def _plan_open(actor: Actor, plan: RemediationPlan) -> None:
    _require(can_edit_org(actor, plan.organization_id))
    if plan.status != RemediationPlan.Status.OPEN:
        raise Conflict(_("The plan is closed: its outcome is recorded."), code="plan_closed")


@transaction.atomic
def milestone_add(*, actor: Actor, plan: RemediationPlan, title: str, due_date: dt.date | None) -> Milestone:
    plan = RemediationPlan.objects.select_for_update().get(pk=plan.pk)
    _plan_open(actor, plan)
    if not title.strip():
        raise InvalidInput(_("Name the milestone."), field="title")
    if due_date is None:
        raise InvalidInput(_("Give the milestone a due date."), field="due_date")
    milestone = Milestone.objects.create(plan=plan, title=title.strip()[:200], due_date=due_date)
    audit_record(
        actor=actor,
        action="supplychain.milestone_add",
        target=plan,
        data={"milestone": milestone.pk, "due_date": due_date.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_complete(*, actor: Actor, milestone: Milestone, note: str = "") -> Milestone:
    plan = RemediationPlan.objects.select_for_update().get(pk=milestone.plan_id)
    _plan_open(actor, plan)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status == Milestone.Status.DONE:
        raise Conflict(_("This milestone is already done."), code="milestone_done")
    milestone.status = Milestone.Status.DONE
    milestone.done_at = timezone.now()
    milestone.note = note.strip()[:500]
    milestone.save()
    audit_record(actor=actor, action="supplychain.milestone_complete", target=plan, data={"milestone": milestone.pk})
    return milestone


@transaction.atomic
def plan_close(*, actor: Actor, plan: RemediationPlan, transition: str, note: str = "") -> RemediationPlan:
    """Record the plan's outcome: remediated, not remediated or abandoned (a note says why)."""
    plan = RemediationPlan.objects.select_for_update().get(pk=plan.pk)
    _require(can_edit_org(actor, plan.organization_id))
    t = REMEDIATION_PLAN.check(transition, state=plan.status, actor=actor)
    if not note.strip():
        raise InvalidInput(_("Say what the outcome was."), field="note")
    if t.name == "remediate" and plan.milestones.filter(status=Milestone.Status.PENDING).exists():
        raise Conflict(
            _("Complete every milestone before recording the plan as remediated."), code="milestones_pending"
        )
    before = plan.status
    plan.status = t.target
    plan.outcome_note = note.strip()
    plan.closed_at = timezone.now()
    plan.save()
    audit_record(
        actor=actor,
        action=f"supplychain.plan_{t.name}",
        target=plan,
        data={"from": before, "to": plan.status},
    )
    return plan
