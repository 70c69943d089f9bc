"""section307.cases.services: allegations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.models import (
    Case,
    CaseAllegation,
    CaseTemplate,
    Evidence,
)
from section307.cases.services import cases as _cases
from section307.cases.services import evidence as _evidence
from section307.cases.services._base import _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor, signed_in

# -------------------------------------------------------------------------------------- allegations


@transaction.atomic
def case_link_allegation(*, actor: Actor, case: Case, allegation: Any, note: str = "") -> CaseAllegation:
    """Attach an allegation to a case and mark the allegation escalated (its triage records the case)."""
    from section307.allegations.services import allegation_mark_escalated

    _require(perms.can_work(actor, case))
    _open(case.pk)
    _require(actor.has_perm("allegations.triage_allegation"), gettext("You may not triage allegations."))
    link, created = CaseAllegation.objects.get_or_create(
        case=case, allegation=allegation, defaults={"linked_by": signed_in(actor), "note": note.strip()}
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
    *, actor: Actor, allegation: Any, title: str, template: CaseTemplate | None, **case_fields: Any
) -> Case:
    """Open a case pre-filled from an allegation and link the two (one transaction: both or neither)."""
    scope = allegation_scope(allegation)
    for key, value in scope.items():
        case_fields.setdefault(key, value)
    case_fields.setdefault("origin", Case.Origin.TIP)
    case = _cases.case_create(actor=actor, title=title, template=template, **case_fields)
    case_link_allegation(actor=actor, case=case, allegation=allegation, note="Case opened from this allegation.")
    return case


@transaction.atomic
def evidence_import_from_allegation(*, actor: Actor, case: Case, attachment: Any, title: str = "") -> Evidence:
    """Copy an allegation's sanitized file into the case as evidence (never the original: it may identify
    the reporter). The reading is audited by the allegations app; the new evidence starts its own custody."""
    import io

    from section307.allegations.services import attachment_read

    _require(perms.can_work(actor, case))
    _open(case.pk)
    allegation = attachment.allegation
    if allegation is None or not CaseAllegation.objects.filter(case=case, allegation=allegation).exists():
        raise ValidationError(
            {"attachment": gettext("Only files of an allegation linked to this case can be imported.")}
        )
    already = Evidence.objects.filter(
        case=case, origin=Evidence.Origin.ALLEGATION, origin_ref=f"{allegation}/{attachment.pk}"
    )
    if already.exists():
        raise ValidationError({"attachment": gettext("This file is already in the case's evidence.")})
    data, name = attachment_read(actor=actor, attachment=attachment, original=False)
    return _evidence.evidence_add(
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
