"""Staff must pass multi-factor sign-in before anything else when SECTION307_REQUIRE_STAFF_MFA is on."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from section307.accounts.roles import staff_member

# Session flag set when the identity provider vouched for multi-factor sign-in (OIDC, see oidc.py).
MFA_BY_IDP = "section307_mfa_by_idp"


def mfa_satisfied(request: HttpRequest) -> bool:
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool((verified and verified()) or request.session.get(MFA_BY_IDP))


class StaffMFAMiddleware:
    """Send a signed-in staff member who has not passed MFA to set-up or verification (API: 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SECTION307_REQUIRE_STAFF_MFA and not self._exempt(request.path):
            user = request.user
            if staff_member(user) and not mfa_satisfied(request):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Multi-factor sign-in is required for staff accounts.", "code": "mfa_required"},
                        status=403,
                    )
                enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                target = reverse("accounts:mfa_verify" if enrolled else "accounts:mfa_setup")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (
            reverse("accounts:mfa_setup"),
            reverse("accounts:mfa_verify"),
            reverse("logout"),
            reverse("admin:logout"),
            settings.STATIC_URL or "/static/",
            "/i18n/",
        )
        return path.startswith(open_paths)
