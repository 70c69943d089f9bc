"""What each request type must contain: the per-regime checklist shown to importers and enforced on submit."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrOrPromise

from section307.trade.models import RequestKind


@dataclass(frozen=True)
class Item:
    category: str
    label: StrOrPromise
    required: bool
    # Marked with gettext_noop and translated where shown ({% translate row.item.help %}).
    help: str = ""


CATEGORIES: dict[str, StrOrPromise] = {
    "certificate_of_origin": gettext_lazy("Certificate of origin signed by the foreign seller"),
    "detailed_statement": gettext_lazy("Detailed statement of the importer's investigation"),
    "supply_chain_tier": gettext_lazy("Supply-chain tracing document (one per tier)"),
    "supply_chain_map": gettext_lazy("Supply-chain map or flow chart of all parties"),
    "transaction_records": gettext_lazy("Transaction records (invoices, packing lists, bills of lading, payments)"),
    "due_diligence": gettext_lazy("Due-diligence system records"),
    "audit": gettext_lazy("Audit report"),
    "payroll": gettext_lazy("Payroll, working-hours and recruitment-fee records"),
    "remediation_plan": gettext_lazy("Remediation plan and evidence of remediation"),
    "executive_summary": gettext_lazy("Executive summary and table of contents"),
    "translation": gettext_lazy("English translation of a foreign-language document"),
    "other": gettext_lazy("Other supporting document"),
}

_WRO = (
    Item("certificate_of_origin", CATEGORIES["certificate_of_origin"], True, "19 CFR 12.43(a)"),
    Item("detailed_statement", CATEGORIES["detailed_statement"], True, "19 CFR 12.43(b)"),
    Item(
        "supply_chain_tier",
        CATEGORIES["supply_chain_tier"],
        False,
        gettext_noop("Trace each tier back to the raw material."),
    ),
    Item("audit", CATEGORIES["audit"], False),
    Item("payroll", CATEGORIES["payroll"], False),
)
_UFLPA_APPLICABILITY = (
    Item(
        "supply_chain_tier",
        CATEGORIES["supply_chain_tier"],
        True,
        gettext_noop("Every tier, from raw material onward."),
    ),
    Item("transaction_records", CATEGORIES["transaction_records"], True),
    Item("supply_chain_map", CATEGORIES["supply_chain_map"], True),
    Item("executive_summary", CATEGORIES["executive_summary"], False),
)
_UFLPA_EXCEPTION = (
    Item("due_diligence", CATEGORIES["due_diligence"], True, "UFLPA sec. 3(b)(1)"),
    Item(
        "supply_chain_tier",
        CATEGORIES["supply_chain_tier"],
        True,
        gettext_noop("Every tier, from raw material onward."),
    ),
    Item("transaction_records", CATEGORIES["transaction_records"], True),
    Item("executive_summary", CATEGORIES["executive_summary"], True),
    Item("audit", CATEGORIES["audit"], False),
    Item("payroll", CATEGORIES["payroll"], False),
)
_CAATSA_EXCEPTION = (
    Item("due_diligence", CATEGORIES["due_diligence"], True),
    Item("supply_chain_tier", CATEGORIES["supply_chain_tier"], True),
    Item(
        "payroll",
        CATEGORIES["payroll"],
        True,
        gettext_noop(
            "Workforce, payroll and recruitment records for each tier showing the goods were not produced with "
            "convict labor, forced labor, or indentured labor under penal sanctions (22 U.S.C. 9241a(b))."
        ),
    ),
    Item("transaction_records", CATEGORIES["transaction_records"], True),
)
_ORDER_CHANGE = (
    Item("remediation_plan", CATEGORIES["remediation_plan"], True),
    Item("audit", CATEGORIES["audit"], True, gettext_noop("Preferably unannounced, by an independent auditor.")),
    Item("supply_chain_map", CATEGORIES["supply_chain_map"], True),
    Item("payroll", CATEGORIES["payroll"], False),
)

CHECKLISTS: dict[str, tuple[Item, ...]] = {
    RequestKind.WRO_ADMISSIBILITY: _WRO,
    RequestKind.UFLPA_APPLICABILITY: _UFLPA_APPLICABILITY,
    RequestKind.UFLPA_EXCEPTION: _UFLPA_EXCEPTION,
    RequestKind.CAATSA_EXCEPTION: _CAATSA_EXCEPTION,
    RequestKind.ORDER_MODIFICATION: _ORDER_CHANGE,
    RequestKind.ORDER_REVOCATION: _ORDER_CHANGE,
}

# The 11 ILO indicators of forced labour (ILO 2012); a change request answers each one.
ILO_INDICATORS: tuple[tuple[str, StrOrPromise], ...] = (
    ("vulnerability", gettext_lazy("Abuse of vulnerability")),
    ("deception", gettext_lazy("Deception")),
    ("movement", gettext_lazy("Restriction of movement")),
    ("isolation", gettext_lazy("Isolation")),
    ("violence", gettext_lazy("Physical and sexual violence")),
    ("intimidation", gettext_lazy("Intimidation and threats")),
    ("documents", gettext_lazy("Retention of identity documents")),
    ("wages", gettext_lazy("Withholding of wages")),
    ("debt", gettext_lazy("Debt bondage")),
    ("conditions", gettext_lazy("Abusive working and living conditions")),
    ("overtime", gettext_lazy("Excessive overtime")),
)

CHANGE_GROUNDS: dict[str, StrOrPromise] = {
    "not_made": gettext_lazy("The goods were not made with forced labor"),
    "no_longer_made": gettext_lazy("The goods are no longer made with forced labor"),
    "not_imported": gettext_lazy("The goods are no longer imported into the United States"),
}
