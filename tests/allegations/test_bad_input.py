"""Whatever a client sends, the answer is never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from section307.accounts import roles

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/report/step/production/", {"party-TOTAL_FORMS": "abc", "party-INITIAL_FORMS": "x", "action": "next"}),
        ("/report/step/production/", {"party-TOTAL_FORMS": "100000", "party-INITIAL_FORMS": "0", "action": "next"}),
        ("/report/step/production/", {"country": "\x00", "party-0-country": "ZZ", "action": "next"}),
        ("/report/step/reasons/", {"reasons": "x" * 30000, "source_type": ["a", "b"], "action": "next"}),
        ("/report/step/indicators/", {"ind_debt_bondage": "on", "obs_debt_bondage": "", "action": "back"}),
        ("/report/step/evidence/", {"action": "remove", "file": HUGE}),
        ("/report/step/evidence/", {"action": "upload"}),
        ("/report/step/contact/", {"identify": "maybe", "email": "not-an-email", "action": "next"}),
        ("/report/step/review/", {"confirm": "on"}),
        ("/report/follow-up/", {"code": "💥" * 200}),
        ("/report/follow-up/status/", {"body": "x"}),
        ("/report/discard/", {}),
    ],
)
def test_public_posts(client: Client, path: str, data: dict[str, Any]) -> None:
    assert client.post(path, data).status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        f"/allegations/?good={HUGE}&page={HUGE}&from=2026-13-45&to=x&country=%00&status=%27",
        f"/allegations/{HUGE}/",
        f"/allegations/1/files/{HUGE}/sanitized/",
    ],
)
def test_staff_gets(client_as: Any, path: str) -> None:
    assert client_as(roles.ANALYST).get(path).status_code < 500


def test_staff_posts(client_as: Any) -> None:
    c = client_as(roles.ANALYST)
    assert c.post(f"/allegations/{HUGE}/actions/close/", {"reason": "spam"}).status_code == 404


def test_api_headers_and_bodies(client: Client) -> None:
    assert client.get("/api/v1/allegations/status", HTTP_X_RECEIPT_CODE="\x00" * 5000).status_code == 401
    assert client.post("/api/v1/allegations", data=b"\xff\xfe", content_type="application/json").status_code < 500
    deep = "[" * 5000 + "]" * 5000
    assert client.post("/api/v1/allegations", data=deep, content_type="application/json").status_code < 500
    assert client.post("/api/v1/allegations", data={"data": "{bad"}).status_code == 400
