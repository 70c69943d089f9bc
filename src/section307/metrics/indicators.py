"""The indicators a manager sets targets for: one place names each, its unit and which way is better."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    label: str | Promise
    unit: str  # count, days, pct, usd
    # "lower" or "higher": which side of the target counts as met.
    better: str
    help: str | Promise


SECTIONS: dict[str, str | Promise] = {
    "pipeline": _("Pipeline"),
    "ports": _("Ports"),
    "trade": _("Trade"),
    "outcomes": _("Outcomes"),
}

INDICATORS: list[Indicator] = [
    Indicator(
        "open_allegations_over_90",
        "pipeline",
        _("Open allegations older than 90 days"),
        "count",
        "lower",
        _("Allegations new, in triage or awaiting information, received more than 90 days ago (today)."),
    ),
    Indicator(
        "days_allegation_to_case",
        "pipeline",
        _("Median days from allegation to case"),
        "days",
        "lower",
        _("From receipt of an allegation to its link to a case, for links made in the fiscal year."),
    ),
    Indicator(
        "days_case_to_order",
        "pipeline",
        _("Median days from case to order"),
        "days",
        "lower",
        _("From opening a case to the approval of its order proposal, for approvals in the fiscal year."),
    ),
    Indicator(
        "proposals_awaiting",
        "pipeline",
        _("Proposals awaiting approval"),
        "count",
        "lower",
        _("Order proposals submitted and not yet decided (today)."),
    ),
    Indicator(
        "decisions_on_time",
        "ports",
        _("Release-or-detain decisions on time"),
        "pct",
        "higher",
        _("Decision clocks (19 U.S.C. 1499(c)(1)) due in the fiscal year and stopped by their due date."),
    ),
    Indicator(
        "notices_on_time",
        "ports",
        _("Detention notices on time"),
        "pct",
        "higher",
        _("Notice clocks (19 U.S.C. 1499(c)(2)) due in the fiscal year and stopped by their due date."),
    ),
    Indicator(
        "days_detention_to_decision",
        "ports",
        _("Median days from detention to final decision"),
        "days",
        "lower",
        _("From the detention notice to release, exclusion, export, seizure or abandonment, decided in the year."),
    ),
    Indicator(
        "days_petition_decision",
        "trade",
        _("Median days to decide an order petition"),
        "days",
        "lower",
        _("Modification and revocation petitions decided in the fiscal year."),
    ),
    Indicator(
        "days_protest_decision",
        "trade",
        _("Median days to decide a protest"),
        "days",
        "lower",
        _("Protests (19 U.S.C. 1514) decided in the fiscal year, from filing to decision."),
    ),
    Indicator(
        "days_request_decision",
        "trade",
        _("Median days to decide an importer request"),
        "days",
        "lower",
        _("Admissibility, applicability and exception requests decided in the fiscal year."),
    ),
    Indicator(
        "workers_covered",
        "outcomes",
        _("Workers covered by remediation"),
        "count",
        "higher",
        _("Workers named in remediation outcome records dated in the fiscal year."),
    ),
    Indicator(
        "usd_repaid",
        "outcomes",
        _("Recruitment fees and wages repaid (USD)"),
        "usd",
        "higher",
        _("Amounts repaid in US dollars in outcome records dated in the year (other currencies are listed apart)."),
    ),
    Indicator(
        "orders_changed_for_remediation",
        "outcomes",
        _("Orders modified or revoked because of remediation"),
        "count",
        "higher",
        _("Outcome records of an order modified or revoked because of remediation, dated in the fiscal year."),
    ),
    Indicator(
        "recurrences",
        "outcomes",
        _("Recurrences"),
        "count",
        "lower",
        _("Outcome records of forced labor found again after remediation, dated in the fiscal year."),
    ),
]

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
