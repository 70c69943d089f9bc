"""Shared pieces of the workspace pages: the per-page work queue, language names, the filtered multi-select."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation

from section307.core import queue
from section307.core.languages import language_choices, language_name
from section307.core.widgets import FilteredSelectMultiple


@pytest.fixture
def provider() -> Iterator[None]:
    def items(user: Any, now: dt.datetime) -> list[queue.WorkItem]:
        return [
            queue.WorkItem("t.a", "Case 1", "Write the memo", "/cases/CASE-1/#memo", due=dt.date(2020, 1, 1)),
            queue.WorkItem("t.b", "Case 1 proposal", "Approve", "/cases/CASE-1/proposals/3/", due=None),
            queue.WorkItem("t.c", "Case 10", "Other case", "/cases/CASE-10/", due=dt.date(2020, 1, 1)),
            queue.WorkItem("t.d", "Case 1", "Later", "/cases/CASE-1/", due=dt.date(2999, 1, 1)),
        ]

    queue.PROVIDERS.append(items)
    try:
        yield
    finally:
        queue.PROVIDERS.remove(items)


def test_queue_for_page_keeps_the_items_acted_on_at_that_page_or_below_it(provider: None, make_user: Any) -> None:
    rows = queue.queue_for_page(make_user(), "/cases/CASE-1/", now=timezone.now())
    assert [(item.kind, overdue) for item, overdue in rows if item.kind.startswith("t.")] == [
        ("t.a", True),
        ("t.d", False),
        ("t.b", False),
    ]


def test_language_names_follow_the_readers_language() -> None:
    assert language_name("ms") == "Malay"
    assert language_name("zh") == "Chinese"
    assert language_name("zh-CN") == "Simplified Chinese"
    assert language_name("qq") == "qq"  # an unknown stored code is shown as stored, never dropped
    with translation.override("fr"):
        assert language_name("de") == "Allemand"


def test_language_choices_keep_a_stored_code_outside_the_list() -> None:
    codes = [code for code, _ in language_choices()]
    assert {"en", "zh", "ms", "ug", "es"} <= set(codes)
    assert "zh-hans" not in codes
    assert ("x-old", "x-old") in language_choices(current="x-old")


def test_filtered_multi_select_renders_a_plain_select_for_browsers_without_script() -> None:
    class F(forms.Form):
        countries = forms.MultipleChoiceField(
            choices=[("MY", "Malaysia"), ("CN", "China")], widget=FilteredSelectMultiple
        )

    html = str(F(data={"countries": ["CN"]})["countries"])
    assert "data-s307-multiselect" in html
    assert '<select name="countries" class="usa-select" size="8"' in html
    assert "multiple" in html
    assert '<option value="CN" selected>China</option>' in html
    assert "Hold Ctrl" in html
    assert F(data={"countries": ["CN", "MY"]}).is_valid()


def test_document_language_is_chosen_from_languages_and_stored_as_its_code() -> None:
    from section307.trade.forms import DocumentForm

    field = DocumentForm.base_fields["language"]
    assert field.clean("zh") == "zh"
    assert ("ms", "Malay") in field.choices  # type: ignore[attr-defined]
    with pytest.raises(forms.ValidationError):
        field.clean("Mandarin please")
