"""Work items of parcels: groups waiting for the release-or-detain decision, and detentions whose
legal periods ask the port to act. Computed from the records' dates when read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from section307.core.queue import WorkItem
from section307.core.types import Actor
from section307.parcels.models import (
    ParcelClock,
    ParcelDetention,
    ParcelGroup,
    ParcelProtest,
    ParcelRescreenFinding,
    ParcelReview,
)
from section307.parcels.permissions import detentions_for_trade
from section307.ports import law
from section307.ports.calendars import business_calendar
from section307.ports.permissions import is_trade_user

# Periods that bind the port while running, and periods whose end calls for the port's decision.
_RUNNING = {law.DEEMED_EXCLUSION: "Reach a final admissibility decision, or the parcels are deemed excluded"}
_ENDED = {
    law.ADMISSIBILITY: "The proof period ended: exclude (WRO) or seize (Finding) unless timely proof is under review",
    law.RESPONSE: "The documentation period ended: decide the parcels",
    law.ABANDONMENT: "Abandonment: the excluded parcels were neither exported nor protested",
}


def queue_items(user: Actor, now: dt.datetime) -> Iterator[WorkItem]:
    if is_trade_user(user):
        yield from _importer_items(user, timezone.localdate(now))
        yield from _court_items(user, timezone.localdate(now))
        yield from _forfeiture_items(user, timezone.localdate(now))
    if user.has_perm("ports.review_detention"):
        yield from headquarters_items(user, timezone.localdate(now))
    if not user.has_perm("parcels.decide_parcels"):
        return
    today = timezone.localdate(now)
    business = business_calendar()
    decision = law.rule(law.DECISION)
    pending = ParcelGroup.objects.filter(status=ParcelGroup.Status.PENDING, manifest__status="screened")
    for g in pending.select_related("manifest"):
        due = law.due_date(law.DECISION, g.manifest.presented_on, business=business)
        yield WorkItem(
            kind="parcels.group_decision",
            title=_("Parcels: %(n)d from %(who)s") % {"n": g.parcel_count, "who": g.label},
            why=_("Screened as %(d)s: release or detain (%(period)s from presentation, %(rule)s)")
            % {"d": g.get_decision_display(), "period": decision.period, "rule": decision.citation},
            url=reverse("parcels:group_detail", args=[g.pk]),
            due=due,
            rule=decision.citation,
            priority=6 + (10 if today > due else 0),
            ref=f"parcels.parcelgroup:{g.pk}",
        )
    clocks = ParcelClock.objects.filter(
        running=True, kind__in=[*_RUNNING, *_ENDED], detention__status__in=["detained", "excluded"]
    )
    protested = set(
        ParcelProtest.objects.filter(status=ParcelProtest.Status.PENDING).values_list("detention_id", flat=True)
    )
    for c in clocks.select_related("detention__group"):
        if c.kind in _ENDED and today <= c.due_date:
            continue
        if c.kind == law.ABANDONMENT and c.detention_id in protested:
            continue  # a pending protest keeps the parcels from abandonment (19 CFR 12.44(a))
        why = _RUNNING.get(c.kind) or _ENDED[c.kind]
        yield WorkItem(
            kind=f"parcels.{c.kind}",
            title=_("Parcel detention %(pk)d: %(label)s") % {"pk": c.detention_id, "label": c.rule.label},
            why=f"{why} ({c.rule.period} from the {c.start_event}, {c.citation})",
            url=reverse("parcels:detention_detail", args=[c.detention_id]),
            due=c.due_date,
            rule=c.citation,
            priority=5 + (10 if today > c.due_date else 0),
            ref=f"parcels.parcelclock:{c.pk}",
        )
    yield from _rescreen_items()


def _rescreen_items() -> Iterator[WorkItem]:
    """Groups awaiting a decision, or detained, with parcels a re-screen now finds clear (the order
    was revoked or narrowed): the officer decides whether the hold still stands. The latest finding
    of each parcel counts."""
    findings = (
        ParcelRescreenFinding.objects.filter(group__isnull=False)
        .filter(
            Q(group__status=ParcelGroup.Status.PENDING)
            | Q(group__status=ParcelGroup.Status.DETAINED, group__detention__status="detained")
        )
        .select_related("run", "group")
        .order_by("parcel_id", "run__started_at", "id")
    )
    latest: dict[int, ParcelRescreenFinding] = {}
    for f in findings:
        latest[f.parcel_id] = f
    by_group: dict[int, list[ParcelRescreenFinding]] = {}
    for f in latest.values():
        if f.kind == ParcelRescreenFinding.Kind.CLEARED:
            by_group.setdefault(f.group_id or 0, []).append(f)
    for group_id, found in by_group.items():
        group = found[0].group
        assert group is not None
        run = max((f.run for f in found), key=lambda r: r.started_at)
        detained = group.status == ParcelGroup.Status.DETAINED
        yield WorkItem(
            kind="parcels.rescreen_cleared",
            title=_("Parcels now clear: %(n)d from %(who)s") % {"n": len(found), "who": group.label},
            why=(
                _("Re-screening after %(trigger)s finds them clear: decide whether the detention stands")
                if detained
                else _("Re-screening after %(trigger)s finds them clear: release them or say why they stay held")
            )
            % {"trigger": run.trigger},
            url=reverse("parcels:group_detail", args=[group_id]),
            due=timezone.localdate(run.started_at),
            rule="19 U.S.C. 1307",
            priority=7,
            ref=f"parcels.parcelgroup.rescreen:{group_id}",
        )


def _importer_items(user: Actor, today: dt.date) -> Iterator[WorkItem]:
    """The importer's (or its broker's) parcel detentions that wait for it, with the period's end."""
    detentions = detentions_for_trade(user).prefetch_related("clocks", "protests")
    for d in detentions.filter(status__in=[ParcelDetention.Status.DETAINED, ParcelDetention.Status.EXCLUDED]):
        url = reverse("parcels_portal:detention_detail", args=[d.pk])
        clocks = {c.kind: c for c in d.clocks.all() if c.running}
        if d.status == ParcelDetention.Status.DETAINED and d.proof_received_on is None:
            c = clocks.get(law.ADMISSIBILITY) or clocks.get(law.RESPONSE)
            if c is not None:
                yield WorkItem(
                    kind="parcels.proof_due",
                    title=_("Parcel detention %(pk)d: %(n)d parcels under %(order)s")
                    % {"pk": d.pk, "n": d.group.parcel_count, "order": d.order_reference},
                    why=_("Send proof of admissibility (%(period)s from the %(start)s, %(rule)s)")
                    % {"period": c.rule.period, "start": c.start_event, "rule": c.citation},
                    url=url,
                    due=c.due_date,
                    rule=c.citation,
                    priority=6 + (10 if today > c.due_date else 0),
                    ref=f"parcels.parceldetention.proof:{d.pk}",
                )
        c = clocks.get(law.PROTEST_FILING)
        if d.status == ParcelDetention.Status.EXCLUDED and c is not None and not list(d.protests.all()):
            abandon = clocks.get(law.ABANDONMENT)
            yield WorkItem(
                kind="parcels.excluded",
                title=_("Parcel detention %(pk)d: excluded") % {"pk": d.pk},
                why=_("Export the parcels before %(abandon)s (19 CFR 12.44(a)) or protest by %(due)s (%(rule)s)")
                % {
                    "abandon": abandon.due_date.isoformat() if abandon else "—",
                    "due": c.due_date.isoformat(),
                    "rule": c.citation,
                },
                url=url,
                due=abandon.due_date if abandon else c.due_date,
                rule=c.citation,
                priority=6,
                ref=f"parcels.parceldetention.excluded:{d.pk}",
            )


