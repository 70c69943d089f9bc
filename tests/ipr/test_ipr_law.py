"""The 19 CFR 133.21 periods of ports.law, each tested by its citation across weekends and holidays."""

from __future__ import annotations

import datetime as dt

from section307.ports import law

D = dt.date


def test_ipr_periods_are_in_the_one_registry_with_their_citations() -> None:
    for kind in law.IPR_KINDS:
        r = law.RULES[kind]
        assert r.citation.startswith(("19 CFR 133.21", "19 CFR 133.21(b)"))
        assert r.statutory and not r.extendable


def test_19_cfr_133_21_b_2_i_B_notice_within_5_business_days_of_the_decision_to_detain() -> None:
    assert law.rule(law.IPR_NOTICE).citation == "19 CFR 133.21(b)(2)(i)(B)"
    # Decision on Mon 30 Jun 2025: Independence Day (Fri 4 Jul) and the weekend are skipped.
    assert law.due_date(law.IPR_NOTICE, D(2025, 6, 30)) == D(2025, 7, 8)


def test_19_cfr_133_21_b_importer_has_7_business_days_from_the_notice() -> None:
    assert law.rule(law.IPR_IMPORTER_REPLY).citation == "19 CFR 133.21(b)"
    # Notice on Mon 24 Nov 2025: Thanksgiving (Thu 27 Nov) and a weekend skipped.
    assert law.due_date(law.IPR_IMPORTER_REPLY, D(2025, 11, 24)) == D(2025, 12, 4)
    # A Friday notice: the 7 business days end on the Tuesday after next.
    assert law.due_date(law.IPR_IMPORTER_REPLY, D(2026, 3, 6)) == D(2026, 3, 17)


def test_19_cfr_133_21_b_1_decision_within_30_days_of_presentation() -> None:
    r = law.rule(law.IPR_DECISION)
    assert r.calendar == law.CALENDAR_DAYS and "cannot be extended" in r.consequence
    assert law.due_date(law.IPR_DECISION, D(2026, 2, 10)) == D(2026, 3, 12)


def test_19_cfr_133_21_e_information_within_30_business_days_after_seizure() -> None:
    assert law.rule(law.IPR_SEIZURE_INFO).citation == "19 CFR 133.21(e)"
    # Seized Mon 2 Nov 2026: Veterans Day (11 Nov) and Thanksgiving (26 Nov) are skipped.
    assert law.due_date(law.IPR_SEIZURE_INFO, D(2026, 11, 2)) == D(2026, 12, 16)
