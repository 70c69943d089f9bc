"""Validation and normalisation of party identifiers.

LEI, IMO and the Chinese unified social credit code use rigour's checksummed formats;
the CBP manufacturer ID (MID) and DUNS have no checksum, so only their shape is checked.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from rigour.ids import get_identifier_format

MID = "MID"
USCC = "USCC"
LEI = "LEI"
DUNS = "DUNS"
IMO = "IMO"
OTHER = "OTHER"

SCHEMES: dict[str, str] = {
    MID: "Manufacturer ID (CBP MID)",
    USCC: "Unified social credit code (China)",
    LEI: "Legal Entity Identifier",
    DUNS: "D-U-N-S number",
    IMO: "IMO ship number",
    OTHER: "Other identifier",
}

# CBP MID: ISO country + up to 3 letters of the first two name words + up to 4 digits of the
# street number + up to 3 letters of the city (19 CFR 102 app., CBP Form 7501 instructions).
_MID_RE = re.compile(r"^[A-Z]{2}[A-Z]{1,6}[0-9]{0,4}[A-Z]{1,3}$")
_DUNS_RE = re.compile(r"^[0-9]{9}$")
_RIGOUR_NAMES = {LEI: "lei", IMO: "imo", USCC: "uscc"}


class InvalidIdentifier(ValueError):
    pass


def normalize_identifier(scheme: str, value: str) -> str:
    """Return the canonical form of an identifier or raise ``InvalidIdentifier`` with the reason."""
    scheme = scheme.upper().strip()
    raw = value.strip()
    if scheme not in SCHEMES:
        raise InvalidIdentifier(gettext("unknown identifier scheme %(scheme)r") % {"scheme": scheme})
    compact = re.sub(r"[\s\-./]", "", raw).upper()
    if scheme == IMO:
        compact = compact.removeprefix("IMO")
    if not compact:
        raise InvalidIdentifier(gettext("%(scheme)s: empty value") % {"scheme": scheme})
    if scheme == MID:
        if not _MID_RE.match(compact):
            raise InvalidIdentifier(
                gettext("MID %(raw)r: expected country code, name letters, digits, city letters") % {"raw": raw}
            )
        return compact
    if scheme == DUNS:
        if not _DUNS_RE.match(compact):
            raise InvalidIdentifier(gettext("DUNS %(raw)r: expected 9 digits") % {"raw": raw})
        return compact
    if scheme in _RIGOUR_NAMES:
        fmt = get_identifier_format(_RIGOUR_NAMES[scheme])
        if fmt is None or not fmt.is_valid(compact):
            raise InvalidIdentifier(
                gettext("%(scheme)s %(raw)r: fails the format or check-digit test") % {"scheme": scheme, "raw": raw}
            )
        normalized = fmt.normalize(compact)
        return (normalized or compact).upper().removeprefix("IMO")
    return compact
