"""Sign-in: the same rate limits on the site's and the admin's password forms, proxy-aware client
addresses, and multi-factor sign-in for staff."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from section307.accounts import roles
from section307.core.clientip import client_ip
from section307.core.models import AuditEvent

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_forty_wrong_passwords_then_the_right_one_is_refused(make_user: Any, url: str) -> None:
    user = make_user(roles.ADMINISTRATOR)
    client = Client()
    statuses = [client.post(url, {"username": user.username, "password": f"wrong-{i}"}).status_code for i in range(40)]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_both_sign_in_pages_share_one_count(make_user: Any) -> None:
    user = make_user(roles.ADMINISTRATOR)
    client = Client()
    for i in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": f"wrong-{i}"})
        client.post("/admin/login/", {"username": user.username, "password": f"wrong-{i}"})
    assert client.post("/admin/login/", {"username": user.username, "password": PASSWORD}).status_code == 429


def test_per_address_limit_holds_across_account_names(make_user: Any) -> None:
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": f"nobody{i}", "password": "x"}).status_code for i in range(25)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429] * 5


def test_the_admin_signs_in_under_the_limit(make_user: Any) -> None:
    user = make_user(roles.ADMINISTRATOR)
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


# --- trusted proxy ---------------------------------------------------------------------------------


def test_client_address_is_remote_addr_without_a_trusted_proxy() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.5"


@override_settings(SECTION307_TRUSTED_PROXY_HEADER="X-Forwarded-For", SECTION307_TRUSTED_PROXY_COUNT=2)
def test_client_address_comes_from_the_trusted_hops_and_ignores_forged_entries() -> None:
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.1")
    assert client_ip(forged) == "203.0.113.9"
    short = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(short) == "10.0.0.2"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense, 10.0.0.1")
    assert client_ip(garbage) == "10.0.0.2"


@override_settings(SECTION307_TRUSTED_PROXY_HEADER="X-Forwarded-For", SECTION307_TRUSTED_PROXY_COUNT=1)
def test_sign_in_limit_keys_on_the_forwarded_client_behind_the_proxy() -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(20):
        response = client.post(
            "/accounts/login/", {"username": f"n{i}", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        assert response.status_code == 200
    blocked = client.post("/accounts/login/", {"username": "n", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert blocked.status_code == 429
    other = client.post("/accounts/login/", {"username": "n", "password": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 200


# --- multi-factor sign-in ------------------------------------------------------------------------


def _totp(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _sign_in(user: Any) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_staff_must_enrol_then_pass_mfa(make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    client = _sign_in(analyst)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/setup/")
    assert client.get("/api/v1/queue").status_code in {403, 404}
    page = client.get("/accounts/mfa/setup/?next=/cases/")
    assert page.status_code == 200
    assert re.search(rb'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page.content)
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    assert client.post("/accounts/mfa/setup/", {"token": "000000", "next": "/cases/"}).status_code == 422
    done = client.post("/accounts/mfa/setup/", {"token": _totp(device), "next": "/cases/"})
    assert done.status_code == 200
    codes = re.findall(rb"<li>([a-z0-9]{8})</li>", done.content)
    assert len(codes) == 10
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="user.mfa_enrolled", actor=analyst).exists()

    # A later sign-in asks for a code; a wrong one is refused, then a recovery code works once.
    again = _sign_in(analyst)
    response = again.get("/cases/")
    assert response["Location"].startswith("/accounts/mfa/verify/")
    assert again.post("/accounts/mfa/verify/", {"token": "123456", "next": "/cases/"}).status_code == 422
    ok = again.post("/accounts/mfa/verify/", {"token": codes[0].decode(), "next": "/cases/"})
    assert ok.status_code == 302 and ok["Location"] == "/cases/"
    assert again.get("/cases/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0].decode()).exists()
    assert AuditEvent.objects.filter(action="user.mfa_recovery_code_used").exists()

    third = _sign_in(analyst)
    device.refresh_from_db()
    # django-otp throttles the authenticator after the wrong code above; a later sign-in is past that wait.
    device.throttle_reset()
    assert third.post("/accounts/mfa/verify/", {"token": _totp(device, 30), "next": "/"}).status_code == 302
    assert third.get("/cases/").status_code == 200


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_the_admin_is_behind_mfa_too(make_user: Any) -> None:
    admin_user = make_user(roles.ADMINISTRATOR)
    client = Client()
    client.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/setup/")


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_enrolled_account_cannot_replace_its_authenticator_without_a_code(make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    client = _sign_in(analyst)
    response = client.get("/accounts/mfa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/verify/")


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_trade_users_are_not_asked_for_mfa(make_user: Any, make_org: Any) -> None:
    importer = make_user(roles.TRADE_USER, organization=make_org())
    client = _sign_in(importer)
    assert client.get("/portal/").status_code == 200


def test_mfa_is_off_by_default_for_the_demo(make_user: Any) -> None:
    client = _sign_in(make_user(roles.ANALYST))
    assert client.get("/cases/").status_code == 200


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_code_guessing_is_rate_limited(make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    client = _sign_in(analyst)
    statuses = [client.post("/accounts/mfa/verify/", {"token": f"{i:06d}"}).status_code for i in range(7)]
    assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]
