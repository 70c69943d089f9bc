"""section307.ports.services: notices."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.accounts.models import Organization
from section307.core.types import Actor
from section307.ports import law
from section307.ports.calendars import business_calendar
from section307.ports.models import (
    Clock,
    Entry,
    Notice,
)
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import PortsError

# -- notices ---------------------------------------------------------------------------------------------


def notice_create(*, organization: Organization, entry: Entry | None, kind: str, subject: str, body: str) -> Notice:
    """Record a notice for the organization's portal; the email goes out from a task after commit."""
    notice = Notice.objects.create(organization=organization, entry=entry, kind=kind, subject=subject, body=body)
    from section307.ports.tasks import notice_send

    transaction.on_commit(lambda: notice_send.enqueue(notice.pk))
    return notice


@transaction.atomic
def notice_mark_read(*, actor: Actor, notice: Notice) -> Notice:
    from section307.ports.permissions import can_act_for_entry

    own = notice.organization_id == getattr(actor, "organization_id", None)
    if not own and not (notice.entry is not None and can_act_for_entry(actor, notice.entry)):
        raise PortsError(gettext("not your organization's notice"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def clocks_remind(*, today: dt.date | None = None) -> list[Notice]:
    """A reminder per running clock that is soon due or overdue, at most one a day."""
    today = today or timezone.localdate()
    sent: list[Notice] = []
    clocks = Clock.objects.filter(
        running=True, kind__in=law.IMPORTER_KINDS, entry__organization__isnull=False
    ).select_related("entry__organization")
    business = business_calendar()
    for clock in clocks.prefetch_related("suspensions", "extensions"):
        state = _targeting.clock_state(clock, today=today, business=business)
        if not (state.soon_due or state.overdue) or clock.last_reminded_on == today:
            continue
        with transaction.atomic():
            entry = clock.entry
            facts = {"kind": clock.get_kind_display(), "due": f"{state.due:%Y-%m-%d}", "days": abs(state.days_left)}
            if state.overdue:
                body = gettext("%(kind)s was due on %(due)s (%(days)s day(s) ago).") % facts
            else:
                body = gettext("%(kind)s is due on %(due)s (%(days)s day(s) left).") % facts
            assert entry.organization is not None
            sent.append(
                notice_create(
                    organization=entry.organization,
                    entry=entry,
                    kind=Notice.Kind.REMINDER,
                    subject=gettext("Reminder: entry %(entry_number)s, %(kind)s")
                    % {"entry_number": entry.entry_number, "kind": clock.get_kind_display().split(" (")[0]},
                    body=body,
                )
            )
            clock.last_reminded_on = today
            clock.save(update_fields=["last_reminded_on"])
    return sent
