"""section307.cases.views: order change petitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from section307.cases import services
from section307.cases.forms import (
    ChangeRequestForm,
)
from section307.cases.models import (
    OrderProposal,
)
from section307.cases.views import case as _case
from section307.cases.views._base import _work
from section307.core.errors import ServiceError

# ------------------------------------------------------------------------- order change petitions


@login_required
@require_POST
def change_request_create(request: HttpRequest, reference: str, order_pk: int) -> HttpResponse:
    """An analyst files a petition from the case that issued the order; headquarters decides it."""
    case = _work(request, reference)
    proposal = get_object_or_404(OrderProposal, case=case, order_id=order_pk)
    assert proposal.order is not None  # the lookup is by order
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        return _case._detail_with_errors(request, case, change_form=form)
    d = form.cleaned_data
    try:
        services.petition_file(
            actor=request.user,
            order=proposal.order,
            kind=d["kind"],
            ground=d["ground"],
            grounds=d["grounds"],
            proposed_merchandise=d["proposed_merchandise"],
            requester_name=d["requester_name"],
            organization=None,
            case=case,
        )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _case._detail_with_errors(request, case, change_form=form)
    messages.success(request, gettext("Petition filed; it is in the headquarters queue."))
    return redirect(f"{_case.case_url(case)}#orders")
