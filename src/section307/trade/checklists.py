"""What each request type must contain: the per-regime checklist shown to importers and enforced on submit."""

from __future__ import annotations

from dataclasses import dataclass

from section307.trade.models import RequestKind


@dataclass(frozen=True)
class Item:
    category: str
    label: str
    required: bool
    help: str = ""


CATEGORIES: dict[str, str] = {
    "certificate_of_origin": "Certificate of origin signed by the foreign seller",
    "detailed_statement": "Detailed statement of the importer's investigation",
    "supply_chain_tier": "Supply-chain tracing document (one per tier)",
    "supply_chain_map": "Supply-chain map or flow chart of all parties",
    "transaction_records": "Transaction records (invoices, packing lists, bills of lading, payments)",
    "due_diligence": "Due-diligence system records",
    "audit": "Audit report",
    "payroll": "Payroll, working-hours and recruitment-fee records",
    "remediation_plan": "Remediation plan and evidence of remediation",
    "executive_summary": "Executive summary and table of contents",
    "translation": "English translation of a foreign-language document",
    "other": "Other supporting document",
}

_WRO = (
    Item("certificate_of_origin", CATEGORIES["certificate_of_origin"], True, "19 CFR 12.43(a)"),
    Item("detailed_statement", CATEGORIES["detailed_statement"], True, "19 CFR 12.43(b)"),
    Item("supply_chain_tier", CATEGORIES["supply_chain_tier"], False, "Trace each tier back to the raw material."),
    Item("audit", CATEGORIES["audit"], False),
    Item("payroll", CATEGORIES["payroll"], False),
)
_UFLPA_APPLICABILITY = (
    Item("supply_chain_tier", CATEGORIES["supply_chain_tier"], True, "Every tier, from raw material onward."),
    Item("transaction_records", CATEGORIES["transaction_records"], True),
    Item("supply_chain_map", CATEGORIES["supply_chain_map"], True),
    Item("executive_summary", CATEGORIES["executive_summary"], False),
)
_UFLPA_EXCEPTION = (
    Item("due_diligence", CATEGORIES["due_diligence"], True, "UFLPA sec. 3(b)(1)"),
    Item("supply_chain_tier", CATEGORIES["supply_chain_tier"], True, "Every tier, from raw material onward."),
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
        "Workforce, payroll and recruitment records for each tier showing the goods were not produced with "
        "convict labor, forced labor, or indentured labor under penal sanctions (22 U.S.C. 9241a(b)).",
    ),
    Item("transaction_records", CATEGORIES["transaction_records"], True),
)
_ORDER_CHANGE = (
    Item("remediation_plan", CATEGORIES["remediation_plan"], True),
    Item("audit", CATEGORIES["audit"], True, "Preferably unannounced, by an independent auditor."),
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
ILO_INDICATORS: tuple[tuple[str, str], ...] = (
    ("vulnerability", "Abuse of vulnerability"),
    ("deception", "Deception"),
    ("movement", "Restriction of movement"),
    ("isolation", "Isolation"),
    ("violence", "Physical and sexual violence"),
    ("intimidation", "Intimidation and threats"),
    ("documents", "Retention of identity documents"),
    ("wages", "Withholding of wages"),
    ("debt", "Debt bondage"),
    ("conditions", "Abusive working and living conditions"),
    ("overtime", "Excessive overtime"),
)

CHANGE_GROUNDS = {
    "not_made": "The goods were not made with forced labor",
    "no_longer_made": "The goods are no longer made with forced labor",
    "not_imported": "The goods are no longer imported into the United States",
}
