"""Queue items from the legal path: each names the window and its citation, computed from dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from section307.core.queue import queue_for
from section307.ports import services
from section307.ports.models import Entry
from tests.ports.conftest import hq_determine

pytestmark = pytest.mark.django_db


def _kinds(user: Any, now: Any = None) -> dict[str, Any]:
    return {i.kind: i for i in queue_for(user, now=now)}


def test_19_usc_1499c_officer_sees_the_decision_window_of_an_exam_hold(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = services.entry_target(actor=officer, entry=file_entry(), action="exam", reason="Labels")
    item = _kinds(officer)["detention.decision"]
    assert item.rule.startswith("19 U.S.C. 1499(c)(1)") and entry.entry_number in item.title
    assert "5 US federal business days" in item.why


def test_19_cfr_12_44a_officer_sees_abandonment_due_without_any_task_run(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    detention = services.entry_detain(
        actor=officer, entry=file_entry(date=timezone.localdate() - dt.timedelta(days=120)), reason="WRO"
    )
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    later = timezone.now() + dt.timedelta(days=61)
    item = _kinds(officer, later)["detention.abandonment"]
    assert item.rule == "19 CFR 12.44(a)"
    # The importer sees the export deadline and the protest window.
    mine = _kinds(importers[0])
    assert mine["detention.abandonment"].rule == "19 CFR 12.44(a)"
    assert mine["detention.protest_filing"].rule == "19 U.S.C. 1514(c)(3)"
    assert "detention.abandonment" not in _kinds(importers[1])
    # A pending protest takes the abandonment out of the officer's queue.
    services.protest_file(actor=importers[0], detention=detention, grounds="Other mill")
    assert "detention.abandonment" not in _kinds(officer, later)


def test_hq_queue_has_concurrence_for_the_other_reviewer_and_the_port_carries_out(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, reviewers: Any
) -> None:
    detention = services.entry_detain(actor=officer, entry=file_entry(), reason="WRO")
    services.determination_propose(
        actor=reviewers[0], detention=detention, kind="admissibility", outcome="granted", reasons="Traced"
    )
    assert "hq.concurrence" not in _kinds(reviewers[0])  # never one's own
    assert "hq.concurrence" in _kinds(reviewers[1])
    assert "detention.carry_out" not in _kinds(officer)
    detention.determinations.update(status="returned")
    hq_determine(detention, reviewers, "admissibility", "granted")
    assert _kinds(officer)["detention.carry_out"].rule == "19 CFR 12.44"
    services.detention_decide(actor=officer, detention=detention, outcome="release", reason="Per HQ")
    assert "detention.carry_out" not in _kinds(officer)
