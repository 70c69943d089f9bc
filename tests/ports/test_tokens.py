"""API tokens: a user issues and revokes their own (shown once); `section307 tokens` does the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from section307.accounts import roles
from section307.ports.models import ApiToken


def test_token_page_issues_shows_once_and_revokes(make_user: Any) -> None:
    user = make_user(roles.TRADE_USER)
    client = Client()
    client.force_login(user)
    created = client.post("/tokens/", {"name": "ERP export"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    secret = created.content.split(b'data-testid="token-secret">')[1].split(b"<")[0].decode()
    assert secret.startswith("s307_")
    assert secret.encode() not in client.get("/tokens/").content  # shown once
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/queue").status_code == 200
    token = ApiToken.objects.get(user=user)
    other = Client()
    other.force_login(make_user(roles.TRADE_USER))
    assert other.post(f"/tokens/{token.pk}/revoke/").status_code == 404  # not theirs
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/queue").status_code == 401
    assert client.post("/tokens/", {"name": ""}).status_code == 400
    roleless = Client()
    roleless.force_login(make_user(None))
    assert roleless.get("/tokens/").status_code == 403


def test_tokens_command(make_user: Any, capsys: Any) -> None:
    user = make_user(roles.ANALYST, username="ana")
    call_command("tokens", "create", "ana", "--name", "notebook")
    out = capsys.readouterr().out
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("s307_") and ApiToken.objects.get(user=user).name == "notebook"
    call_command("tokens", "list", "ana")
    assert "active" in capsys.readouterr().out
    call_command("tokens", "revoke", secret[:12])
    assert ApiToken.objects.get(user=user).revoked_at is not None
    with pytest.raises(CommandError):
        call_command("tokens", "create", "nobody")
    with pytest.raises(CommandError):
        call_command("tokens", "revoke", "999999")
