"""Which decision the law allows on a detention, and when (pure: the facts come from ``services``).

The order (19 CFR 12.44, 19 U.S.C. 1499(c), UFLPA sec. 3, CAATSA sec. 302A):

* **export** any time before seizure or deemed abandonment (12.44(a));
* **exclusion** of WRO goods only after the 12.43 proof period ended without timely proof, or
  after headquarters (the Commissioner) found the proof insufficient; UFLPA and CAATSA goods after
  headquarters found the presumption applies and is not rebutted, after the importer's documentation
  period ended with nothing submitted, or on the 1499(c)(5)(A) deemed exclusion;
* **seizure** only under a Finding, on the same conditions (12.44(b)); Findings are not excluded;
* **release** when headquarters found the goods admissible, outside the presumption or granted an
  exception, when a protest was allowed, or when the order no longer stands (the port's own action);
* **abandonment** after the 60 days of 12.44(a), never while a protest is pending.

``block`` returns the rule (citation) and the reason that refuse a decision, or ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WRO, FINDING, UFLPA, CAATSA = "wro", "finding", "uflpa", "caatsa"
RELEASE, EXCLUDE, EXPORT, SEIZE, ABANDON = "release", "exclude", "export", "seize", "abandon"

# Whose determination releases the goods, per regime.
REVIEW_RULE = {
    WRO: "19 CFR 12.44(a)",
    FINDING: "19 CFR 12.44(b)",
    UFLPA: "UFLPA sec. 3(b)",
    CAATSA: "22 U.S.C. 9241a(b)",
}


@dataclass(frozen=True)
class Facts:
    regime: str
    status: str
    today: dt.date
    order_in_force: bool = True
    proof_due: dt.date | None = None  # 19 CFR 12.43 (WRO, Finding)
    proof_received_on: dt.date | None = None
    proof_untimely: bool = False
    response_due: dt.date | None = None  # importer's documentation (UFLPA, CAATSA)
    deemed_exclusion_due: dt.date | None = None  # 19 U.S.C. 1499(c)(5)(A)
    favourable: bool = False  # an effective headquarters determination for the importer
    unfavourable: bool = False  # an effective headquarters determination against the importer
    protest_pending: bool = False
    protest_allowed: bool = False
    abandonment_due: dt.date | None = None  # 19 CFR 12.44(a)


@dataclass(frozen=True)
class Block:
    rule: str
    reason: str


def _day(d: dt.date) -> str:
    return d.isoformat()


def deemed_abandoned(f: Facts) -> bool:
    return (
        f.status == "excluded"
        and f.abandonment_due is not None
        and f.today > f.abandonment_due
        and not f.protest_pending
    )


def _adverse(f: Facts, what: str) -> Block | None:
    if f.unfavourable:
        return None
    if f.regime in (WRO, FINDING):
        rule = REVIEW_RULE[f.regime]
        if f.proof_due is not None and f.today <= f.proof_due:
            return Block(
                rule,
                f"the proof period of 19 CFR 12.43 runs until {_day(f.proof_due)}; {what} comes only after it "
                "ends without timely proof, or after headquarters finds the proof does not establish admissibility",
            )
        if f.proof_received_on is not None and not f.proof_untimely:
            return Block(
                rule,
                f"proof was filed in time on {_day(f.proof_received_on)}; {what} needs headquarters' "
                "determination that it does not establish admissibility",
            )
        return None
    rule = REVIEW_RULE.get(f.regime, "19 U.S.C. 1307")
    if f.deemed_exclusion_due is not None and f.today > f.deemed_exclusion_due:
        return None
    if f.proof_received_on is None and f.response_due is not None and f.today > f.response_due:
        return None
    return Block(
        rule,
        f"{what} needs headquarters' determination that the presumption applies and is not rebutted"
        + (f", or the deemed exclusion after {_day(f.deemed_exclusion_due)}" if f.deemed_exclusion_due else "")
        + (
            f", or the end of the importer's documentation period on {_day(f.response_due)} with nothing submitted"
            if f.response_due and f.proof_received_on is None
            else ""
        ),
    )


def block(outcome: str, f: Facts) -> Block | None:
    """The rule that refuses ``outcome`` now, or None when the law allows it."""
    if outcome == EXPORT:
        if deemed_abandoned(f):
            assert f.abandonment_due is not None
            return Block("19 CFR 12.44(a)", f"the goods were deemed abandoned after {_day(f.abandonment_due)}")
        return None
    if outcome == RELEASE:
        if f.favourable or f.protest_allowed or not f.order_in_force:
            return None
        return Block(
            REVIEW_RULE.get(f.regime, "19 CFR 12.44"),
            "release follows headquarters' determination (admissible, outside the presumption, or an exception "
            "granted), an allowed protest, or an order no longer in force; the port carries it out",
        )
    if outcome == EXCLUDE:
        if f.regime == FINDING:
            return Block(
                "19 CFR 12.44(b)", "goods under a Finding that are not shown admissible are seized, not excluded"
            )
        return _adverse(f, "exclusion")
    if outcome == SEIZE:
        if f.regime != FINDING:
            return Block("19 CFR 12.44(b)", "seizure applies only to goods under a Finding")
        return _adverse(f, "seizure")
    if outcome == ABANDON:
        if f.protest_pending:
            return Block("19 CFR 12.44(a)", "a protest is pending: the goods are not abandoned")
        if f.abandonment_due is None or f.today <= f.abandonment_due:
            until = f" runs until {_day(f.abandonment_due)}" if f.abandonment_due else " has not started"
            return Block("19 CFR 12.44(a)", f"the 60-day period after the exclusion notice{until}")
        return None
    raise ValueError(f"unknown outcome {outcome!r}")
