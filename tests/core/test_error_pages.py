"""The default run serves as production would: styled error pages, never Django's technical pages."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory

from section307.core.views import handler400, handler500

pytestmark = pytest.mark.django_db


PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, 'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE, s.WHITENOISE_USE_FINDERS)"
)


def _probe(env: dict[str, str]) -> str:
    """The default settings as a fresh process sees them."""
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_default_settings_run_with_debug_off_and_whitenoise(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECTION307_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "section307.config.settings", "SECTION307_VAR_DIR": str(tmp_path)})
    out = _probe(env)
    assert out.split() == ["False", "True", "True"]
    # The secret key was generated under var/, outside the repository, and is reused.
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 50
    _probe(env)
    assert (tmp_path / "secret_key").read_text() == key
    env["SECTION307_DEBUG"] = "1"
    assert _probe(env).split()[0] == "True"


def test_unknown_url_gets_the_styled_404_without_url_patterns() -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b"usa-header" in response.content
    assert b"URLconf" not in response.content and b"Using the URLconf" not in response.content


def test_partner_refused_a_case_gets_the_styled_403(client_as: Any) -> None:
    from section307.accounts import roles

    response = client_as(roles.PARTNER_AGENCY).get("/admin/accounts/user/")
    assert response.status_code in {302, 403}
    response = client_as(roles.TRADE_USER).get("/cases/")
    assert response.status_code == 403
    assert b"usa-header" in response.content and b"Traceback" not in response.content


def test_500_and_400_pages_are_styled() -> None:
    request = RequestFactory().get("/")
    response = handler500(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"usa-header" in response.content
    bad = handler400(request)  # refused before authentication: no request.user yet
    assert bad.status_code == 400 and b"could not be understood" in bad.content
    disallowed = Client().get("/", HTTP_HOST="evil.example.com")
    assert disallowed.status_code == 400 and b"could not be understood" in disallowed.content


def test_static_files_are_served_by_whitenoise_with_debug_off() -> None:
    response = Client().get("/static/section307/css/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]
