"""section307.cases.views: lists and queues."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from section307.cases import selectors
from section307.cases.models import (
    Case,
    Phase,
)

# --------------------------------------------------------------------------------- lists and queues


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    tasks = list(selectors.tasks_for_user(user=request.user)[:100])
    return render(
        request,
        "cases/dashboard.html",
        {
            "tasks": tasks,
            "overdue": [t for t in tasks if t.is_overdue],
            "cases": selectors.case_list(user=request.user, phase="open", mine=True)[:50],
            "shared": selectors.case_list(user=request.user, phase="open")[:50]
            if not request.user.has_perm("cases.work_case")
            else None,
            "can_open": request.user.has_perm("cases.add_case"),
        },
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    filters: dict[str, Any] = {
        "phase": request.GET.get("phase", "open"),
        "query": request.GET.get("q", "").strip()[:200],
        "priority": request.GET.get("priority", ""),
    }
    if filters["phase"] not in {"open", "", *Phase.values}:
        filters["phase"] = "open"
    page = Paginator(selectors.case_list(user=request.user, **filters), 25).get_page(request.GET.get("page"))
    template = "cases/_case_list_results.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"page": page, "filters": filters, "phases": Phase.choices, "priorities": Case.Priority.choices},
    )


@login_required
def task_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.work_case"):
        raise PermissionDenied
    overdue_only = request.GET.get("overdue") == "1"
    tasks = selectors.team_queue(user=request.user, overdue_only=overdue_only)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(request, "cases/task_queue.html", {"page": page, "overdue_only": overdue_only})
