from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.django_db


def test_home_page_and_security_headers(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert b'href="#main-content"' in response.content  # skip link


def test_api_health_and_openapi_schema(client: Any) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "section307 API"


def test_admin_is_for_staff_only(client_as: Any) -> None:
    from section307.accounts import roles

    assert client_as(roles.ANALYST).get("/admin/").status_code == 302
    assert client_as(roles.ADMINISTRATOR).get("/admin/").status_code == 200


def test_audit_trail_cannot_be_edited_in_the_admin(client_as: Any) -> None:
    from section307.accounts import roles
    from section307.core.audit import audit_record

    event = audit_record(actor=None, action="test.event")
    admin = client_as(roles.ADMINISTRATOR)
    assert admin.get("/admin/core/auditevent/").status_code == 200
    assert admin.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_production_profile_passes_check_deploy(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "section307.config.production",
        "SECTION307_SECRET_KEY": secrets.token_urlsafe(64),
        "SECTION307_ALLOWED_HOSTS": "section307.example.gov",
        "SECTION307_VAR_DIR": str(tmp_path),
        "SECTION307_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SECTION307_RECEIPT_KEY": secrets.token_urlsafe(48),
    }
    # Test-only settings from this process must not leak into the deployment check.
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "section307", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_profile_refuses_to_start_without_encryption_keys(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "section307.config.production",
        "SECTION307_SECRET_KEY": secrets.token_urlsafe(64),
        "SECTION307_ALLOWED_HOSTS": "section307.example.gov",
        "SECTION307_VAR_DIR": str(tmp_path),
    }
    for name in ("SECTION307_ENCRYPTION_KEYS", "SECTION307_RECEIPT_KEY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "section307", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0 and "SECTION307_ENCRYPTION_KEYS" in result.stderr


def test_production_profile_refuses_to_start_without_a_secret(tmp_path: Any) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "section307.config.production", "SECTION307_VAR_DIR": str(tmp_path)}
    env.pop("SECTION307_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "section307", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0 and "SECTION307_SECRET_KEY" in result.stderr
