"""section307.cases.services: stakeholders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases.models import (
    Case,
    StakeholderEngagement,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import _clean_text, _open, _require
from section307.core.audit import audit_record
from section307.core.types import Actor, signed_in

# ------------------------------------------------------------------------------------- stakeholders


@transaction.atomic
def engagement_record(
    *,
    actor: Actor,
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
        raise ValidationError({"referral_details": gettext("Say to whom the workers were referred, and for what.")})
    engagement = StakeholderEngagement(
        case=case,
        kind=kind,
        stakeholder=_clean_text(stakeholder, "stakeholder"),
        engaged_on=engaged_on,
        summary=_clean_text(summary, "summary"),
        protection_referral=protection_referral,
        referral_details=referral_details.strip(),
        recorded_by=signed_in(actor),
    )
    engagement.full_clean()
    engagement.save()
    audit_record(actor=actor, action="case.engagement", target=case, data={"engagement": engagement.pk, "kind": kind})
    _tasks.tasks_settle(actor=actor, case=case)
    return engagement