# What each running forfeiture period asks of the importer after a seizure, as for entries.
_FORFEITURE = {
    law.PETITION: _noop("Petition for relief from the seizure"),
    law.CLAIM_BOND: _noop("File a claim and cost bond"),
}


def _forfeiture_items(user: Actor, today: dt.date) -> Iterator[WorkItem]:
    """After the seizure of the parcels: the 30 days to petition for relief (19 CFR 171.2) from the notice
    of seizure, and the 20 days to file a claim and cost bond (19 CFR 162.45) from its publication."""
    clocks = ParcelClock.objects.filter(
        running=True, kind__in=list(_FORFEITURE), detention__in=detentions_for_trade(user)
    ).order_by("due_date", "pk")
    for c in clocks:
        rule = c.rule
        yield WorkItem(
            kind=f"parcels.{c.kind}",
            title=_("Parcel detention %(pk)d: %(label)s") % {"pk": c.detention_id, "label": rule.label},
            why=_("%(why)s (%(period)s from the %(event)s, %(rule)s)")
            % {"why": _(_FORFEITURE[c.kind]), "period": rule.period, "event": _(c.start_event), "rule": c.citation},
            url=reverse("parcels_portal:detention_detail", args=[c.detention_id]),
            due=c.due_date,
            rule=c.citation,
            priority=6 + (10 if today > c.due_date else 0),
            ref=f"parcels.parcelclock:{c.pk}",
        )


