"""Legal clocks for detentions and exclusions, as pure date arithmetic (no database).

The rules, per regime:

* **WRO / Finding detention** (19 CFR 12.43): proof of admissibility is due *3 months from the
  date of importation*. Months are calendar months; when the target month is shorter, the
  deadline is clamped to its last day (Nov 30 + 3 months = Feb 28, or Feb 29 in a leap year;
  Aug 31 + 3 months = Nov 30). ``dateutil.relativedelta`` implements exactly this clamping.
* **UFLPA / CAATSA detention**: the importer's response is due *30 days from the detention
  notice* (the notice date is day 0).
* **Exclusion** (19 CFR 12.44(a)): goods not exported within *60 days of the exclusion notice*
  are deemed abandoned.

Suspensions stop a clock: each suspension period moves the deadline later by its length in
days (overlapping periods count once; an open suspension runs until ``today``). Extensions add
a fixed number of days each; at most ``max_extensions`` may be granted, and none once the
clock is past due. A clock is *soon due* when its deadline is within ``soon_days`` of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from section307.core.errors import Conflict

WRO = "wro"
FINDING = "finding"
UFLPA = "uflpa"
CAATSA = "caatsa"
REGIMES = (WRO, FINDING, UFLPA, CAATSA)

# Clock kinds
ADMISSIBILITY = "admissibility"  # WRO/Finding: 3 months from importation
RESPONSE = "response"  # UFLPA/CAATSA: 30 days from the detention notice
ABANDONMENT = "abandonment"  # exclusion: 60 days from the exclusion notice

DEFAULT_MAX_EXTENSIONS = 2
DEFAULT_EXTENSION_DAYS = 30
DEFAULT_SOON_DAYS = 7


class ClockError(Conflict, ValueError):
    """A clock operation the rules do not allow (a third extension, an extension past due...)."""


@dataclass(frozen=True)
class Suspension:
    start: dt.date
    end: dt.date | None = None  # None: still suspended

    def days(self, today: dt.date) -> int:
        end = self.end or today
        return max(0, (end - self.start).days)


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months with month-end clamping (Jan 31 + 1 month = Feb 28/29)."""
    return start + relativedelta(months=months)


def detention_clock_kind(regime: str) -> str:
    if regime in (WRO, FINDING):
        return ADMISSIBILITY
    if regime in (UFLPA, CAATSA):
        return RESPONSE
    raise ClockError(f"unknown regime {regime!r}")


def base_deadline(kind: str, start: dt.date) -> dt.date:
    """The deadline before suspensions and extensions; ``start`` is the date the rule counts from."""
    if kind == ADMISSIBILITY:
        return add_months(start, 3)
    if kind == RESPONSE:
        return start + dt.timedelta(days=30)
    if kind == ABANDONMENT:
        return start + dt.timedelta(days=60)
    raise ClockError(f"unknown clock kind {kind!r}")


def suspended_days(suspensions: Iterable[Suspension], today: dt.date) -> int:
    """Total days covered by the suspensions, counting overlapping days once."""
    spans = sorted((s.start, s.end or today) for s in suspensions)
    total = 0
    cur_start: dt.date | None = None
    cur_end: dt.date | None = None
    for start, end in spans:
        if end <= start:
            continue
        if cur_end is None or start > cur_end:
            if cur_start is not None and cur_end is not None:
                total += (cur_end - cur_start).days
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    if cur_start is not None and cur_end is not None:
        total += (cur_end - cur_start).days
    return total


def deadline(
    kind: str,
    start: dt.date,
    *,
    suspensions: Sequence[Suspension] = (),
    extension_days: Sequence[int] = (),
    today: dt.date,
) -> dt.date:
    """Deadline = base deadline + suspended days + granted extension days (open suspensions run to ``today``)."""
    return base_deadline(kind, start) + dt.timedelta(days=suspended_days(suspensions, today) + sum(extension_days))


@dataclass(frozen=True)
class ClockState:
    due: dt.date
    days_left: int  # negative when overdue
    suspended: bool
    overdue: bool
    soon_due: bool
    extensions_used: int
    extensions_left: int

    @property
    def label(self) -> str:
        if self.suspended:
            return "suspended"
        if self.overdue:
            return "overdue"
        if self.soon_due:
            return "soon due"
        return "running"


def clock_state(
    kind: str,
    start: dt.date,
    *,
    today: dt.date,
    suspensions: Sequence[Suspension] = (),
    extension_days: Sequence[int] = (),
    max_extensions: int = DEFAULT_MAX_EXTENSIONS,
    soon_days: int = DEFAULT_SOON_DAYS,
) -> ClockState:
    due = deadline(kind, start, suspensions=suspensions, extension_days=extension_days, today=today)
    suspended = any(s.end is None and s.start <= today for s in suspensions)
    left = (due - today).days
    # The deadline day itself is still in time; overdue starts the day after.
    overdue = left < 0 and not suspended
    return ClockState(
        due=due,
        days_left=left,
        suspended=suspended,
        overdue=overdue,
        soon_due=not overdue and not suspended and left <= soon_days,
        extensions_used=len(extension_days),
        extensions_left=max(0, max_extensions - len(extension_days)),
    )


def check_extension(state: ClockState, *, max_extensions: int = DEFAULT_MAX_EXTENSIONS) -> None:
    """Raise ClockError when one more extension may not be granted."""
    if state.overdue:
        raise ClockError(f"the clock is past due since {state.due.isoformat()}; no extension can be granted")
    if state.extensions_used >= max_extensions:
        raise ClockError(f"the limit of {max_extensions} extension(s) has been reached")


def check_suspension(suspensions: Sequence[Suspension], start: dt.date, *, today: dt.date) -> None:
    if any(s.end is None for s in suspensions):
        raise ClockError("the clock is already suspended")
    if start > today:
        raise ClockError("a suspension cannot start in the future")
