"""Each time limit of ports.law, tested by its citation: business days across federal holidays,
weekends, month ends and leap years; calendar months with month-end clamping; years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from section307.ports import law

D = dt.date


def test_every_rule_carries_its_citation_start_event_and_calendar() -> None:
    for kind, r in law.RULES.items():
        assert r.kind == kind and r.citation and r.start_event and r.length > 0
        assert r.calendar in law.CALENDAR_LABELS
        # Only non-statutory periods may be extended, and only by a named official.
        assert r.extendable == (not r.statutory)


@pytest.mark.parametrize(
    ("presented", "due"),
    [
        (D(2025, 6, 30), D(2025, 7, 8)),  # Independence Day (Fri 4 Jul) and a weekend skipped
        (D(2026, 7, 1), D(2026, 7, 9)),  # 4 Jul 2026 is a Saturday: observed Friday 3 Jul
        (D(2025, 11, 24), D(2025, 12, 2)),  # Thanksgiving (27 Nov) across the month end
        (D(2024, 2, 26), D(2024, 3, 4)),  # leap year: 29 Feb 2024 is a business day
        (D(2025, 2, 24), D(2025, 3, 3)),  # common year
        (D(2025, 12, 29), D(2026, 1, 6)),  # New Year's Day across the year end
        (D(2025, 1, 17), D(2025, 1, 27)),  # a Friday start; Martin Luther King Jr. Day on 20 Jan
        (D(2025, 11, 8), D(2025, 11, 17)),  # a Saturday start; Veterans Day on Tue 11 Nov
    ],
)
def test_19_usc_1499c1_decision_within_5_business_days_of_presentation(presented: dt.date, due: dt.date) -> None:
    assert law.due_date(law.DECISION, presented) == due


def test_19_usc_1499c2_notice_within_5_business_days_and_staff_closures_count() -> None:
    decided = D(2025, 12, 22)  # Christmas on Thursday 25 Dec
    assert law.due_date(law.NOTICE, decided) == D(2025, 12, 30)
    closed = law.calendar_from([D(2025, 12, 26)], eo_closures=False)  # an extra closure staff recorded
    assert law.due_date(law.NOTICE, decided, business=closed) == D(2025, 12, 31)


def test_19_usc_1499c_executive_order_closures_count_only_when_set() -> None:
    # 9 Jan 2025: federal offices closed by executive order (national day of mourning).
    start = D(2025, 1, 6)
    assert law.due_date(law.DECISION, start) == D(2025, 1, 13)
    eo = law.calendar_from([], eo_closures=True)
    assert law.due_date(law.DECISION, start, business=eo) == D(2025, 1, 14)


@pytest.mark.parametrize(
    ("presented", "due"),
    [(D(2025, 1, 31), D(2025, 3, 2)), (D(2024, 1, 31), D(2024, 3, 1)), (D(2025, 12, 15), D(2026, 1, 14))],
)
def test_19_usc_1499c5a_deemed_exclusion_30_calendar_days_after_presentation(presented: dt.date, due: dt.date) -> None:
    assert law.due_date(law.DEEMED_EXCLUSION, presented) == due
    assert law.RULES[law.DEEMED_EXCLUSION].statutory


@pytest.mark.parametrize(
    ("imported", "due"),
    [
        (D(2025, 11, 30), D(2026, 2, 28)),
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2025, 8, 31), D(2025, 11, 30)),
        (D(2025, 12, 31), D(2026, 3, 31)),
    ],
)
def test_19_cfr_12_43_proof_three_calendar_months_from_importation_clamped(imported: dt.date, due: dt.date) -> None:
    assert law.due_date(law.ADMISSIBILITY, imported) == due
    assert law.RULES[law.ADMISSIBILITY].statutory and not law.RULES[law.ADMISSIBILITY].extendable


def test_19_cfr_12_44a_abandonment_60_days_after_the_exclusion_notice_never_extended() -> None:
    assert law.due_date(law.ABANDONMENT, D(2025, 12, 15)) == D(2026, 2, 13)
    assert not law.RULES[law.ABANDONMENT].extendable


def test_19_usc_1514c3_protest_within_180_days_and_1515a_decision_within_two_years() -> None:
    assert law.due_date(law.PROTEST_FILING, D(2025, 1, 1)) == D(2025, 6, 30)
    assert law.due_date(law.PROTEST_DECISION, D(2024, 2, 29)) == D(2026, 2, 28)  # leap day clamps
    assert law.due_date(law.FURTHER_REVIEW, D(2025, 1, 1)) == D(2025, 1, 31)


def test_19_usc_1515b_and_1499c5b_deemed_denied_on_day_30() -> None:
    assert law.due_date(law.ACCELERATED_DISPOSITION, D(2025, 2, 1)) == D(2025, 3, 3)
    assert law.due_date(law.EXCLUSION_PROTEST, D(2024, 2, 1)) == D(2024, 3, 2)


def test_19_cfr_171_2_petition_30_days_extendable_by_the_fpf_officer() -> None:
    r = law.RULES[law.PETITION]
    assert law.due_date(law.PETITION, D(2025, 3, 1)) == D(2025, 3, 31)
    assert r.extendable and "171.2(c)" in r.extended_by


def test_19_cfr_162_45_claim_20_days_and_cost_bond_lower_of_5000_or_10_percent_not_below_250() -> None:
    assert law.due_date(law.CLAIM_BOND, D(2025, 2, 20)) == D(2025, 3, 12)
    terms = law.DEFAULT_COST_BOND
    assert law.cost_bond(Decimal("100000"), **terms) == Decimal("5000")
    assert law.cost_bond(Decimal("20000"), **terms) == Decimal("2000.00")
    assert law.cost_bond(Decimal("1000"), **terms) == Decimal("250")


def test_uflpa_sec_3c_report_within_30_days_of_the_exception() -> None:
    assert law.due_date(law.CONGRESS_REPORT, D(2025, 12, 20)) == D(2026, 1, 19)
    assert len(law.UFLPA_EXCEPTION_CONDITIONS) == 3


def test_unknown_kind_or_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        law.due_date("ipr", D(2025, 1, 1))
    with pytest.raises(ValueError):
        law.add_period(D(2025, 1, 1), 1, "lunar")


@pytest.mark.django_db
def test_19_usc_1499c1_business_calendar_skips_closures_recorded_by_staff(settings: object) -> None:
    from section307.ports.calendars import business_calendar, cost_bond
    from section307.ports.models import FederalClosure

    assert law.due_date(law.DECISION, D(2025, 3, 3), business=business_calendar()) == D(2025, 3, 10)
    FederalClosure.objects.create(date=D(2025, 3, 5), reason="Snow closure, Washington")
    assert law.due_date(law.DECISION, D(2025, 3, 3), business=business_calendar()) == D(2025, 3, 11)
    settings.SECTION307_COST_BOND = {"cap": "6000", "rate": "0.10", "floor": "300"}  # type: ignore[attr-defined]
    assert cost_bond(Decimal("100000")) == Decimal("6000")


def test_clock_kinds_match_the_rules_of_ports_law() -> None:
    from section307.ports.models import Clock

    # The counterfeit-mark periods run on the IPR detention's own dates (section307.ipr), not on Clock rows.
    assert dict(Clock.Kind.choices) == {k: r.label for k, r in law.RULES.items() if k not in law.IPR_KINDS}


def test_ports_does_not_import_the_importer_portal() -> None:
    """Ports emits signals and page-section hooks; the portal (trade) receives them, never the reverse."""
    from pathlib import Path

    import section307.ports as ports

    root = Path(ports.__file__).parent
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("*.py") if "section307.trade" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_19_usc_1307_labor_type_is_one_choice_list_on_allegations_cases_and_orders() -> None:
    from section307.allegations.models import Allegation
    from section307.cases.models import Case
    from section307.orders.models import EnforcementOrder, LaborType

    assert set(LaborType.values) == {"convict", "forced", "indentured", "child"}
    for model in (Allegation, Case, EnforcementOrder):
        field = model._meta.get_field("labor_type")
        assert field.choices == LaborType.choices, model  # type: ignore[attr-defined]
