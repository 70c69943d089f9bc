"""Staff MFA enrolment in a real browser: the QR code shows under the strict CSP, pages are accessible."""

from __future__ import annotations

import time
from typing import Any

from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from section307.accounts import roles
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True)
def test_analyst_enrols_an_authenticator_and_reaches_cases(page: Any, make_user: Any, transactional_db: Any) -> None:
    user = make_user(roles.ANALYST)
    sign_in(page, user.username, PASSWORD)
    page.goto("/cases/")
    page.wait_for_url("**/accounts/mfa/setup/**")
    qr = page.locator("main img").first
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the data: image was allowed by the CSP
    check_accessibility(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("main form.usa-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("main li").count() == 10
    check_accessibility(page)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/cases/")
    assert page.console_errors == []
