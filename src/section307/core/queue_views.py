"""The work queue page: what needs the signed-in user now, why, and by when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from section307.core.queue import item_due_date, queue_for


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for item in queue_for(request.user):
        due = item_due_date(item)
        rows.append((item, due is not None and due < today))
    return render(request, "core/queue.html", {"rows": rows})
