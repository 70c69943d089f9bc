"""section307.cases.services: supply chain."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.models import (
    Case,
    CaseParty,
    OrderProposal,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor
from section307.parties.models import Party

# ------------------------------------------------------------------------------------- supply chain


@transaction.atomic
def case_party_add(
    *,
    actor: Actor,
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
    _tasks.tasks_settle(actor=actor, case=case)
    return link


@transaction.atomic
def case_party_remove(*, actor: Actor, case: Case, link: CaseParty) -> None:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    if link.case_id != case.pk:
        raise PermissionDenied(gettext("That party is not in this case."))
    if OrderProposal.objects.filter(scope_parties=link).exclude(status=OrderProposal.Status.DRAFT).exists():
        raise ValidationError({"party": gettext("This party is named in a submitted or issued proposal.")})
    audit_record(actor=actor, action="case.party_remove", target=case, data={"party": link.party_id})
    link.delete()
