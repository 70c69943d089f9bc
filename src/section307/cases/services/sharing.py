"""section307.cases.services: sharing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.accounts.models import Organization
from section307.cases import permissions as perms
from section307.cases.models import (
    Case,
    CaseShare,
)
from section307.cases.services._base import _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor, signed_in

# ------------------------------------------------------------------------------------------ sharing


@transaction.atomic
def case_share(
    *, actor: Actor, case: Case, organization: Organization, access: str, include_evidence: bool = False
) -> CaseShare:
    _require(perms.can_manage(actor, case), gettext("Only the owner or a supervisor shares a case."))
    _open(case.pk)
    if organization.kind != Organization.Kind.PARTNER:
        raise ValidationError({"organization": gettext("Cases are shared only with partner agencies.")})
    if access not in CaseShare.Access.values:
        raise ValidationError({"access": gettext("Choose read-only or read and comment.")})
    CaseShare.objects.filter(case=case, organization=organization, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    share = CaseShare.objects.create(
        case=case,
        organization=organization,
        access=access,
        include_evidence=include_evidence,
        granted_by=signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="case.share",
        target=case,
        data={"organization": organization.name, "access": access, "evidence": include_evidence},
    )
    return share


@transaction.atomic
def case_share_revoke(*, actor: Actor, share: CaseShare) -> CaseShare:
    _require(perms.can_manage(actor, share.case), gettext("Only the owner or a supervisor changes sharing."))
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="case.unshare", target=share.case, data={"organization": share.organization.name}
        )
    return share
