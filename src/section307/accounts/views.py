from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image
from django_ratelimit.decorators import ratelimit

from section307.accounts import services
from section307.accounts.middleware import mfa_satisfied
from section307.core.errors import InvalidInput

# The same limits on every password form (the site's and the admin's), counted together: per client
# address (section307.core.clientip, proxy-aware) and per account name.
SIGNIN_LIMITS = (
    ratelimit(group="accounts.signin.ip", key="ip", rate="20/m", method="POST", block=True),
    ratelimit(group="accounts.signin.user", key="post:username", rate="10/5m", method="POST", block=True),
)
# Codes are six digits: a few tries per account, then wait.
MFA_LIMITS = (
    ratelimit(group="accounts.mfa.user", key="user", rate="5/5m", method="POST", block=True),
    ratelimit(group="accounts.mfa.ip", key="ip", rate="20/m", method="POST", block=True),
)


def _limited(view: Callable[..., Any], limits: tuple[Callable[..., Any], ...]) -> Callable[..., Any]:
    for limit in limits:
        view = limit(view)
    return view


def signin_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    return _limited(view, SIGNIN_LIMITS)


class RateLimitedLoginView(LoginView):
    """Sign-in with limits per client and per account name against password guessing."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_label"] = settings.SECTION307_OIDC_LABEL if settings.SECTION307_OIDC_ENABLED else ""
        return context

    @method_decorator(signin_limited)
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)


admin_login = signin_limited(admin.site.login)


def mfa_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    return _limited(view, MFA_LIMITS)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _qr_data_uri(text: str) -> str:
    # An inline SVG as a data: URI, which the Content Security Policy allows for images.
    out = io.BytesIO()
    write_qrcode_image(text, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@mfa_limited
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the code, confirm with one code, keep the recovery codes."""
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if enrolled and not mfa_satisfied(request):
        # Replacing an authenticator needs the current one first.
        return HttpResponseRedirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.get_full_path()})}")
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            try:
                codes = services.mfa_recovery_codes_renew(actor=request.user)
            except InvalidInput as exc:
                error = exc.message
            else:
                return render(request, "accounts/mfa_recovery.html", {"codes": codes, "next": _next(request)})
        else:
            try:
                device, codes = services.mfa_totp_confirm(actor=request.user, token=request.POST.get("token", ""))
            except InvalidInput as exc:
                error = exc.message
            else:
                otp_login(request, device)
                return render(request, "accounts/mfa_recovery.html", {"codes": codes, "next": _next(request)})
    device = services.mfa_totp_start(actor=request.user)
    context = {
        "enrolled": enrolled,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "error": error,
        "next": _next(request),
    }
    return render(request, "accounts/mfa_setup.html", context, status=422 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@mfa_limited
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the authenticator app or one recovery code."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return HttpResponseRedirect(f"{reverse('accounts:mfa_setup')}?{urlencode({'next': _next(request)})}")
    error = ""
    if request.method == "POST":
        try:
            device = services.mfa_verify(actor=request.user, token=request.POST.get("token", ""))
        except InvalidInput as exc:
            error = exc.message
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
    return render(
        request, "accounts/mfa_verify.html", {"error": error, "next": _next(request)}, status=422 if error else 200
    )
