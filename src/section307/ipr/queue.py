"""Work items of IPR detentions: the officer's steps on the 19 CFR 133.21 timeline (and on 133.42-133.43 as amended
by CBP Dec. 24-03 for piratical articles, the same pattern), the rights holder's answer and the importer's
7 business days. Computed from the detention's dates when read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.core.queue import WorkItem
from section307.core.types import Actor
from section307.ipr import permissions as perms
from section307.ipr.models import HolderResponse, IprDetention
from section307.ipr.selectors import IprClock, ipr_clocks, pattern_kinds
from section307.ports import law
from section307.ports.calendars import business_calendar

S = IprDetention.Status
OPEN = (S.DETAINED, S.NOTICED, S.DISCLOSED)


def _item(d: IprDetention, kind: str, why: str, clock: IprClock, *, priority: int = 0) -> WorkItem:
    return WorkItem(
        kind=f"ipr.{kind}",
        title=_("IPR detention of entry %(entry)s") % {"entry": d.entry.entry_number},
        why=f"{why} ({clock.period} from the {clock.start_event}, {clock.citation})",
        url=reverse("ipr:detention_detail", args=[d.pk]),
        due=clock.due,
        rule=clock.citation,
        priority=priority,
        ref=f"ipr.iprdetention:{d.pk}",
    )


def _officer_items(today: dt.date) -> Iterator[WorkItem]:
    business = business_calendar()
    qs = (
        IprDetention.objects.select_related("entry")
        .filter(status__in=[*OPEN, S.SEIZED])
        .exclude(status=S.SEIZED, seizure_info_sent_on__isnull=False)
    )
    for d in qs:
        if d.restricted:
            yield from _restricted_officer_items(d, today, business)
            continue
        clocks = ipr_clocks(d, business=business)
        notice_kind, reply_kind, decision_kind, seizure_kind = pattern_kinds(d)
        decision = clocks[decision_kind]
        reply = clocks[reply_kind]
        if d.status == IprDetention.Status.DETAINED:
            yield _item(
                d, "notice_due", _("Send the notice of detention to the importer"), clocks[notice_kind], priority=2
            )
        elif d.status == IprDetention.Status.NOTICED:
            if d.importer_reply_on:
                yield _item(
                    d,
                    "reply_review",
                    _("The importer sent information that the goods are not piratical: review it, release or disclose")
                    if d.piratical
                    else _("The importer sent information that the goods are genuine: review it, release or disclose"),
                    decision,
                    priority=2,
                )
            elif reply.due is not None and today > reply.due:
                yield _item(
                    d,
                    "disclose",
                    _("The importer's 7 business days ran out: disclose to the rights holder or release"),
                    decision,
                    priority=2,
                )
        elif d.status == IprDetention.Status.DISCLOSED:
            if d.sample_requested_at and not d.sample_provided_on:
                yield _item(
                    d, "sample", _("The rights holder asked for a sample: provide it on a bond"), decision, priority=1
                )
            why = (
                _("Decide: seize the goods as piratical articles or release them")
                if d.piratical
                else _("Decide: seize the goods as counterfeit or release them")
            )
            yield _item(d, "decide", why, decision)
        elif d.status == IprDetention.Status.SEIZED:
            yield _item(
                d,
                "seizure_info",
                _("Give the rights holder the information after seizure"),
                clocks[seizure_kind],
            )


def _restricted_officer_items(d: IprDetention, today: dt.date, business: law.BusinessCalendar) -> Iterator[WorkItem]:
    """19 CFR 133.25: the notice, the information to the mark owner, the decision after the 30 days."""
    clocks = ipr_clocks(d, business=business)
    if d.status == S.DETAINED:
        yield _item(
            d,
            "notice_due",
            _("Send the notice of detention to the importer"),
            clocks[law.RESTRICTED_NOTICE],
            priority=2,
        )
        return
    if d.status == S.SEIZED:
        return
    if d.owner_info_sent_on is None:
        yield _item(d, "owner_info", _("Give the mark owner the importation information"), clocks[law.RESTRICTED_INFO])
    if d.importer_reply_on:
        yield _item(
            d,
            "reply_review",
            _("The importer sent information that an exception applies: review it, release or wait"),
            clocks[law.RESTRICTED_DETENTION],
            priority=2,
        )
    else:
        yield _item(
            d, "decide", _("Decide: release, or seize once the period has run"), clocks[law.RESTRICTED_DETENTION]
        )


def _holder_items(user: Actor) -> Iterator[WorkItem]:
    own = perms.recordations_of(user)
    business = business_calendar()
    qs = perms.detentions_visible_to(user).select_related("entry").filter(status=IprDetention.Status.DISCLOSED)
    for d in qs:
        answers = set(HolderResponse.objects.filter(detention=d, recordation__in=own).values_list("answer", flat=True))
        if answers & {HolderResponse.Answer.GENUINE, HolderResponse.Answer.COUNTERFEIT}:
            continue
        if HolderResponse.Answer.NEEDS_SAMPLE in answers and not d.sample_provided_on:
            continue  # waiting for the sample: the officer's item
        clock = ipr_clocks(d, business=business)[pattern_kinds(d)[2]]
        yield _item(
            d,
            "holder_answer",
            _("Say whether the goods are piratical articles, or ask for a sample")
            if d.piratical
            else _("Say whether the goods are genuine or counterfeit, or ask for a sample"),
            clock,
            priority=1,
        )


def _importer_items(user: Actor, today: dt.date) -> Iterator[WorkItem]:
    qs = (
        perms.detentions_visible_to(user)
        .select_related("entry")
        .filter(status=IprDetention.Status.NOTICED, importer_reply_on__isnull=True)
    )
    business = business_calendar()
    for d in qs:
        clocks = ipr_clocks(d, business=business)
        if d.restricted:
            reply, why = (
                clocks[law.RESTRICTED_DETENTION],
                _("Show that an exception of 19 CFR 133.22(c) or 133.23(d) applies"),
            )
        elif d.piratical:
            reply, why = (
                clocks[law.PIRATICAL_IMPORTER_REPLY],
                _("Show the goods are not piratical articles, or the rights holder may see unredacted images"),
            )
        else:
            reply, why = (
                clocks[law.IPR_IMPORTER_REPLY],
                _("Show the goods are genuine, or the rights holder may see unredacted images and codes"),
            )
        if reply.due is not None and today <= reply.due:
            yield _item(d, "importer_reply", why, reply, priority=2)


def queue_items(user: Actor, now: dt.datetime) -> Iterator[WorkItem]:
    today = timezone.localdate(now)
    if perms.is_ipr_officer(user):
        yield from _officer_items(today)
    elif perms.is_rights_holder(user):
        yield from _holder_items(user)
    elif not perms.is_ipr_staff(user):
        yield from _importer_items(user, today)
