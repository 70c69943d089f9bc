"""section307.cases.services: merge."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.models import (
    Case,
    CaseAllegation,
    CaseParty,
    OrderProposal,
    Phase,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import _clean_text, _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor, signed_in

# -------------------------------------------------------------------------------------------- merge


@transaction.atomic
def case_merge(*, actor: Actor, duplicate: Case, into: Case, note: str) -> Case:
    """Fold a duplicate case into another: scope, team and links move; the duplicate closes as merged.

    Evidence stays attached to the case it was gathered in (it is immutable), and the surviving
    case shows the evidence of every case merged into it.
    """
    if duplicate.pk == into.pk:
        raise ValidationError({"into": gettext("A case cannot be merged into itself.")})
    _require(
        perms.can_manage(actor, duplicate) and perms.can_manage(actor, into), gettext("You must manage both cases.")
    )
    duplicate = _open(duplicate.pk)
    into = _open(into.pk)
    if duplicate.proposals.exclude(status__in=[OrderProposal.Status.DRAFT, OrderProposal.Status.REJECTED]).exists():
        raise ValidationError(
            {"into": gettext("The duplicate has a submitted or issued proposal; it cannot be merged.")}
        )
    for link in duplicate.case_parties.all():
        CaseParty.objects.get_or_create(
            case=into, party=link.party, defaults={"role": link.role, "tier": link.tier, "notes": link.notes}
        )
    into.goods.add(*duplicate.goods.all())
    into.countries.add(*duplicate.countries.all())
    into.regions.add(*duplicate.regions.all())
    into.team.add(*[u for u in [duplicate.owner, *duplicate.team.all()] if u.pk != into.owner_id])
    for alink in CaseAllegation.objects.filter(case=duplicate):
        CaseAllegation.objects.get_or_create(
            case=into, allegation=alink.allegation, defaults={"linked_by": signed_in(actor)}
        )
    _tasks.tasks_settle(actor=actor, case=duplicate, reason=f"Case merged into {into.reference}")
    duplicate.phase = Phase.CLOSED
    duplicate.outcome = Case.Outcome.MERGED
    duplicate.closing_note = _clean_text(note, "note")
    duplicate.closed_at = timezone.now()
    duplicate.merged_into = into
    duplicate.save()
    audit_record(actor=actor, action="case.merged", target=duplicate, data={"into": into.reference})
    audit_record(actor=actor, action="case.merge", target=into, data={"duplicate": duplicate.reference})
    return into
