"""section307.ports.services: protests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ports import law
from section307.ports.lifecycle import PROTEST_LIFECYCLE
from section307.ports.models import (
    Clock,
    Detention,
    Determination,
    Notice,
    Protest,
)
from section307.ports.services import decisions as _decisions
from section307.ports.services import notices as _notices
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


def protest_deemed_denied_on(protest: Protest) -> tuple[dt.date, str] | None:
    """The day the pending ``protest`` stands denied by operation of law and the rule
    (``law.protest_deemed_denied_on``), from its running periods; None when none runs."""
    periods = Clock.objects.filter(entry_id=protest.entry_id, running=True, kind__in=law.DEEMED_DENIAL_KINDS)
    return law.protest_deemed_denied_on(periods.values_list("kind", "due_date"))


def refuse_if_deemed_denied(
    *, status: str, decided_on: dt.date | None, deemed: Callable[[], tuple[dt.date, str] | None], today: dt.date
) -> None:
    """Refuse a decision on a protest (of an entry or of parcels: the same states) denied by operation
    of law, recorded yet or not (19 U.S.C. 1499(c)(5)(B), 1515(b)): from the 30th day the importer's
    remedy is the civil action. ``deemed`` reads the pending protest's day and rule."""
    if status == Protest.Status.DEEMED_DENIED:
        found: tuple[dt.date, str] | None = (decided_on or today, law.DEEMED_DENIAL_CITATION)
    elif status == Protest.Status.PENDING:
        found = deemed()
        if found is None or not law.protest_is_deemed_denied(found[0], today):
            return
    else:
        return
    assert found is not None
    raise Conflict(
        gettext(
            "the protest was denied by operation of law on %(date)s; no decision can follow it: the importer "
            "may contest the denial in the Court of International Trade"
        )
        % {"date": f"{found[0]:%Y-%m-%d}"},
        rule=found[1],
        code="deemed_denied",
    )


def protest_check_decidable(protest: Protest, today: dt.date) -> None:
    """``refuse_if_deemed_denied`` for an entry's protest."""
    refuse_if_deemed_denied(
        status=protest.status,
        decided_on=protest.decided_on,
        deemed=lambda: protest_deemed_denied_on(protest),
        today=today,
    )


@transaction.atomic
def protest_deem_denied(*, actor: Actor | None, protest: Protest, today: dt.date | None = None) -> Protest:
    """Record that a protest not decided before the 30th day after its filing (or the mailing of a
    request for accelerated disposition) stands denied on that day (19 U.S.C. 1499(c)(5)(B), 1515(b)).

    The decision periods stop, the 180 days to contest the denial in the Court of International Trade
    start on the day of the denial (28 U.S.C. 2636(a)(2)), a determination on it still awaiting
    concurrence is returned, and the importer receives a notice (portal and e-mail). Recorded as the
    system when ``actor`` is None (the daily job)."""
    today = today or timezone.localdate()
    protest = Protest.objects.select_for_update(of=("self",)).select_related("entry__organization").get(pk=protest.pk)
    step = PROTEST_LIFECYCLE.check("deem_denied", state=protest.status, actor=actor)
    deemed = protest_deemed_denied_on(protest)
    if deemed is None or not law.protest_is_deemed_denied(deemed[0], today):
        raise Conflict(
            gettext("the protest may still be decided: it is not denied by operation of law before %(date)s")
            % {"date": f"{deemed[0]:%Y-%m-%d}" if deemed else "—"},
            rule=law.DEEMED_DENIAL_CITATION,
        )
    deemed_on, rule = deemed
    entry = protest.entry
    protest.status = step.target
    protest.decided_on = deemed_on
    protest.decision_reasons = (
        f"Not allowed or denied before {deemed_on:%Y-%m-%d}, the 30th day after the protest was filed on "
        f"{protest.filed_on:%Y-%m-%d}: denied by operation of law on that day ({rule})."
    )
    protest.save(update_fields=["status", "decided_on", "decision_reasons", "updated_at"])
    for kind in (law.PROTEST_DECISION, law.EXCLUSION_PROTEST, law.ACCELERATED_DISPOSITION):
        _targeting._clocks_stop(entry, kind, f"protest denied by operation of law on {deemed_on:%Y-%m-%d}")
    suit = _targeting.clock_start(entry=entry, detention=protest.detention, kind=law.CIVIL_ACTION, start=deemed_on)
    Determination.objects.filter(protest=protest, status=Determination.Status.AWAITING_CONCURRENCE).update(
        status=Determination.Status.RETURNED,
        concurrence_note=f"The protest was denied by operation of law on {deemed_on:%Y-%m-%d} ({rule}).",
        updated_at=timezone.now(),
    )
    court = (
        f"The importer may contest the denial in the Court of International Trade within 180 days of it, by "
        f"{suit.due_date:%Y-%m-%d} ({law.DEEMED_DENIAL_SUIT_CITATION})."
    )
    timeline_add(
        entry=entry,
        kind="protest.deemed_denied",
        summary=f"{protest.decision_reasons} {court} The goods may be deemed abandoned again unless exported "
        "(19 CFR 12.44(a)).",
        actor=actor,
        shared=True,
    )
    audit_record(
        actor=actor,
        action="protest.deem_denied",
        target=protest,
        data={"deemed_on": deemed_on.isoformat(), "rule": rule, "civil_action_due": suit.due_date.isoformat()},
    )
    if entry.organization is not None:
        _notices.notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=gettext("Protest of entry %(entry_number)s denied by operation of law")
            % {"entry_number": entry.entry_number},
            body=gettext(
                "Your protest filed on %(filed)s was not allowed or denied before %(deemed)s, the 30th day after "
                "its filing, and is treated as denied on that day (%(rule)s).\n\n"
                "You may contest the denial in the Court of International Trade within 180 days of it, by "
                "%(due)s (%(suit)s).\n\n"
                "Unless the goods are exported they may be deemed abandoned (19 CFR 12.44(a))."
            )
            % {
                "filed": f"{protest.filed_on:%Y-%m-%d}",
                "deemed": f"{deemed_on:%Y-%m-%d}",
                "rule": rule,
                "due": f"{suit.due_date:%Y-%m-%d}",
                "suit": law.DEEMED_DENIAL_SUIT_CITATION,
            },
        )
    return protest


def protests_deem_denied(*, actor: Actor | None = None, today: dt.date | None = None) -> list[Protest]:
    """Daily: every pending protest of an exclusion whose 30th day has come is recorded as denied by
    operation of law, dated that day (not the run's), so a late run changes nothing but the delay."""
    today = today or timezone.localdate()
    due = Clock.objects.filter(running=True, kind__in=law.DEEMED_DENIAL_KINDS, due_date__lte=today)
    protests = Protest.objects.filter(status=Protest.Status.PENDING, entry_id__in=due.values("entry_id"))
    return [protest_deem_denied(actor=actor, protest=p, today=today) for p in protests.order_by("pk")]


def _protest_close(determination: Determination, today: dt.date) -> str:
    protest = determination.protest
    assert protest is not None
    protest_check_decidable(protest, today)
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
