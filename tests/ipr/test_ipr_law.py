"""The IPR periods of ports.law, each tested by its citation across weekends and holidays: counterfeit
marks (19 CFR 133.21), restricted articles (133.25) and piratical articles (133.42-133.43 as amended by CBP Dec.
24-03); the periods the legal facts do not confirm come from settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from section307.ports import law

D = dt.date


def test_ipr_periods_are_in_the_one_registry_with_their_citations() -> None:
    for kind in law.COUNTERFEIT_KINDS:
        r = law.RULES[kind]
        assert r.citation.startswith(("19 CFR 133.21", "19 CFR 133.21(b)"))
        assert r.statutory and not r.extendable
    for kind in law.RESTRICTED_KINDS:
        assert law.RULES[kind].citation.startswith("19 CFR 133.25")
    for kind in law.PIRATICAL_KINDS:
        assert law.RULES[kind].citation.startswith("19 CFR 133.42-133.43 (CBP Dec. 24-03, 89 FR 52364)")
    assert set(law.IPR_KINDS) == set(law.COUNTERFEIT_KINDS + law.RESTRICTED_KINDS + law.PIRATICAL_KINDS)


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


def test_19_cfr_133_21_e_information_within_30_business_days_after_seizure_by_default() -> None:
    assert law.rule(law.IPR_SEIZURE_INFO).citation == "19 CFR 133.21(e)"
    # Seized Mon 2 Nov 2026: Veterans Day (11 Nov) and Thanksgiving (26 Nov) are skipped.
    assert law.due_date(law.IPR_SEIZURE_INFO, D(2026, 11, 2)) == D(2026, 12, 16)


def test_19_cfr_133_21_e_period_is_a_setting_because_the_current_text_is_unconfirmed() -> None:
    assert law.IPR_SEIZURE_INFO in law.UNCONFIRMED_PERIODS
    with override_settings(SECTION307_IPR_SEIZURE_INFO_DAYS=30, SECTION307_IPR_SEIZURE_INFO_CALENDAR="calendar_days"):
        assert law.rule(law.IPR_SEIZURE_INFO).calendar == law.CALENDAR_DAYS
        assert law.due_date(law.IPR_SEIZURE_INFO, D(2026, 11, 2)) == D(2026, 12, 2)
    with override_settings(SECTION307_IPR_SEIZURE_INFO_CALENDAR="fortnights"), pytest.raises(ValueError):
        law.rule(law.IPR_SEIZURE_INFO)


def test_19_cfr_133_25_a_notice_within_5_days_of_the_decision() -> None:
    r = law.rule(law.RESTRICTED_NOTICE)
    assert r.citation == "19 CFR 133.25(a)" and r.calendar == law.CALENDAR_DAYS
    # "within 5 days of the decision": calendar days; a Monday decision is due on Saturday.
    assert law.due_date(law.RESTRICTED_NOTICE, D(2026, 3, 2)) == D(2026, 3, 7)


def test_19_cfr_133_25_a_detention_30_days_from_presentation_freely_extended_for_good_cause() -> None:
    r = law.rule(law.RESTRICTED_DETENTION)
    assert r.citation == "19 CFR 133.25(a)" and r.start_event == "presentation for examination"
    # Unlike 133.21 (never extended), CBP extends the 133.25 period for good cause shown.
    assert r.extendable and not r.statutory and "good cause" in r.extended_by
    assert law.due_date(law.RESTRICTED_DETENTION, D(2026, 3, 2)) == D(2026, 4, 1)


def test_19_cfr_133_25_b_information_to_the_mark_owner_within_30_business_days_of_detention() -> None:
    r = law.rule(law.RESTRICTED_INFO)
    assert r.citation == "19 CFR 133.25(b)" and r.calendar == law.BUSINESS_DAYS
    # Detained Mon 2 Nov 2026: Veterans Day (11 Nov) and Thanksgiving (26 Nov) are skipped.
    assert law.due_date(law.RESTRICTED_INFO, D(2026, 11, 2)) == D(2026, 12, 16)


def test_cbp_dec_24_03_replaced_the_piratical_denial_and_demand_procedure() -> None:
    # 89 FR 52364 (24 June 2024), effective 23 August 2024: no importer's statement, no owner's demand.
    assert law.PIRATICAL_EFFECTIVE == "2024-08-23"
    assert not {"piratical_statement", "piratical_demand"} & set(law.RULES)
    assert law.PIRATICAL_KINDS == (
        law.PIRATICAL_NOTICE,
        law.PIRATICAL_IMPORTER_REPLY,
        law.PIRATICAL_DECISION,
        law.PIRATICAL_SEIZURE_INFO,
    )


def test_19_cfr_133_42_133_43_cbp_dec_24_03_detention_up_to_30_days_from_presentation() -> None:
    r = law.rule(law.PIRATICAL_DECISION)
    assert r.citation.endswith("; 19 U.S.C. 1499(c)") and r.start_event == "presentation for examination"
    assert r.calendar == law.CALENDAR_DAYS and r.length == 30 and "excluded" in r.consequence
    assert law.PIRATICAL_DECISION not in law.UNCONFIRMED_PERIODS
    assert law.due_date(law.PIRATICAL_DECISION, D(2026, 2, 10)) == D(2026, 3, 12)


def test_19_cfr_133_42_133_43_cbp_dec_24_03_notice_within_5_business_days_a_setting() -> None:
    r = law.rule(law.PIRATICAL_NOTICE)
    assert r.start_event == "decision to detain" and law.PIRATICAL_NOTICE in law.UNCONFIRMED_PERIODS
    # Decision on Mon 30 Jun 2025: Independence Day (Fri 4 Jul) and the weekend are skipped.
    assert law.due_date(law.PIRATICAL_NOTICE, D(2025, 6, 30)) == D(2025, 7, 8)
    with override_settings(
        SECTION307_IPR_PIRATICAL_NOTICE_DAYS=5, SECTION307_IPR_PIRATICAL_NOTICE_CALENDAR="calendar_days"
    ):
        assert law.due_date(law.PIRATICAL_NOTICE, D(2025, 6, 30)) == D(2025, 7, 5)


def test_19_cfr_133_42_133_43_cbp_dec_24_03_importer_has_7_business_days_from_the_notice_a_setting() -> None:
    r = law.rule(law.PIRATICAL_IMPORTER_REPLY)
    assert r.start_event == "notice of detention" and "unredacted images and samples" in r.consequence
    assert law.PIRATICAL_IMPORTER_REPLY in law.UNCONFIRMED_PERIODS
    # Notice on Mon 24 Nov 2025: Thanksgiving (Thu 27 Nov) and a weekend skipped.
    assert law.due_date(law.PIRATICAL_IMPORTER_REPLY, D(2025, 11, 24)) == D(2025, 12, 4)
    with override_settings(SECTION307_IPR_PIRATICAL_REPLY_DAYS=10):
        assert law.due_date(law.PIRATICAL_IMPORTER_REPLY, D(2025, 11, 24)) == D(2025, 12, 9)


def test_19_cfr_133_42_133_43_cbp_dec_24_03_information_after_seizure_a_setting_default_30_business_days() -> None:
    assert law.rule(law.PIRATICAL_SEIZURE_INFO).citation == law.R_PIRATICAL
    assert law.PIRATICAL_SEIZURE_INFO in law.UNCONFIRMED_PERIODS
    assert law.due_date(law.PIRATICAL_SEIZURE_INFO, D(2026, 11, 2)) == D(2026, 12, 16)
