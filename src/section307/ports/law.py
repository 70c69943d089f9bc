"""The law of a detention in one place: every time limit as data, with its citation.

Each ``Rule`` says what starts the period, how long it is, on which calendar it counts, and
whether it may be suspended or extended and by whom. Statutory and regulatory periods are never
edited; what CBP grants in practice is a separate, audited *agency extension* on the few
periods where practice allows one. Nothing here touches the database: the project's extra
closures reach ``BusinessCalendar`` as a set of dates.

Counting: the start date is day 0. Calendar days add days; calendar months add months and
clamp to the end of a shorter month (Nov 30 + 3 months = Feb 28, or Feb 29 in a leap year);
years clamp Feb 29 to Feb 28; US federal business days skip Saturdays, Sundays, federal
holidays as observed (the ``holidays`` package) and the extra closures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_noop, ngettext

# Calendars
CALENDAR_DAYS = "calendar_days"
CALENDAR_MONTHS = "calendar_months"
CALENDAR_YEARS = "calendar_years"
BUSINESS_DAYS = "business_days"
CALENDAR_LABELS = {
    CALENDAR_DAYS: "calendar days",
    CALENDAR_MONTHS: "calendar months",
    CALENDAR_YEARS: "years",
    BUSINESS_DAYS: "US federal business days",
}

# Clock kinds (the keys of RULES; also the ``Clock.kind`` values)
DECISION = "decision"
NOTICE = "notice"
DEEMED_EXCLUSION = "deemed_exclusion"
RESPONSE = "response"
ADMISSIBILITY = "admissibility"
ABANDONMENT = "abandonment"
PROTEST_FILING = "protest_filing"
PROTEST_DECISION = "protest_decision"
FURTHER_REVIEW = "further_review"
ACCELERATED_DISPOSITION = "accelerated_disposition"
EXCLUSION_PROTEST = "exclusion_protest"
PETITION = "petition"
CLAIM_BOND = "claim_bond"
CONGRESS_REPORT = "congress_report"
CIVIL_ACTION = "civil_action"
# Counterfeit marks (19 CFR 133.21): held on the IPR detention's own dates (section307.ipr), not as
# ``Clock`` rows on the entry.
IPR_NOTICE = "ipr_notice"
IPR_IMPORTER_REPLY = "ipr_importer_reply"
IPR_DECISION = "ipr_decision"
IPR_SEIZURE_INFO = "ipr_seizure_info"
COUNTERFEIT_KINDS = (IPR_NOTICE, IPR_IMPORTER_REPLY, IPR_DECISION, IPR_SEIZURE_INFO)
# Restricted articles (19 CFR 133.25) and piratical copies (19 CFR 133.42-133.43): the section
# "IPR: restricted articles and piratical copies" below.
RESTRICTED_NOTICE = "restricted_notice"
RESTRICTED_DETENTION = "restricted_detention"
RESTRICTED_INFO = "restricted_info"
RESTRICTED_KINDS = (RESTRICTED_NOTICE, RESTRICTED_DETENTION, RESTRICTED_INFO)
PIRATICAL_NOTICE = "piratical_notice"
PIRATICAL_IMPORTER_REPLY = "piratical_importer_reply"
PIRATICAL_DECISION = "piratical_decision"
PIRATICAL_SEIZURE_INFO = "piratical_seizure_info"
PIRATICAL_KINDS = (PIRATICAL_NOTICE, PIRATICAL_IMPORTER_REPLY, PIRATICAL_DECISION, PIRATICAL_SEIZURE_INFO)
# The rule in force for piratical articles: 19 CFR 133.42-133.43 as amended by CBP Dec. 24-03,
# "Enforcement of Copyrights and the Digital Millennium Copyright Act", 89 FR 52364 (24 June 2024),
# effective 23 August 2024. It replaced the importer's denial and the copyright owner's demand and bond.
CBP_DEC_24_03 = "CBP Dec. 24-03, 89 FR 52364"
PIRATICAL_EFFECTIVE = "2024-08-23"
R_PIRATICAL = f"19 CFR 133.42-133.43 ({CBP_DEC_24_03})"
IPR_KINDS = COUNTERFEIT_KINDS + RESTRICTED_KINDS + PIRATICAL_KINDS


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    citation: str
    start_event: str
    length: int
    calendar: str
    # Statutory and regulatory periods are never suspended or extended.
    statutory: bool = True
    # Who may grant an agency extension in practice ("" = nobody).
    extended_by: str = ""
    # What happens when the period ends without the act.
    consequence: str = ""

    @property
    def extendable(self) -> bool:
        return bool(self.extended_by)

    @property
    def period(self) -> str:
        n = {"n": self.length}
        if self.calendar == CALENDAR_DAYS:
            return ngettext("%(n)d calendar day", "%(n)d calendar days", self.length) % n
        if self.calendar == CALENDAR_MONTHS:
            return ngettext("%(n)d calendar month", "%(n)d calendar months", self.length) % n
        if self.calendar == CALENDAR_YEARS:
            return ngettext("%(n)d year", "%(n)d years", self.length) % n
        return ngettext("%(n)d US federal business day", "%(n)d US federal business days", self.length) % n


RULES: dict[str, Rule] = {
    r.kind: r
    for r in (
        Rule(
            DECISION,
            "Decision to release or detain",
            "19 U.S.C. 1499(c)(1); 19 CFR 151.16(b)",
            gettext_noop("presentation for examination"),
            5,
            BUSINESS_DAYS,
            consequence=gettext_noop("goods not released in this period are detained merchandise"),
        ),
        Rule(
            NOTICE,
            "Notice of detention to the importer",
            "19 U.S.C. 1499(c)(2); 19 CFR 151.16(c)",
            gettext_noop("decision to detain"),
            5,
            BUSINESS_DAYS,
        ),
        Rule(
            DEEMED_EXCLUSION,
            "Final admissibility decision",
            "19 U.S.C. 1499(c)(5)(A); 19 CFR 151.16",
            gettext_noop("presentation for examination"),
            30,
            CALENDAR_DAYS,
            consequence=gettext_noop("no decision in this period is treated as a decision to exclude"),
        ),
        Rule(
            RESPONSE,
            "Importer's documentation",
            "CBP practice (UFLPA Operational Guidance; CBP Pub. 1793-0522)",
            gettext_noop("detention notice"),
            30,
            CALENDAR_DAYS,
            statutory=False,
            extended_by=gettext_noop("CBP (discretionary extension on the importer's request)"),
        ),
        Rule(
            ADMISSIBILITY,
            "Proof of admissibility",
            "19 CFR 12.43",
            gettext_noop("date of importation"),
            3,
            CALENDAR_MONTHS,
            consequence=gettext_noop(
                "without timely proof the goods are excluded (WRO) or seized (Finding), 19 CFR 12.44"
            ),
        ),
        Rule(
            ABANDONMENT,
            "Export before abandonment",
            "19 CFR 12.44(a)",
            gettext_noop("exclusion notice"),
            60,
            CALENDAR_DAYS,
            consequence=gettext_noop("deemed abandoned and destroyed unless exported or a protest is pending"),
        ),
        Rule(
            PROTEST_FILING,
            "Protest of the exclusion",
            "19 U.S.C. 1514(c)(3)",
            gettext_noop("decision to exclude"),
            180,
            CALENDAR_DAYS,
        ),
        Rule(
            PROTEST_DECISION,
            "Decision on the protest",
            "19 U.S.C. 1515(a)",
            gettext_noop("filing of the protest"),
            2,
            CALENDAR_YEARS,
        ),
        Rule(
            FURTHER_REVIEW,
            "Decision on an application for further review",
            "19 U.S.C. 1515(a)",
            gettext_noop("filing of the application"),
            30,
            CALENDAR_DAYS,
        ),
        Rule(
            ACCELERATED_DISPOSITION,
            "Accelerated disposition of the protest",
            "19 U.S.C. 1515(b)",
            gettext_noop("mailing of the request"),
            30,
            CALENDAR_DAYS,
            consequence=gettext_noop("deemed denied on the 30th day"),
        ),
        Rule(
            EXCLUSION_PROTEST,
            "Decision on a protest of an exclusion",
            "19 U.S.C. 1499(c)(5)(B)",
            gettext_noop("filing of the protest"),
            30,
            CALENDAR_DAYS,
            consequence=gettext_noop("deemed denied on the 30th day"),
        ),
        Rule(
            PETITION,
            "Petition for relief from the seizure",
            "19 CFR 171.2",
            gettext_noop("mailing of the notice of seizure"),
            30,
            CALENDAR_DAYS,
            statutory=False,
            extended_by=gettext_noop("Fines, Penalties and Forfeitures Officer (19 CFR 171.2(c))"),
        ),
        Rule(
            CLAIM_BOND,
            "Claim and cost bond",
            "19 CFR 162.45",
            gettext_noop("first publication of the notice of seizure"),
            20,
            CALENDAR_DAYS,
            consequence=gettext_noop("summary forfeiture"),
        ),
        Rule(
            CONGRESS_REPORT,
            "Report to Congress and the public on the exception",
            "UFLPA sec. 3(c)",
            gettext_noop("determination of the exception"),
            30,
            CALENDAR_DAYS,
        ),
        Rule(
            CIVIL_ACTION,
            "Civil action in the Court of International Trade",
            "28 U.S.C. 2636(a)",
            gettext_noop("notice of denial of the protest"),
            180,
            CALENDAR_DAYS,
        ),
        Rule(
            IPR_NOTICE,
            "Notice of detention to the importer (suspected counterfeit marks)",
            "19 CFR 133.21(b)(2)(i)(B)",
            "decision to detain",
            5,
            BUSINESS_DAYS,
        ),
        Rule(
            IPR_IMPORTER_REPLY,
            "Importer's information that the goods are not counterfeit",
            "19 CFR 133.21(b)",
            "notice of detention",
            7,
            BUSINESS_DAYS,
            consequence="CBP may disclose unredacted images, samples and the codes on the goods and packaging "
            "to the mark owner",
        ),
        Rule(
            IPR_DECISION,
            "Decision on goods detained for suspected counterfeit marks",
            "19 CFR 133.21(b)(1); 19 U.S.C. 1499(c)",
            "presentation for examination",
            30,
            CALENDAR_DAYS,
            consequence="the period cannot be extended; goods not released in it are treated as excluded",
        ),
        Rule(
            IPR_SEIZURE_INFO,
            "Information to the mark owner after seizure",
            "19 CFR 133.21(e)",
            "notice of seizure",
            30,
            BUSINESS_DAYS,
        ),
    )
}


# Periods the importer (or claimant) must meet; the others bind CBP.
IMPORTER_KINDS = (RESPONSE, ADMISSIBILITY, ABANDONMENT, PROTEST_FILING, PETITION, CLAIM_BOND, CIVIL_ACTION)


def rule(kind: str) -> Rule:
    """The rule of ``kind``; a period the legal facts do not confirm takes its length (and calendar)
    from its setting (``UNCONFIRMED_PERIODS``)."""
    try:
        r = RULES[kind]
    except KeyError:
        raise ValueError(f"unknown clock kind {kind!r}") from None
    if kind in UNCONFIRMED_PERIODS:
        return configured(r)
    return r


# -- business days ---------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _federal_holidays(year: int, eo_closures: bool) -> frozenset[dt.date]:
    # "government" adds days federal offices closed by executive order (Christmas Eve, days of mourning).
    categories = ("public", "government") if eo_closures else ("public",)
    return frozenset(holidays.US(years=year, categories=categories, observed=True).keys())


@dataclass(frozen=True)
class BusinessCalendar:
    """US federal business days: no weekends, no federal holidays as observed, no extra closures."""

    closures: frozenset[dt.date] = frozenset()
    eo_closures: bool = False

    def is_business_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5 and day not in _federal_holidays(day.year, self.eo_closures) and day not in self.closures
        )

    def add(self, start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                left -= 1
        return day


FEDERAL = BusinessCalendar()


def add_period(start: dt.date, length: int, calendar: str, *, business: BusinessCalendar = FEDERAL) -> dt.date:
    if calendar == CALENDAR_DAYS:
        return start + dt.timedelta(days=length)
    if calendar == CALENDAR_MONTHS:
        return start + relativedelta(months=length)
    if calendar == CALENDAR_YEARS:
        return start + relativedelta(years=length)
    if calendar == BUSINESS_DAYS:
        return business.add(start, length)
    raise ValueError(f"unknown calendar {calendar!r}")


def due_date(kind: str, start: dt.date, *, business: BusinessCalendar = FEDERAL) -> dt.date:
    """The last day of the period that starts on ``start`` (day 0); the act is in time on that day."""
    r = rule(kind)
    return add_period(start, r.length, r.calendar, business=business)


def calendar_from(closures: Iterable[dt.date], *, eo_closures: bool) -> BusinessCalendar:
    return BusinessCalendar(closures=frozenset(closures), eo_closures=eo_closures)


# -- other amounts ---------------------------------------------------------------------------------------

# 19 CFR 162.45 as last checked (2002 edition): the lower of $5,000 or 10 % of value, at least $250.
DEFAULT_COST_BOND = {"cap": Decimal("5000"), "rate": Decimal("0.10"), "floor": Decimal("250")}


def cost_bond(value: Decimal, *, cap: Decimal, rate: Decimal, floor: Decimal) -> Decimal:
    """19 CFR 162.45: the claimant's cost bond for the goods' ``value``."""
    amount = min(cap, (value * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return max(floor, amount)


# -- protests: denial by operation of law ------------------------------------------------------------
# 19 U.S.C. 1499(c)(5)(B): a protest of a decision to exclude "which has not been allowed or denied in
# whole or in part before the 30th day after the day on which the protest was filed shall be treated as
# having been denied on such 30th day" (for 28 U.S.C. 1581). 1515(b) says the same of a request for
# accelerated disposition, counted from its mailing. The 180 days to sue then run from that denial
# (28 U.S.C. 2636(a)(2)). The 30th day is the due date of the period that starts on the filing (or the
# mailing): a decision is in time only before it; on it the protest stands denied.
DEEMED_DENIAL_KINDS = (EXCLUSION_PROTEST, ACCELERATED_DISPOSITION)
DEEMED_DENIAL_CITATION = "19 U.S.C. 1499(c)(5)(B); 19 U.S.C. 1515(b)"
DEEMED_DENIAL_SUIT_CITATION = "28 U.S.C. 2636(a)(2)"
# After a denial under 19 U.S.C. 1515 (headquarters' decision), the 180 days run from the mailing of the
# notice of denial (28 U.S.C. 2636(a)(1)); the notice goes out on the day of the denial.
PROTEST_DENIAL_SUIT_CITATION = "28 U.S.C. 2636(a)(1)"


def protest_deemed_denied_on(periods: Iterable[tuple[str, dt.date]]) -> tuple[dt.date, str] | None:
    """The day a pending protest stands denied by operation of law, with the rule that denies it: the
    earliest 30th day among its running ``(kind, due date)`` periods of ``DEEMED_DENIAL_KINDS``; None
    when none runs (a protest of something other than an exclusion waits for the 1515(a) decision)."""
    days = sorted((due, rule(kind).citation) for kind, due in periods if kind in DEEMED_DENIAL_KINDS)
    return days[0] if days else None


def protest_is_deemed_denied(deemed_on: dt.date | None, today: dt.date) -> bool:
    """19 U.S.C. 1499(c)(5)(B), 1515(b): on and after the 30th day the protest is denied; no decision
    can be recorded on it any more (the importer's remedy is the civil action, 28 U.S.C. 1581(a))."""
    return deemed_on is not None and today >= deemed_on


# Regimes whose detentions run on the 30-day deemed exclusion of 19 U.S.C. 1499(c)(5)(A). CBP Pub.
# 1790-0522 puts UFLPA detentions under 19 CFR 151.16 and WRO detentions under 12.42(e)/12.43, whose
# 3-month proof period governs instead; CAATSA is not addressed (a setting, SECTION307_DEEMED_EXCLUSION_REGIMES).
DEFAULT_DEEMED_EXCLUSION_REGIMES = ("uflpa",)

# The conditions of a UFLPA sec. 3(b) exception: all three must hold.
UFLPA_EXCEPTION_CONDITIONS: tuple[tuple[str, str], ...] = (
    (
        "complied_with_guidance",
        gettext_noop(
            "The importer of record fully complied with the guidance of sec. 2(d)(6) and any regulations "
            "implementing it (UFLPA sec. 3(b)(1)(A))"
        ),
    ),
    (
        "answered_all_inquiries",
        gettext_noop(
            "The importer completely and substantively responded to all inquiries for information from "
            "the Commissioner (UFLPA sec. 3(b)(1)(B))"
        ),
    ),
    (
        "clear_and_convincing",
        gettext_noop(
            "Clear and convincing evidence shows the goods were not mined, produced or manufactured wholly "
            "or in part by forced labor (UFLPA sec. 3(b)(2))"
        ),
    ),
)

# The CAATSA sec. 302A(b) test (22 U.S.C. 9241a(b)): one finding on clear and convincing evidence.
CAATSA_EXCEPTION_CONDITIONS: tuple[tuple[str, str], ...] = (
    (
        "not_convict_forced_indentured",
        gettext_noop(
            "Clear and convincing evidence shows the goods were not produced with convict labor, forced labor, "
            "or indentured labor under penal sanctions (22 U.S.C. 9241a(b))"
        ),
    ),
)


# -- IPR: restricted articles and piratical copies ----------------------------------------------------
# 19 CFR Part 133: counterfeit marks (133.21, above), articles bearing marks that copy or simulate a
# recorded mark (133.22) and restricted gray-market goods (133.23), both detained under 133.25, and
# piratical copies of recorded copyrighted works (133.42-133.43). Held on the IPR detention's own dates
# (section307.ipr), not as ``Clock`` rows on the entry.

RULES.update(
    {
        r.kind: r
        for r in (
            Rule(
                RESTRICTED_NOTICE,
                "Notice of detention to the importer (restricted articles)",
                "19 CFR 133.25(a)",
                "decision that the restrictions apply",
                5,
                CALENDAR_DAYS,
            ),
            Rule(
                RESTRICTED_DETENTION,
                "Detention of restricted articles; the importer may show an exception applies",
                "19 CFR 133.25(a)",
                "presentation for examination",
                30,
                CALENDAR_DAYS,
                statutory=False,
                extended_by="CBP, freely for good cause shown (19 CFR 133.25(a))",
                consequence="the importer may show within it that 19 CFR 133.22(c) or 133.23(d) applies; "
                "then the officer decides on the goods",
            ),
            Rule(
                RESTRICTED_INFO,
                "Importation information to the mark owner (restricted articles)",
                "19 CFR 133.25(b)",
                "detention",
                30,
                BUSINESS_DAYS,
            ),
            Rule(
                PIRATICAL_NOTICE,
                "Notice of detention to the importer (suspected piratical articles)",
                R_PIRATICAL,
                "decision to detain",
                5,
                BUSINESS_DAYS,
            ),
            Rule(
                PIRATICAL_IMPORTER_REPLY,
                "Importer's information that the article is not a piratical article",
                R_PIRATICAL,
                "notice of detention",
                7,
                BUSINESS_DAYS,
                consequence="CBP may disclose unredacted images and samples (on a bond) to the right holder",
            ),
            Rule(
                PIRATICAL_DECISION,
                "Detention of suspected piratical articles",
                f"{R_PIRATICAL}; 19 U.S.C. 1499(c)",
                "presentation for examination",
                30,
                CALENDAR_DAYS,
                consequence="goods not released within it are treated as excluded",
            ),
            Rule(
                PIRATICAL_SEIZURE_INFO,
                "Information to the right holder after seizure (piratical articles)",
                R_PIRATICAL,
                "notice of seizure",
                30,
                BUSINESS_DAYS,
            ),
        )
    }
)

# Periods the legal facts do not confirm (docs/ipr.md, "UNCONFIRMED"): the length, and for some the
# calendar, come from a setting; the values in RULES are the defaults.
#  * 133.21(e): "within 30 (business) days" rests on the pre-2015 text; the current text was not read.
#  * Piratical articles (133.42-133.43 as amended by CBP Dec. 24-03): the 30 days of detention from presentation
#    were read in the amended text; the notice within 5 business days, the importer's 7 business days and
#    the post-seizure disclosure period (default 30 business days, as 133.21(e)) were not read there.
UNCONFIRMED_PERIODS: dict[str, str] = {
    IPR_SEIZURE_INFO: "SECTION307_IPR_SEIZURE_INFO",
    PIRATICAL_NOTICE: "SECTION307_IPR_PIRATICAL_NOTICE",
    PIRATICAL_IMPORTER_REPLY: "SECTION307_IPR_PIRATICAL_REPLY",
    PIRATICAL_SEIZURE_INFO: "SECTION307_IPR_PIRATICAL_SEIZURE_INFO",
}


def configured(r: Rule) -> Rule:
    """``r`` with the length and calendar of its settings (``<NAME>_DAYS``, ``<NAME>_CALENDAR``)."""
    from django.conf import settings

    name = UNCONFIRMED_PERIODS[r.kind]
    length = int(getattr(settings, f"{name}_DAYS", r.length))
    calendar = str(getattr(settings, f"{name}_CALENDAR", r.calendar))
    if length <= 0 or calendar not in CALENDAR_LABELS:
        raise ValueError(f"{name}: the period needs a positive length and one of {sorted(CALENDAR_LABELS)}")
    if (length, calendar) == (r.length, r.calendar):
        return r
    return replace(r, length=length, calendar=calendar)
