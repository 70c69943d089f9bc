"""section307.ports.services: forfeiture after seizure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ports import law
from section307.ports.calendars import cost_bond
from section307.ports.models import (
    ApiToken,
    Clock,
    Detention,
    Entry,
    ForfeitureStep,
)
from section307.ports.services import decisions as _decisions
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import _user, timeline_add

# -- forfeiture after seizure ----------------------------------------------------------------------------

_FS = ForfeitureStep.Step
# A step needs the earlier one; it starts or stops a clock.
_STEP_NEEDS = {
    _FS.PUBLICATION: _FS.NOTICE_OF_SEIZURE,
    _FS.PETITION: _FS.NOTICE_OF_SEIZURE,
    _FS.CLAIM_BOND: _FS.PUBLICATION,
}
_STEP_STARTS = {_FS.NOTICE_OF_SEIZURE: law.PETITION, _FS.PUBLICATION: law.CLAIM_BOND}
_STEP_STOPS = {
    _FS.PETITION: (law.PETITION,),
    _FS.CLAIM_BOND: (law.CLAIM_BOND,),
    _FS.DECISION: (law.PETITION, law.CLAIM_BOND),
}


def entry_value(entry: Entry) -> Decimal:
    return sum((ln.value_usd or Decimal("0") for ln in entry.lines.all()), Decimal("0"))


def forfeiture_step_check(
    *, step: str, done: set[str], value: Decimal, amount: Decimal | None
) -> tuple[tuple[str, ...], str | None]:
    """The rules every forfeiture after a seizure shares (Part 162 subpart E, Part 171), whatever the seized
    record (an entry's detention, an IPR seizure, a parcel detention): the step is one of
    ``ForfeitureStep.Step``, recorded once, after the step it needs; a claim carries at least the cost bond
    of 19 CFR 162.45 on the seized goods' ``value``. Returns the periods the step stops and the one it
    starts (notice of seizure: the petition, 19 CFR 171.2; publication: the claim and cost bond, 162.45)."""
    if step not in _FS.values:
        raise InvalidInput(gettext("choose the step"), field="step")
    if step in done:
        raise Conflict(gettext("this step has already been recorded"), rule="19 CFR Part 162 subpart E")
    needed = _STEP_NEEDS.get(_FS(step))
    if needed is not None and needed not in done:
        raise Conflict(gettext("record first: %(label)s") % {"label": _FS(needed).label}, rule="19 CFR 162.45")
    if step == _FS.CLAIM_BOND:
        bond = cost_bond(value)
        if amount is None or amount < bond:
            raise InvalidInput(
                gettext("the cost bond must be at least $%(bond)s") % {"bond": f"{bond:,.2f}"},
                field="amount",
                rule="19 CFR 162.45",
            )
    return _STEP_STOPS.get(_FS(step), ()), _STEP_STARTS.get(_FS(step))


def forfeiture_step_apply(
    *, entry: Entry, detention: Detention | None, step: str, on: dt.date, done: set[str], amount: Decimal | None
) -> str:
    """``forfeiture_step_check`` on an entry, then the step stops and starts the entry's petition and claim
    clocks.

    Used for seizures under a Finding and for IPR seizures (section307.ipr); returns " (after the
    period)" when the step came after a period it stops, else "". The caller holds the lock."""
    stops, starts = forfeiture_step_check(step=step, done=done, value=entry_value(entry), amount=amount)
    late = ""
    for kind in stops:
        clock = Clock.objects.filter(entry=entry, kind=kind, running=True).first()
        if clock is not None and on > _targeting.clock_state(clock).due:
            late = " (after the period)"
        _targeting._clocks_stop(entry, kind, f"{_FS(step).label} on {on:%Y-%m-%d}{late}")
    if starts is not None and Clock.objects.filter(entry=entry, kind=starts).exists():
        # One forfeiture per entry: another seizure's forfeiture (a Finding's, an IPR seizure's) owns it.
        raise Conflict(
            gettext("the entry's forfeiture is already recorded for another seizure"),
            rule="19 CFR Part 162 subpart E",
        )
    if starts is not None:
        _targeting.clock_start(entry=entry, detention=detention, kind=starts, start=on)
    return late


@transaction.atomic
def forfeiture_record(
    *, actor: Actor, detention: Detention, step: str, on: dt.date, note: str = "", amount: Decimal | None = None
) -> ForfeitureStep:
    """Record a forfeiture step after a seizure under a Finding (19 CFR 12.44(b), Part 162 subpart E)."""
    if not actor.has_perm("ports.decide_detention"):
        raise NotPermitted(gettext("only port officers record forfeiture steps"))
    if step not in _FS.values:
        raise InvalidInput(gettext("choose the step"), field="step")
    detention = _decisions._lock_detention(detention)
    if detention.status != Detention.Status.SEIZED:
        raise Conflict(gettext("forfeiture follows a seizure under a Finding"), rule="19 CFR 12.44(b)")
    done = set(detention.forfeiture_steps.values_list("step", flat=True))
    entry = detention.entry
    late = forfeiture_step_apply(entry=entry, detention=detention, step=step, on=on, done=done, amount=amount)
    recorded = ForfeitureStep.objects.create(
        detention=detention, step=step, on=on, note=note.strip() + late, amount=amount, actor=_user(actor)
    )
    timeline_add(
        entry=entry,
        kind=f"forfeiture.{step}",
        summary=f"{_FS(step).label}: {on:%Y-%m-%d}{late}",
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action=f"forfeiture.{step}", target=recorded, data={"on": on.isoformat()})
    return recorded


@transaction.atomic
def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner, or an administrator); revoking twice changes nothing."""
    if actor is not None and token.user_id != actor.pk and not getattr(actor, "is_staff", False):
        raise NotPermitted(gettext("Only the token's owner or an administrator revokes it."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token, data={"user": token.user.get_username()})
    return token
