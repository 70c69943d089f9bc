"""What a reporter submits, as plain typed data, and the one validation both the web form and the API use."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from section307.allegations.models import (
    AllegationParty,
    ContactMethod,
    IloIndicator,
    Industry,
    SourceType,
    SupplyChainStage,
)
from section307.core.errors import InvalidInput
from section307.geo.models import Country
from section307.goods.hts import InvalidHts, normalize_hts

SHIPMENT_KINDS = ("bill_of_lading", "container", "entry", "other")
MAX_TEXT = 20_000
MAX_LINE = 500
MAX_PARTIES = 20
MAX_SHIPMENT_REFS = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AllegationInvalid(InvalidInput):
    """Field-level errors: {field name: [reasons]}. Nothing was saved."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()),
            field=next(iter(errors), None),
            extra={"errors": [{"field": f, "message": str(m)} for f, ms in errors.items() for m in ms]},
        )
        self.errors = errors


@dataclass(frozen=True)
class NamedPartyInput:
    role: str
    name: str
    address: str = ""
    country: str = ""


@dataclass(frozen=True)
class IndicatorInput:
    indicator: str
    observation: str


@dataclass(frozen=True)
class IdentityInput:
    name: str = ""
    organization: str = ""
    email: str = ""
    phone: str = ""
    contact_details: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.organization, self.email, self.phone, self.contact_details))

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "organization": self.organization,
            "email": self.email,
            "phone": self.phone,
            "contact_details": self.contact_details,
        }


@dataclass
class AllegationInput:
    reasons: str
    source_type: str
    merchandise: str
    source_details: str = ""
    hts_code: str = ""
    industry: str = ""
    sample_available: bool = False
    sample_details: str = ""
    country: str = ""
    region_text: str = ""
    supply_chain_stage: str = ""
    importers_brands: str = ""
    shipment_refs: list[tuple[str, str]] = field(default_factory=list)
    parties: list[NamedPartyInput] = field(default_factory=list)
    indicators: list[IndicatorInput] = field(default_factory=list)
    identity: IdentityInput | None = None
    contact_allowed: bool = False
    contact_method: str = ""
    discard_originals: bool = False
    language: str = ""


def _strip(value: str) -> str:
    return (value or "").strip()


