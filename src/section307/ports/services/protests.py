"""section307.ports.services: protests."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ports import law
from section307.ports.models import (
    Clock,
    Detention,
    Determination,
    Protest,
)
from section307.ports.services import decisions as _decisions
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import _user, timeline_add

# -- protests --------------------------------------------------------------------------------------------


@transaction.atomic
def protest_file(
    *, actor: Actor, detention: Detention, grounds: str, accelerated: bool = False, today: dt.date | None = None
) -> Protest:
    """The importer protests an exclusion or deemed exclusion (19 U.S.C. 1514(a)(4)) within 180 days
    (1514(c)(3)); one protest per entry. A pending protest stops abandonment (19 CFR 12.44(a))."""
    from section307.ports.permissions import can_act_for_detention

    grounds = (grounds or "").strip()
    detention = _decisions._lock_detention(detention)
    if not can_act_for_detention(actor, detention):
        raise NotPermitted(gettext("only the importer of record (or its broker) may protest"))
    if not grounds:
        raise InvalidInput(gettext("state the grounds of the protest"), field="grounds")
    entry = detention.entry
    if Protest.objects.filter(entry=entry).exists():
        raise Conflict(gettext("a protest has already been filed for this entry"), rule="19 U.S.C. 1514(c)(1)")
    if detention.status != Detention.Status.EXCLUDED:
        raise Conflict(gettext("only an exclusion or a deemed exclusion can be protested"), rule="19 U.S.C. 1514(a)(4)")
    today = today or timezone.localdate()
    window = Clock.objects.filter(entry=entry, kind=law.PROTEST_FILING).first()
    if window is not None and today > window.due_date:
        raise Conflict(
            gettext("the 180 days to protest ended on %(date)s") % {"date": f"{window.due_date:%Y-%m-%d}"},
            rule="19 U.S.C. 1514(c)(3)",
        )
    assert entry.organization is not None
    protest = Protest.objects.create(
        entry=entry,
        detention=detention,
        organization=entry.organization,
        filed_by=_user(actor),
        filed_on=today,
        grounds=grounds,
        accelerated=accelerated,
    )
    _targeting._clocks_stop(entry, law.PROTEST_FILING, f"protest filed on {today:%Y-%m-%d}")
    decision = _targeting.clock_start(entry=entry, detention=detention, kind=law.PROTEST_DECISION, start=today)
    deemed = _targeting.clock_start(entry=entry, detention=detention, kind=law.EXCLUSION_PROTEST, start=today)
    if accelerated:
        _targeting.clock_start(entry=entry, detention=detention, kind=law.ACCELERATED_DISPOSITION, start=today)
    timeline_add(
        entry=entry,
        kind="protest",
        summary=f"Protest filed: {grounds}. Decision due by {decision.due_date:%Y-%m-%d} (19 U.S.C. 1515(a)); "
        f"deemed denied if not decided by {deemed.due_date:%Y-%m-%d} (19 U.S.C. 1499(c)(5)(B)). "
        "The goods are not abandoned while it is pending.",
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action="protest.file", target=protest, data={"accelerated": accelerated})
    return protest


def _protest_close(determination: Determination, today: dt.date) -> str:
    protest = determination.protest
    assert protest is not None
    protest.status = Protest.Status.ALLOWED if determination.favourable else Protest.Status.DENIED
    protest.decided_on = today
    protest.decision_reasons = determination.reasons
    protest.save(update_fields=["status", "decided_on", "decision_reasons", "updated_at"])
    for kind in (law.PROTEST_DECISION, law.EXCLUSION_PROTEST, law.ACCELERATED_DISPOSITION):
        _targeting._clocks_stop(protest.entry, kind, f"protest {protest.status} on {today:%Y-%m-%d}")
    if determination.favourable:
        return " The port releases the goods."
    suit = _targeting.clock_start(entry=protest.entry, detention=protest.detention, kind=law.CIVIL_ACTION, start=today)
    return (
        f" The importer may contest the denial in the Court of International Trade within 180 days, by "
        f"{suit.due_date:%Y-%m-%d} (28 U.S.C. 2636(a))."
    )
