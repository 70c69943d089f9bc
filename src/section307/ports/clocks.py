"""The state of a legal clock, as pure date arithmetic (no database).

The periods themselves (length, calendar, citation) are in ``ports.law``. This module adds what
happens to a running clock: suspensions move the deadline later by their length in days
(overlapping periods count once; an open suspension runs until ``today``), agency extensions add
a fixed number of days each (at most ``max_extensions``, none once past due), and the state is
read from the dates (overdue the day after the deadline, soon due within ``soon_days``). Only
periods that ``ports.law`` marks as non-statutory may be suspended or extended; the services
refuse the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from section307.core.errors import Conflict
from section307.ports import law

WRO = "wro"
FINDING = "finding"
UFLPA = "uflpa"
CAATSA = "caatsa"
REGIMES = (WRO, FINDING, UFLPA, CAATSA)

# Clock kinds most callers need (every kind is in ports.law.RULES)
ADMISSIBILITY = law.ADMISSIBILITY  # WRO/Finding: 3 months from importation (19 CFR 12.43)
RESPONSE = law.RESPONSE  # UFLPA/CAATSA: 30 days from the detention notice (CBP practice)
ABANDONMENT = law.ABANDONMENT  # exclusion: 60 days from the exclusion notice (19 CFR 12.44(a))

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


def detention_clock_kind(regime: str) -> str:
    if regime in (WRO, FINDING):
        return ADMISSIBILITY
    if regime in (UFLPA, CAATSA):
        return RESPONSE
    raise ClockError(gettext("unknown regime %(regime)r") % {"regime": regime})


def base_deadline(kind: str, start: dt.date, *, business: law.BusinessCalendar = law.FEDERAL) -> dt.date:
    """The deadline before suspensions and extensions; ``start`` is the date the rule counts from."""
    try:
        return law.due_date(kind, start, business=business)
    except ValueError as exc:
        raise ClockError(str(exc)) from None


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
    business: law.BusinessCalendar = law.FEDERAL,
) -> dt.date:
    """Deadline = base deadline + suspended days + granted extension days (open suspensions run to ``today``)."""
    base = base_deadline(kind, start, business=business)
    return base + dt.timedelta(days=suspended_days(suspensions, today) + sum(extension_days))


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
    business: law.BusinessCalendar = law.FEDERAL,
) -> ClockState:
    due = deadline(kind, start, suspensions=suspensions, extension_days=extension_days, today=today, business=business)
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
        raise ClockError(
            gettext("the clock is past due since %(isoformat)s; no extension can be granted")
            % {"isoformat": state.due.isoformat()}
        )
    if state.extensions_used >= max_extensions:
        raise ClockError(
            gettext("the limit of %(max_extensions)s extension(s) has been reached")
            % {"max_extensions": max_extensions}
        )


def check_suspension(suspensions: Sequence[Suspension], start: dt.date, *, today: dt.date) -> None:
    if any(s.end is None for s in suspensions):
        raise ClockError(gettext("the clock is already suspended"))
    if start > today:
        raise ClockError(gettext("a suspension cannot start in the future"))
