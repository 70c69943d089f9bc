"""section307.cases.services: evidence."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.allegations.crypto import DecryptionFailed, encrypt_bytes
from section307.cases import permissions as perms
from section307.cases.evidence_files import EvidenceFileError, check_file
from section307.cases.ilo import Dimension, Element, Indicator, Strength
from section307.cases.models import (
    Case,
    CustodyEvent,
    Evidence,
    EvidenceAnnotation,
    IloAssessment,
    IndicatorTag,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import _clean_text, _open, _require
from section307.core.audit import actor_label, audit_record
from section307.core.types import Actor, account, signed_in

# ----------------------------------------------------------------------------------------- evidence


def _custody(*, actor: Actor, evidence: Evidence, action: str, detail: dict[str, Any] | None = None) -> CustodyEvent:
    return CustodyEvent.objects.create(
        evidence=evidence,
        action=action,
        actor=account(actor),
        actor_label=actor_label(actor),
        detail=detail or {},
    )


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
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
        raise ValidationError({"date_obtained": gettext("The date obtained cannot be in the future.")})
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
        added_by=signed_in(actor),
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
    *, actor: Actor, evidence: Evidence, action: str, detail: dict[str, Any] | None = None
) -> None:
    """Each view, download and export goes into the chain of custody and the audit trail."""
    _require(perms.can_view_evidence(actor, evidence.case))
    if action not in {CustodyEvent.Action.VIEWED, CustodyEvent.Action.DOWNLOADED, CustodyEvent.Action.EXPORTED}:
        raise ValueError(f"not an access action: {action}")
    _custody(actor=actor, evidence=evidence, action=action, detail=detail)
    audit_record(actor=actor, action=f"evidence.{action}", target=evidence, data=detail or {})


@transaction.atomic
def evidence_verify(*, actor: Actor, evidence: Evidence) -> bool:
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
def evidence_annotate(*, actor: Actor, evidence: Evidence, body: str) -> EvidenceAnnotation:
    _require(perms.can_work(actor, evidence.case))
    _open(evidence.case_id)
    note = EvidenceAnnotation.objects.create(evidence=evidence, author=signed_in(actor), body=_clean_text(body, "body"))
    _custody(actor=actor, evidence=evidence, action=CustodyEvent.Action.ANNOTATED, detail={"annotation": note.pk})
    audit_record(actor=actor, action="evidence.annotate", target=evidence, data={"annotation": note.pk})
    return note


@transaction.atomic
def evidence_tag(
    *,
    actor: Actor,
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
        raise ValidationError({"indicator": gettext("Choose one of the 11 ILO indicators.")})
    default_dimension, default_element = DEFAULTS[indicator]
    tag = IndicatorTag(
        evidence=evidence,
        indicator=indicator,
        dimension=dimension or default_dimension,
        element=element or default_element,
        strength=strength,
        note=note.strip(),
        tagged_by=signed_in(actor),
    )
    if tag.dimension not in Dimension.values or tag.element not in Element.values or strength not in Strength.values:
        raise ValidationError({"strength": gettext("Choose a dimension, an element and a strength from the lists.")})
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
def evidence_tag_withdraw(*, actor: Actor, tag: IndicatorTag) -> IndicatorTag:
    _require(perms.can_work(actor, tag.evidence.case))
    _open(tag.evidence.case_id)
    if tag.withdrawn_at is None:
        tag.withdrawn_at = timezone.now()
        tag.withdrawn_by = signed_in(actor)
        tag.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action="evidence.tag_withdraw", target=tag.evidence, data={"tag": tag.pk})
    return tag


@transaction.atomic
def ilo_assessment_record(*, actor: Actor, case: Case, conclusion: str) -> IloAssessment:
    from section307.cases.selectors import ilo_summary

    _require(perms.can_work(actor, case))
    _open(case.pk)
    summary = ilo_summary(case=case)
    assessment, _ = IloAssessment.objects.update_or_create(
        case=case,
        defaults={
            "conclusion": _clean_text(conclusion, "conclusion"),
            "snapshot": summary.as_dict(),
            "assessed_by": signed_in(actor),
            "assessed_at": timezone.now(),
        },
    )
    audit_record(actor=actor, action="case.ilo_assessment", target=case, data={"summary": summary.as_dict()})
    _tasks.tasks_settle(actor=actor, case=case)
    return assessment
