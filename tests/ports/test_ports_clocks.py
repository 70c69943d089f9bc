"""The legal clocks: calendar months with month-end clamping, day counts, suspensions, extensions."""

from __future__ import annotations

import datetime as dt

import pytest

from section307.ports import clocks as c

D = dt.date


@pytest.mark.parametrize(
    ("imported", "due"),
    [
        (D(2025, 1, 15), D(2025, 4, 15)),
        (D(2025, 11, 30), D(2026, 2, 28)),  # clamped to the end of a short February
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2023, 11, 29), D(2024, 2, 29)),
        (D(2025, 8, 31), D(2025, 11, 30)),  # 31 -> 30-day month
        (D(2025, 10, 31), D(2026, 1, 31)),  # across the year end, no clamping needed
        (D(2024, 2, 29), D(2024, 5, 29)),
        (D(2025, 12, 31), D(2026, 3, 31)),
    ],
)
def test_wro_admissibility_is_three_calendar_months_from_importation(imported: dt.date, due: dt.date) -> None:
    assert c.deadline(c.ADMISSIBILITY, imported, today=imported) == due
    assert c.detention_clock_kind("wro") == c.detention_clock_kind("finding") == c.ADMISSIBILITY


def test_uflpa_response_is_30_days_from_the_notice_and_abandonment_60_from_exclusion() -> None:
    assert c.detention_clock_kind("uflpa") == c.detention_clock_kind("caatsa") == c.RESPONSE
    assert c.deadline(c.RESPONSE, D(2025, 2, 10), today=D(2025, 2, 10)) == D(2025, 3, 12)
    assert c.deadline(c.RESPONSE, D(2024, 2, 10), today=D(2024, 2, 10)) == D(2024, 3, 11)  # leap year
    assert c.deadline(c.ABANDONMENT, D(2025, 12, 15), today=D(2025, 12, 15)) == D(2026, 2, 13)
    with pytest.raises(c.ClockError):
        c.detention_clock_kind("ipr")
    with pytest.raises(c.ClockError):
        c.base_deadline("other", D(2025, 1, 1))


def test_suspensions_move_the_deadline_by_their_length_counting_overlaps_once() -> None:
    start = D(2025, 1, 1)  # response due 2025-01-31
    closed = [c.Suspension(D(2025, 1, 10), D(2025, 1, 20))]
    assert c.deadline(c.RESPONSE, start, suspensions=closed, today=D(2025, 3, 1)) == D(2025, 2, 10)
    overlapping = [c.Suspension(D(2025, 1, 10), D(2025, 1, 20)), c.Suspension(D(2025, 1, 15), D(2025, 1, 25))]
    assert c.suspended_days(overlapping, D(2025, 3, 1)) == 15
    adjacent = [c.Suspension(D(2025, 1, 1), D(2025, 1, 5)), c.Suspension(D(2025, 1, 5), D(2025, 1, 8))]
    assert c.suspended_days(adjacent, D(2025, 3, 1)) == 7
    # An open suspension keeps pushing the deadline until it ends.
    open_ = [c.Suspension(D(2025, 1, 10))]
    assert c.deadline(c.RESPONSE, start, suspensions=open_, today=D(2025, 1, 30)) == D(2025, 2, 20)
    state = c.clock_state(c.RESPONSE, start, suspensions=open_, today=D(2025, 3, 30))
    assert state.suspended and not state.overdue and state.label == "suspended"


def test_suspension_over_a_month_end_is_added_in_days_after_clamping() -> None:
    # Imported Nov 30: due Feb 28; a 3-day suspension makes it Mar 3 (not Mar 2 or Feb 31).
    s = [c.Suspension(D(2025, 12, 1), D(2025, 12, 4))]
    assert c.deadline(c.ADMISSIBILITY, D(2025, 11, 30), suspensions=s, today=D(2026, 1, 1)) == D(2026, 3, 3)


def test_state_overdue_only_after_the_deadline_day_and_soon_due_window() -> None:
    start = D(2025, 1, 1)
    on_due = c.clock_state(c.RESPONSE, start, today=D(2025, 1, 31))
    assert on_due.days_left == 0 and not on_due.overdue and on_due.soon_due
    after = c.clock_state(c.RESPONSE, start, today=D(2025, 2, 1))
    assert after.overdue and after.days_left == -1 and after.label == "overdue"
    early = c.clock_state(c.RESPONSE, start, today=D(2025, 1, 5), soon_days=7)
    assert not early.soon_due and early.label == "running"
    assert c.clock_state(c.RESPONSE, start, today=D(2025, 1, 24), soon_days=7).soon_due


def test_extensions_are_limited_and_refused_once_past_due() -> None:
    start = D(2025, 1, 1)
    state = c.clock_state(c.RESPONSE, start, today=D(2025, 1, 20), extension_days=[30])
    assert state.due == D(2025, 3, 2) and state.extensions_left == 1
    c.check_extension(state)
    two = c.clock_state(c.RESPONSE, start, today=D(2025, 1, 20), extension_days=[30, 30])
    with pytest.raises(c.ClockError, match="limit of 2"):
        c.check_extension(two)
    c.check_extension(two, max_extensions=3)
    late = c.clock_state(c.RESPONSE, start, today=D(2025, 2, 1))
    with pytest.raises(c.ClockError, match="past due"):
        c.check_extension(late)


def test_suspension_checks() -> None:
    with pytest.raises(c.ClockError, match="already suspended"):
        c.check_suspension([c.Suspension(D(2025, 1, 1))], D(2025, 1, 2), today=D(2025, 1, 3))
    with pytest.raises(c.ClockError, match="future"):
        c.check_suspension([], D(2025, 2, 1), today=D(2025, 1, 3))
    c.check_suspension([c.Suspension(D(2025, 1, 1), D(2025, 1, 2))], D(2025, 1, 3), today=D(2025, 1, 3))
