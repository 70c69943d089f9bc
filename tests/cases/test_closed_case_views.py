"""Case write pages answer a hand-crafted POST to a closed case with the service's refusal, never a 500.

The services refuse with ``Conflict`` (``cases.lifecycle.require_open``); the pages show it the one
way the project shows service errors (``core.forms.service_error_message``) and redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from section307.cases.lifecycle import require_open
from section307.cases.models import CaseParty, CaseTask, Evidence
from section307.core.errors import Conflict

from .conftest import World
from .test_closed_case import closed_case

pytestmark = pytest.mark.django_db

# page -> (url name, extra URL kwargs from the closed case, form data that passes the form's own checks)
PAGES: dict[str, Callable[[World, Any], tuple[str, dict[str, Any], dict[str, Any]]]] = {
    "memo": lambda w, c: ("cases:case_memo", {}, {"memo": "A late memo."}),
    "task_add": lambda w, c: ("cases:task_add", {}, {"title": "Late task", "phase": "research"}),
    "task_comment": lambda w, c: (
        "cases:task_action",
        {"pk": CaseTask.objects.filter(case=c.case).first().pk},  # type: ignore[union-attr]
        {"action": "comment", "body": "late"},
    ),
    "comment": lambda w, c: ("cases:comment_add", {}, {"body": "A late comment."}),
    "party_add": lambda w, c: (
        "cases:case_party_add",
        {},
        {"party": w.spinner.pk, "role": CaseParty.Role.SUPPLIER, "tier": 1},
    ),
    "party_remove": lambda w, c: (
        "cases:case_party_remove",
        {"pk": CaseParty.objects.filter(case=c.case).first().pk},  # type: ignore[union-attr]
        {},
    ),
    "stakeholder": lambda w, c: (
        "cases:engagement_add",
        {},
        {"kind": "ngo", "stakeholder": "NGO", "engaged_on": "2026-01-02", "summary": "late"},
    ),
    "evidence_add": lambda w, c: (
        "cases:evidence_list",
        {},
        {
            "file": SimpleUploadedFile("late.txt", b"A late note.\n", content_type="text/plain"),
            "kind": Evidence.Kind.choices[0][0],
            "title": "Late",
            "source": "Field visit",
            "reliability": "B",
            "date_obtained": dt.date(2026, 1, 2).isoformat(),
        },
    ),
    "evidence_annotate": lambda w, c: (
        "cases:evidence_detail",
        {"pk": c.evidence.pk},
        {"action": "annotate", "body": "late"},
    ),
    "ilo": lambda w, c: ("cases:ilo_matrix", {}, {"conclusion": "Late conclusion."}),
    "share": lambda w, c: ("cases:case_share", {}, {"organization": w.state.pk, "access": "read"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_post_to_a_closed_case_shows_the_refusal(world: World, page: str) -> None:
    closed = closed_case(world)
    with pytest.raises(Conflict) as refused:
        require_open(closed.case)
    name, extra, data = PAGES[page](world, closed)
    client = Client()
    client.force_login(world.analyst)
    url = reverse(name, kwargs={"reference": closed.case.reference, **extra})
    response = client.post(url, data)
    assert response.status_code in (302, 303) or 400 <= response.status_code < 500, response.status_code
    page_shown = client.get(response["Location"]) if response.status_code in (302, 303) else response
    assert escape(refused.value.message) in page_shown.content.decode()
