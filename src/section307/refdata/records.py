"""Typed records produced by the reference-data parsers (plain frozen dataclasses, no ORM)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PARTY_KINDS = frozenset({"organization", "facility", "vessel", "person", "region"})
ORDER_TYPES = frozenset({"wro", "finding"})
ORDER_STATUSES = frozenset({"active", "modified", "revoked", "inactive"})
TIP_TIERS = frozenset({"1", "2", "2WL", "3", "special"})


@dataclass(frozen=True)
class ParsedParty:
    """One party named in a free-text entity cell."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "organization"  # one of PARTY_KINDS
    qualifiers: tuple[str, ...] = ()  # e.g. "and its subsidiaries", "subsidiary of X"
    country: str | None = None  # ISO 3166-1 alpha-2
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value), e.g. ("IMO", "9123456")
    region_code: str | None = None  # ISO 3166-2, e.g. "CN-XJ"


@dataclass(frozen=True)
class OrderRecord:
    """One row of CBP's Withhold Release Orders and Findings list."""

    key: str  # natural key, see cbp_wro.order_key()
    order_type: str  # "wro" | "finding"
    effective_date: dt.date
    calendar_year: int | None
    country_code: str
    country_name: str
    merchandise: str
    industry: str
    status: str  # one of ORDER_STATUSES
    press_release: str  # URL or ""
    entity_text: str  # the raw Entity cell
    remarks: str
    parties: tuple[ParsedParty, ...]
    row: int
    # Findings: publication (19 CFR 12.42(f)), when the list has the columns.
    fr_citation: str = ""
    fr_published_on: dt.date | None = None
    cb_citation: str = ""
    cb_published_on: dt.date | None = None


@dataclass(frozen=True)
class UflpaEntityRecord:
    """One entity on the UFLPA Entity List."""

    name: str
    aliases: tuple[str, ...]
    section: str  # citation as published, normalised, e.g. "2(d)(2)(B)(i)"
    section_label: str  # short human label for the section
    date_added: dt.date | None
    country: str | None
    row: int
    qualifiers: tuple[str, ...] = ()  # e.g. "and its subsidiaries", "with an address in ..."


@dataclass(frozen=True)
class DolGoodRecord:
    """One good x country pair of DOL's List of Goods Produced by Child Labor or Forced Labor."""

    good: str
    country_name: str
    country_code: str
    child_labor: bool
    forced_labor: bool
    forced_child_labor: bool
    derived_from: tuple[str, ...]  # input goods, when the source names them
    year: int | None
    row: int
    sector: str = ""
    # DOL's "Goods Produced with Inputs Made with Forced Labor" flag, and the country of the input.
    derived: bool = False
    derived_country_code: str | None = None


@dataclass(frozen=True)
class TipTierRecord:
    """One country's tier in the State Department's Trafficking in Persons report."""

    country_name: str
    country_code: str
    tier: str  # one of TIP_TIERS
    year: int
    row: int
