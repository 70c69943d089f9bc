"""Headquarters determinations show the legal test's conditions as sentences, not their keys."""

from __future__ import annotations

from django.utils import translation

from section307.ports.models import Determination


def test_conditions_read_as_the_legal_test_words() -> None:
    determination = Determination(conditions={"clear_and_convincing": True, "answered_all_inquiries": False})
    findings = determination.condition_findings
    assert findings[0][0].startswith("Clear and convincing evidence shows the goods were not mined")
    assert findings[0][1] is True
    assert "UFLPA sec. 3(b)(1)(B)" in findings[1][0] and findings[1][1] is False


def test_conditions_follow_the_reader_language() -> None:
    determination = Determination(conditions={"not_convict_forced_indentured": True})
    with translation.override("es"):
        (label, met), = determination.condition_findings
    assert "22 U.S.C. 9241a(b)" in label and not label.startswith("Clear and convincing")
    assert met