def _court_items(user: Actor, today: dt.date) -> Iterator[WorkItem]:
    """The 180 days to contest a protest's denial, by headquarters (28 U.S.C. 2636(a)(1)) or by operation
    of law (2636(a)(2)), whatever became of the parcels since."""
    clocks = ParcelClock.objects.filter(
        running=True, kind=law.CIVIL_ACTION, detention__in=detentions_for_trade(user)
    ).select_related("detention")
    deemed = set(
        ParcelProtest.objects.filter(
            status=ParcelProtest.Status.DEEMED_DENIED, detention_id__in=[c.detention_id for c in clocks]
        ).values_list("detention_id", flat=True)
    )
    for c in clocks:
        by_law = c.detention_id in deemed
        title = (
            _("Parcel detention %(pk)d: protest denied by operation of law")
            if by_law
            else _("Parcel detention %(pk)d: protest denied by headquarters")
        )
        yield WorkItem(
            kind="parcels.civil_action",
            title=title % {"pk": c.detention_id},
            why=_("You may contest the protest denial in the Court of International Trade until %(due)s (%(rule)s)")
            % {
                "due": c.due_date.isoformat(),
                "rule": law.DEEMED_DENIAL_SUIT_CITATION if by_law else law.PROTEST_DENIAL_SUIT_CITATION,
            },
            url=reverse("parcels_portal:detention_detail", args=[c.detention_id]),
            due=c.due_date,
            rule=c.citation,
            priority=5 + (10 if today > c.due_date else 0),
            ref=f"parcels.parcelclock:{c.pk}",
        )


def headquarters_items(user: Actor, today: dt.date | None = None) -> Iterator[WorkItem]:
    """Parcel proofs and protests for headquarters, beside the entries' (the same reviewers' queue and
    the headquarters page, /hq/)."""
    awaiting = ParcelReview.objects.filter(status=ParcelReview.Status.AWAITING).exclude(proposed_by_id=user.pk)
    for r in awaiting:
        yield WorkItem(
            kind="parcels.review_concurrence",
            title=_("Parcel detention %(pk)d: %(kind)s") % {"pk": r.detention_id, "kind": r.get_kind_display()},
            why=_("A determination awaits a second reviewer's concurrence"),
            url=reverse("parcels:detention_detail", args=[r.detention_id]),
            due=timezone.localdate(r.created_at),
            rule="19 CFR 12.44",
            priority=7,
            ref=f"parcels.parcelreview:{r.pk}",
        )
    live = ParcelReview.objects.exclude(status=ParcelReview.Status.RETURNED)
    proofs = ParcelDetention.objects.filter(
        status=ParcelDetention.Status.DETAINED, proof_received_on__isnull=False
    ).exclude(pk__in=live.filter(kind=ParcelReview.Kind.ADMISSIBILITY).values("detention_id"))
    for d in proofs:
        yield WorkItem(
            kind="parcels.proof_review",
            title=_("Parcel detention %(pk)d: proof of admissibility") % {"pk": d.pk},
            why=_("Determine whether the proof establishes admissibility of the parcels (19 CFR 12.44)"),
            url=reverse("parcels:detention_detail", args=[d.pk]),
            due=d.proof_received_on,
            rule="19 CFR 12.44",
            priority=6,
            ref=f"parcels.parceldetention.proof_review:{d.pk}",
        )
    protests = ParcelProtest.objects.filter(status=ParcelProtest.Status.PENDING).exclude(
        pk__in=live.filter(protest__isnull=False).values("protest_id")
    )
    today = today or timezone.localdate()
    for p in protests:
        clock = ParcelClock.objects.filter(detention_id=p.detention_id, kind=law.EXCLUSION_PROTEST).first()
        if clock is not None and law.protest_is_deemed_denied(clock.due_date, today):
            continue  # denied by operation of law, whether the daily job has recorded it yet or not
        yield WorkItem(
            kind="parcels.protest",
            title=_("Parcel detention %(pk)d: protest of the exclusion") % {"pk": p.detention_id},
            why=(
                _("Decide the protest before %(date)s: on that day it is denied by operation of law (%(rule)s)")
                % {"date": clock.due_date.isoformat(), "rule": clock.citation}
                if clock
                else _("Decide the protest (19 U.S.C. 1515)")
            ),
            url=reverse("parcels:detention_detail", args=[p.detention_id]),
            # The last day a decision is in time: the day before the 30th.
            due=clock.due_date - dt.timedelta(days=1) if clock else p.filed_on,
            rule=clock.citation if clock else "19 U.S.C. 1515",
            priority=8,
            ref=f"parcels.parcelprotest:{p.pk}",
        )
