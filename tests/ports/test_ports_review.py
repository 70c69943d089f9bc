"""Headquarters determinations: two-person concurrence, the UFLPA sec. 3(b) and CAATSA 302A(b) tests,
the sec. 3(c) report deadline, the deemed exclusion of 19 U.S.C. 1499(c)(5)(A)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from section307.core.errors import Conflict, NotPermitted
from section307.ports import services
from section307.ports.models import Detention, Determination, Entry
from tests.ports.conftest import hq_determine

pytestmark = pytest.mark.django_db

HAMI = dict(
    manufacturer="Hami Bright Sun New Energy Co., Ltd.",
    description="Solar modules",
    hts="854143",
    importer="Meridian Solar Supply Inc.",
    importer_number="46-1182093",
)


@pytest.fixture
def uflpa(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> Detention:
    return services.entry_detain(actor=officer, entry=file_entry(**HAMI), reason="UFLPA Entity List manufacturer")


@pytest.fixture
def caatsa(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> Detention:
    from section307.orders.models import OrderType
    from section307.orders.services import order_create

    order_create(
        actor=None,
        order_type=OrderType.CAATSA,
        merchandise="Goods made with North Korean labor",
        effective_date=dt.date(2017, 8, 2),
        reference="CAATSA-302A",
    )
    entry = file_entry()
    return services.entry_detain(actor=officer, entry=entry, reason="Seafood processor", order_reference="CAATSA-302A")


ALL_THREE = {"complied_with_guidance": True, "answered_all_inquiries": True, "clear_and_convincing": True}


def test_concurrence_must_come_from_a_different_reviewer(uflpa: Detention, reviewers: Any, officer: Any) -> None:
    first, second = reviewers
    with pytest.raises(NotPermitted):
        services.determination_propose(
            actor=officer, detention=uflpa, kind="applicability", outcome="granted", reasons="x"
        )
    proposed = services.determination_propose(
        actor=first, detention=uflpa, kind="applicability", outcome="granted", reasons="No Xinjiang content traced"
    )
    with pytest.raises(Conflict, match="second reviewer") as same:
        services.determination_concur(actor=first, determination=proposed)
    assert same.value.rule == "two-person review"
    # Not effective yet: the port cannot release.
    with pytest.raises(Conflict):
        services.detention_decide(actor=officer, detention=uflpa, outcome="release", reason="x")
    services.determination_concur(actor=second, determination=proposed)
    proposed.refresh_from_db()
    assert proposed.status == Determination.Status.EFFECTIVE and proposed.concurred_by == second
    services.detention_decide(actor=officer, detention=uflpa, outcome="release", reason="HQ: outside UFLPA")


def test_returned_determination_never_takes_effect(uflpa: Detention, reviewers: Any) -> None:
    proposed = services.determination_propose(
        actor=reviewers[0], detention=uflpa, kind="applicability", outcome="granted", reasons="x"
    )
    services.determination_return(actor=reviewers[1], determination=proposed, note="Tier 3 is not traced")
    proposed.refresh_from_db()
    assert proposed.status == Determination.Status.RETURNED
    with pytest.raises(Conflict):
        services.determination_concur(actor=reviewers[1], determination=proposed)


@pytest.mark.parametrize("missing", sorted(ALL_THREE))
def test_uflpa_sec_3b_exception_needs_all_three_conditions(uflpa: Detention, reviewers: Any, missing: str) -> None:
    with pytest.raises(Conflict) as refused:
        services.determination_propose(
            actor=reviewers[0],
            detention=uflpa,
            kind="uflpa_exception",
            outcome="granted",
            reasons="x",
            conditions={**ALL_THREE, missing: False},
        )
    assert refused.value.rule == "UFLPA sec. 3(b)"
    assert not Determination.objects.exists()


def test_uflpa_sec_3c_granted_exception_opens_the_30_day_report(uflpa: Detention, reviewers: Any) -> None:
    hq_determine(uflpa, reviewers, "uflpa_exception", "granted", conditions=ALL_THREE)
    report = uflpa.clocks.get(kind="congress_report")
    assert report.citation == "UFLPA sec. 3(c)" and report.due_date == timezone.localdate() + dt.timedelta(days=30)
    services.congress_report_record(actor=reviewers[0], detention=uflpa)
    report.refresh_from_db()
    assert not report.running and "report submitted" in report.stop_reason


def test_uflpa_denied_exception_allows_the_exclusion(uflpa: Detention, reviewers: Any, officer: Any) -> None:
    with pytest.raises(Conflict) as early:
        services.detention_decide(actor=officer, detention=uflpa, outcome="exclude", reason="x")
    assert early.value.rule == "UFLPA sec. 3(b)"
    with pytest.raises(Conflict, match="cannot be denied"):
        services.determination_propose(
            actor=reviewers[0],
            detention=uflpa,
            kind="uflpa_exception",
            outcome="denied",
            reasons="x",
            conditions=ALL_THREE,
        )
    hq_determine(uflpa, reviewers, "uflpa_exception", "denied", conditions={"complied_with_guidance": True})
    services.detention_decide(actor=officer, detention=uflpa, outcome="exclude", reason="Presumption not rebutted")


def test_caatsa_302a_b_exception_is_decided_on_convict_forced_or_indentured_labor(
    caatsa: Detention, reviewers: Any, officer: Any
) -> None:
    assert caatsa.regime == "caatsa"
    with pytest.raises(Conflict) as refused:
        services.determination_propose(
            actor=reviewers[0], detention=caatsa, kind="caatsa_exception", outcome="granted", reasons="x"
        )
    assert refused.value.rule == "22 U.S.C. 9241a(b)"
    with pytest.raises(Exception, match="does not apply"):
        services.determination_propose(
            actor=reviewers[0], detention=caatsa, kind="uflpa_exception", outcome="granted", reasons="x"
        )
    determination = hq_determine(
        caatsa, reviewers, "caatsa_exception", "granted", conditions={"not_convict_forced_indentured": True}
    )
    assert determination.conditions == {"not_convict_forced_indentured": True}
    services.detention_decide(actor=officer, detention=caatsa, outcome="release", reason="302A(b) exception")


def test_19_usc_1499c5a_deemed_exclusion_on_day_31_whenever_the_task_runs(uflpa: Detention) -> None:
    presented = uflpa.entry.presented_on
    assert presented is not None
    assert services.detentions_deem_excluded(today=presented + dt.timedelta(days=30)) == []
    # The task runs late (day 45): the exclusion is still dated day 31, and the protest window counts from it.
    assert services.detentions_deem_excluded(today=presented + dt.timedelta(days=45)) == [uflpa]
    uflpa.refresh_from_db()
    assert uflpa.status == Detention.Status.EXCLUDED and uflpa.deemed_exclusion
    assert uflpa.exclusion_date == presented + dt.timedelta(days=31)
    window = uflpa.clocks.get(kind="protest_filing")
    assert window.due_date == presented + dt.timedelta(days=31 + 180)
