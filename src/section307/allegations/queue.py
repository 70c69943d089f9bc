"""Work-queue provider of the triage inbox: new allegations and unread reporter replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.accounts.models import User
from section307.allegations.models import Allegation, AllegationStatus
from section307.core.queue import WorkItem, register


def triage_days() -> int:
    return int(getattr(settings, "SECTION307_TRIAGE_DAYS", 5))


def triage_items(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Analysts: new allegations (theirs or unassigned) due for triage, and reporters' replies."""
    if not user.has_perm("allegations.triage_allegation"):
        return
    mine = Q(assigned_to=user) | Q(assigned_to__isnull=True)
    for a in Allegation.objects.filter(mine, status=AllegationStatus.NEW).only("pk", "reference", "submitted_at"):
        yield WorkItem(
            kind="allegation.triage",
            title=_("Allegation %(ref)s") % {"ref": a.reference},
            why=_("New allegation to triage"),
            url=reverse("allegations:detail", args=[a.pk]),
            due=timezone.localdate(a.submitted_at) + dt.timedelta(days=triage_days()),
            ref=f"allegations.allegation:{a.pk}",
        )
    replied = Allegation.objects.filter(mine, reporter_unread=True).exclude(
        status__in=[AllegationStatus.CLOSED, AllegationStatus.DUPLICATE]
    )
    for a in replied.only("pk", "reference", "reporter_activity_at", "submitted_at"):
        yield WorkItem(
            kind="allegation.reply",
            title=_("Allegation %(ref)s") % {"ref": a.reference},
            why=_("The reporter replied; the reply is unread"),
            url=reverse("allegations:detail", args=[a.pk]),
            due=timezone.localdate(a.reporter_activity_at or a.submitted_at),
            priority=1,
            ref=f"allegations.allegation:{a.pk}",
        )


def register_providers() -> None:
    register(triage_items)
