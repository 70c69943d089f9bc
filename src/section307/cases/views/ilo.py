"""section307.cases.views: ILO matrix."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.forms import (
    AssessmentForm,
)
from section307.cases.views._base import _case, _nav
from section307.core.errors import ServiceError
from section307.core.forms import service_error_message

# -------------------------------------------------------------------------------------- ILO matrix


@login_required
def ilo_matrix(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = AssessmentForm(
        request.POST or None, initial={"conclusion": getattr(getattr(case, "ilo_assessment", None), "conclusion", "")}
    )
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.ilo_assessment_record(
                    actor=request.user, case=case, conclusion=form.cleaned_data["conclusion"]
                )
            except ServiceError as exc:
                service_error_message(request, exc)
            else:
                messages.success(request, gettext("ILO assessment recorded."))
            return redirect("cases:ilo_matrix", reference=case.reference)
    services.case_view_record(actor=request.user, case=case, view="ilo")
    summary = selectors.ilo_summary(case=case)
    return render(
        request,
        "cases/ilo_matrix.html",
        {
            **_nav(case, request.user),
            "summary": summary,
            "assessment": getattr(case, "ilo_assessment", None),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