def validate_input(data: AllegationInput) -> AllegationInput:
    """Return a cleaned copy (trimmed text, normalized HTS and country) or raise AllegationInvalid."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def text(name: str, value: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
        value = _strip(value)
        if required and not value:
            err(name, _("This field is required."))
        if len(value) > limit:
            err(name, _("Use at most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(value)})
        return value

    def choice(name: str, value: str, choices: list[str], *, required: bool = False) -> str:
        value = _strip(value)
        if not value:
            if required:
                err(name, _("Choose one of the options."))
            return ""
        if value not in choices:
            err(name, _("%(value)r is not one of the options.") % {"value": value[:50]})
        return value

    clean = AllegationInput(
        reasons=text("reasons", data.reasons, required=True),
        source_type=choice("source_type", data.source_type, SourceType.values, required=True),
        source_details=text("source_details", data.source_details),
        merchandise=text("merchandise", data.merchandise, required=True),
        industry=choice("industry", data.industry, Industry.values),
        sample_available=bool(data.sample_available),
        sample_details=text("sample_details", data.sample_details),
        region_text=text("region_text", data.region_text, limit=300),
        supply_chain_stage=choice("supply_chain_stage", data.supply_chain_stage, SupplyChainStage.values),
        importers_brands=text("importers_brands", data.importers_brands),
        contact_allowed=bool(data.contact_allowed),
        contact_method=choice("contact_method", data.contact_method, ContactMethod.values),
        discard_originals=bool(data.discard_originals),
        language=_strip(data.language)[:10],
    )
    if data.reasons and len(_strip(data.reasons)) < 20 and "reasons" not in errors:
        err("reasons", _("Please say in a few sentences why you believe forced labor is involved."))

    hts = _strip(data.hts_code)
    if hts:
        try:
            clean.hts_code = normalize_hts(hts)
        except InvalidHts:
            err("hts_code", _("An HTS code has 2 to 10 digits, for example 6109.10 or 5201.00.1800."))

    clean.country = _country("country", data.country, err)

    if len(data.shipment_refs) > MAX_SHIPMENT_REFS:
        err("shipment_refs", _("At most %(n)d shipment references.") % {"n": MAX_SHIPMENT_REFS})
    for kind, value in data.shipment_refs[:MAX_SHIPMENT_REFS]:
        value = _strip(value)
        if not value:
            continue
        if kind not in SHIPMENT_KINDS:
            err("shipment_refs", _("Unknown kind of shipment reference: %(kind)r.") % {"kind": str(kind)[:30]})
        elif len(value) > 100:
            err("shipment_refs", _("A shipment reference has at most 100 characters."))
        else:
            clean.shipment_refs.append((kind, value))

    if len(data.parties) > MAX_PARTIES:
        err("parties", _("At most %(n)d companies.") % {"n": MAX_PARTIES})
    for i, party in enumerate(data.parties[:MAX_PARTIES]):
        name = _strip(party.name)
        if not name:
            if _strip(party.address):
                err(f"parties.{i}.name", _("Give the company's name, or leave its address empty."))
            continue
        if party.role not in AllegationParty.Role.values:
            err(f"parties.{i}.role", _("Choose the company's role."))
        if len(name) > MAX_LINE:
            err(f"parties.{i}.name", _("Use at most %(n)d characters.") % {"n": MAX_LINE})
        address = text(f"parties.{i}.address", party.address, limit=2000)
        country = _country(f"parties.{i}.country", party.country, err)
        clean.parties.append(NamedPartyInput(party.role, name, address, country))

    seen: set[str] = set()
    for item in data.indicators:
        if item.indicator not in IloIndicator.values:
            err("indicators", _("Unknown indicator: %(name)r.") % {"name": str(item.indicator)[:40]})
            continue
        if item.indicator in seen:
            continue
        seen.add(item.indicator)
        observation = text(f"indicators.{item.indicator}", item.observation, limit=MAX_TEXT)
        if not observation:
            err(f"indicators.{item.indicator}", _("Describe what was seen or heard for this indicator."))
        clean.indicators.append(IndicatorInput(item.indicator, observation))

    identity = data.identity or IdentityInput()
    identity = IdentityInput(
        name=text("identity.name", identity.name, limit=200),
        organization=text("identity.organization", identity.organization, limit=200),
        email=text("identity.email", identity.email, limit=254),
        phone=text("identity.phone", identity.phone, limit=50),
        contact_details=text("identity.contact_details", identity.contact_details, limit=1000),
    )
    if identity.email and not _EMAIL.match(identity.email):
        err("identity.email", _("Enter an email address like name@example.org."))
    clean.identity = None if identity.is_empty() else identity
    if clean.contact_allowed:
        if not clean.contact_method:
            clean.contact_method = ContactMethod.RECEIPT_ONLY
        needed: tuple[str, str, str] | None = {
            str(ContactMethod.EMAIL): (
                "identity.email",
                identity.email,
                _("Give an email address to be contacted by email."),
            ),
            str(ContactMethod.PHONE): (
                "identity.phone",
                identity.phone,
                _("Give a phone number to be contacted by phone."),
            ),
            str(ContactMethod.OTHER): (
                "identity.contact_details",
                identity.contact_details,
                _("Describe how we may contact you."),
            ),
        }.get(clean.contact_method)
        if needed and not needed[1]:
            err(needed[0], needed[2])
    else:
        clean.contact_method = ""

    if errors:
        raise AllegationInvalid(errors)
    return clean


def _country(name: str, code: str, err: Callable[[str, str], None]) -> str:
    code = _strip(code).upper()
    if not code:
        return ""
    if len(code) != 2 or not Country.objects.filter(code=code).exists():
        err(name, _("Choose a country from the list."))
        return ""
    return code
