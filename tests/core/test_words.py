"""Codes become words in one place (core.words, core.auditwords); audit entries read as sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import section307
from section307.cases.models import Case
from section307.core.auditwords import SENTENCES, audit_line
from section307.core.templatetags.words import signal_sentence
from section307.core.words import (
    CODE_TOKEN_RE,
    choice_label,
    good_name,
    humanize_code,
    plain_words,
    shorten,
    value_words,
)
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.trade.models import RequestDocument

SRC = Path(section307.__file__).parent


def test_codes_become_words() -> None:
    assert humanize_code("uflpa_entity") == "UFLPA entity"
    assert humanize_code("Already words") == "Already words"
    assert choice_label(OrderType, "caatsa") == "CAATSA sec. 302A presumption"
    assert choice_label(OrderStatus, "active") == "Active"
    assert choice_label(OrderStatus, "gone_away") == "Gone away"
    assert good_name("tomato_products").lower().startswith("tomato")
    assert "_" not in good_name("cotton_yarn")
    assert value_words({"recovery_codes": 10, "ok": True, "list": ["a_b", None]}) == (
        "Recovery codes: 10; Ok: yes; List: A b, —"
    )
    assert RequestDocument(category="certificate_of_origin").get_category_display().startswith("Certificate of origin")
    assert "_" not in RequestDocument(category="supply_chain_tier").get_category_display()


def test_screening_text_is_plain_and_parentheses_are_closed() -> None:
    text = "goods cotton_yarn fall under its scope (cotton_yarn, tomato_products) of watchlist party UEL-2024-0002:6"
    out = plain_words(text)
    assert not CODE_TOKEN_RE.search(out) and "UEL-2024-0002:6" not in out and "UEL-2024-0002" in out
    merchandise = (
        "Goods made wholly or in part in the Xinjiang Uyghur Autonomous Region (rebuttable presumption, sec. 3)"
    )
    short = shorten(merchandise, 90)
    assert len(short) <= 92 and short.count("(") == short.count(")")
    assert plain_words("UFLPA (rebuttable presumption") == "UFLPA (rebuttable presumption)"


def test_signal_reads_as_a_sentence() -> None:
    signal = {
        "level": "hit",
        "kind": "party",
        "field": "manufacturer",
        "score": 0.93,
        "detail": (
            "Manufacturer 'Aksu Mill' matches name 'Aksu Mill' of watchlist party UEL-2024-0002:6 (exact, score 0.93)"
        ),
        "order_id": "UEL-2024-0002",
    }
    sentence = signal_sentence(signal)
    assert sentence.startswith("Match on an enforced order: Manufacturer 'Aksu Mill' matches")
    assert "UEL-2024-0002:6" not in sentence and " · " not in sentence and "hit" not in sentence.split(":")[0]


@pytest.mark.django_db
def test_audit_entries_read_as_sentences() -> None:
    line = audit_line("case.party_add", {"party": 4, "name": "Aksu Mill", "tier": 2, "supplies_to": None})
    assert line.sentence == "Aksu Mill added to the supply-chain map (tier 2)." and line.details == []
    line = audit_line("case.escalate", {"from": "research", "to": "escalation", "note": ""}, model=Case)
    assert line.sentence.startswith("Escalate (phase 3).")
    assert "Research and validity check" in line.sentence and "research," not in line.sentence
    line = audit_line("trade_document.add", {"sha256": "ab12", "category": "audit", "importer": "Harborline"})
    assert ("SHA-256 fingerprint", "ab12") in line.details and ("Importer", "Harborline") in line.details
    assert "{" not in line.sentence and "{" not in str(line.details)


def test_every_audit_action_written_by_the_code_has_a_sentence() -> None:
    """A new ``audit_record(action="...")`` needs its sentence in core.auditwords.SENTENCES
    (or its app's ``register_sentences``); actions built from a lifecycle step use the step's label."""
    actions: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit_record\((.*?)\n\s*\)", text, re.S):
            m = re.search(r'action="([a-z_]+\.[a-z_]+)"', call.group(1))
            if m:
                actions.add(m.group(1))
        actions |= set(re.findall(r'audit_record\([^\n]*action="([a-z_]+\.[a-z_]+)"', text))
    assert len(actions) > 50
    assert sorted(actions - set(SENTENCES)) == []


@pytest.mark.django_db
def test_home_table_shows_labels(client_as: object) -> None:
    from section307.accounts import roles

    EnforcementOrder.objects.create(
        reference="CAATSA-T", order_type=OrderType.CAATSA, merchandise="Goods", status=OrderStatus.ACTIVE
    )
    c: Client = client_as(roles.ANALYST)  # type: ignore[operator]
    page = c.get("/").content.decode()
    table = page[page.index("Orders by type and status") :].split("</table>")[0]
    assert "CAATSA sec. 302A presumption" in table and "Active" in table
    assert ">caatsa<" not in table and ">active<" not in table
