"""Background work: notice emails, deadline reminders and abandonment, look-backs after order changes."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def notice_send(notice_id: int) -> int:
    """Email a notice to the active members of its organization; returns the number of recipients."""
    from section307.ports.models import Notice

    notice = Notice.objects.select_related("organization").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at is not None:
        return 0
    recipients = sorted(
        {u.email for u in notice.organization.members.filter(is_active=True).exclude(email="") if u.email}
    )
    if recipients:
        send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, recipients)
    notice.emailed_to = recipients
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["emailed_to", "emailed_at"])
    return len(recipients)


@task()
def clocks_tick() -> dict[str, int]:
    """Daily: reminders for soon-due and overdue clocks, deemed exclusions (19 U.S.C. 1499(c)(5)(A)),
    protests denied by operation of law (1499(c)(5)(B), 1515(b)) and abandonment of excluded goods past
    60 days (19 CFR 12.44(a)). Each dates its record from the law's period, not from the run, so a late
    run changes nothing."""
    from section307.ports.services import (
        clocks_remind,
        detentions_abandon_overdue,
        detentions_deem_excluded,
        protests_deem_denied,
    )

    reminders = clocks_remind()
    deemed = detentions_deem_excluded()
    denied = protests_deem_denied()
    abandoned = detentions_abandon_overdue()
    return {
        "reminders": len(reminders),
        "deemed_excluded": len(deemed),
        "protests_deemed_denied": len(denied),
        "abandoned": len(abandoned),
    }


@task()
def rescreen_after_order_event(event_id: int) -> int | None:
    """Look back over past entries after an order is issued, modified or revoked."""
    from section307.orders.models import OrderEvent
    from section307.ports.models import RescreenRun
    from section307.ports.services import entries_rescreen

    event = OrderEvent.objects.select_related("order").filter(pk=event_id).first()
    if event is None:
        return None
    # A list load records many events at once: the first look-back after them already used the
    # newest watchlist and re-queued every newly affected entry, so later tasks have nothing to add.
    if RescreenRun.objects.filter(started_at__gte=event.recorded_at, actor__isnull=True).exists():
        return None
    days = int(getattr(settings, "SECTION307_RESCREEN_LOOKBACK_DAYS", 90))
    since = timezone.localdate() - dt.timedelta(days=days)
    run = entries_rescreen(
        actor=None,
        since=since,
        trigger=f"{event.order.reference} {event.get_kind_display().lower()}",
        order_reference=event.order.reference,
    )
    logger.info("Re-screened %s lines after %s", run.lines_screened, event)
    return run.pk
