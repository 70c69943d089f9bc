"""API tokens page (/tokens/): a user issues and revokes their own tokens; a new secret is shown once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.core.types import signed_in
from section307.ports.models import ApiToken
from section307.ports.services import api_token_create, api_token_revoke, may_use_api


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name (the system or script that will use it)"),
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


def _uid(request: HttpRequest) -> int:
    assert request.user.pk is not None  # the views require a signed-in user
    return int(request.user.pk)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if not may_use_api(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(
                actor=request.user, user=signed_in(request.user), name=form.cleaned_data["name"]
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user_id=_uid(request)).order_by("-created_at")
    # The secret is rendered in this response only and never stored; the page is not cached.
    response = render(
        request,
        "ports/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user_id=_uid(request)).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("tokens:list")
