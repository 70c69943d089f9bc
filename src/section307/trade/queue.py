"""Work-queue provider of the importer portal: unread notices and questions from the port, for the
importer and for the brokers it delegated entries to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.accounts.models import User
from section307.core.queue import WorkItem, register
from section307.ports.permissions import is_trade_user
from section307.ports.selectors import notices_for
from section307.trade.models import TradeRequest
from section307.trade.permissions import requests_visible_to


def portal_items(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    if not is_trade_user(user):
        return
    for notice in notices_for(user=user).filter(read_at__isnull=True)[:200]:
        yield WorkItem(
            kind="notice.unread",
            title=notice.subject,
            why=_("Unread %(kind)s") % {"kind": notice.get_kind_display().lower()}
            + (f" ({notice.entry.entry_number})" if notice.entry_id and notice.entry else ""),
            url=reverse("trade:notice_detail", args=[notice.pk]),
            due=timezone.localdate(notice.created_at),
            ref=f"ports.notice:{notice.pk}",
        )
    asked = requests_visible_to(user).filter(status=TradeRequest.Status.INFO_REQUESTED)
    for request in asked.select_related("detention__entry", "order"):
        subject = request.detention.entry.entry_number if request.detention else str(request.order or "")
        yield WorkItem(
            kind="trade_request.question",
            title=f"{request.get_kind_display()} #{request.pk} ({subject})",
            why=_("A question to answer"),
            url=reverse("trade:request_detail", args=[request.pk]),
            due=timezone.localdate(request.updated_at),
            priority=1,
            ref=f"trade.traderequest:{request.pk}",
        )


def register_providers() -> None:
    register(portal_items)
