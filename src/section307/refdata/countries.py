"""Country-name → ISO 3166-1 alpha-2 mapping shared by every reference-data parser.

The official lists spell countries the US-government way ("Burma", "Korea, North",
"Turkey (Türkiye)", "Congo, Democratic Republic of the"), which pycountry does not know,
so an override table is consulted first and pycountry second.  No fuzzy matching: a
name we cannot map is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

# Keys are normalised with _norm() (accents stripped, case-folded, punctuation squeezed).
_OVERRIDES: dict[str, str] = {
    "burma": "MM",
    "myanmar": "MM",
    "burma myanmar": "MM",
    "north korea": "KP",
    "korea north": "KP",
    "dprk": "KP",
    "korea democratic people s republic of": "KP",
    "south korea": "KR",
    "korea south": "KR",
    "korea republic of": "KR",
    "republic of korea": "KR",
    "taiwan": "TW",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "brunei": "BN",
    "vietnam": "VN",
    "viet nam": "VN",
    "micronesia": "FM",
    "micronesia federated states of": "FM",
    "federated states of micronesia": "FM",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "curacao": "CW",
    "sint maarten": "SX",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "congo democratic republic of the": "CD",
    "congo democratic republic": "CD",
    "congo kinshasa": "CD",
    "drc": "CD",
    "republic of the congo": "CG",
    "republic of congo": "CG",
    "congo republic of the": "CG",
    "congo republic": "CG",
    "congo brazzaville": "CG",
    "the gambia": "GM",
    "gambia the": "GM",
    "the bahamas": "BS",
    "bahamas the": "BS",
    "turkiye": "TR",
    "turkey": "TR",
    "turkey turkiye": "TR",
    "timor leste": "TL",
    "east timor": "TL",
    "macau": "MO",
    "macao": "MO",
    "hong kong": "HK",
    "cabo verde": "CV",
    "cape verde": "CV",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "north macedonia": "MK",
    "macedonia": "MK",
    "kyrgyz republic": "KG",
    "kyrgyzstan": "KG",
    "czech republic": "CZ",
    "slovak republic": "SK",
    "vatican": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "west bank and gaza": "PS",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "st vincent and the grenadines": "VC",
    "sao tome and principe": "ST",
    "united states": "US",
    "usa": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    # Misspellings found in DOL's published EO 13126 list (2014 edition).
    "boliva": "BO",
    "tajikstan": "TJ",
    # Kosovo has no ISO code; XK is the user-assigned code used by the EU, SWIFT and CBP.
    "kosovo": "XK",
}

# Names returned for codes pycountry lacks or names badly for a US-government audience.
_DISPLAY: dict[str, str] = {"XK": "Kosovo", "TW": "Taiwan", "MM": "Burma"}


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> str | None:
    """Return the alpha-2 code for a country name or code, or None when it is not a known country."""
    if not name:
        return None
    raw = name.strip()
    if not raw:
        return None
    key = _norm(raw)
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    # "Turkey (Türkiye)": try the part outside the brackets, then the part inside.
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)\s*", raw)
    if bracket:
        return country_code(bracket.group(1)) or country_code(bracket.group(2))
    if re.fullmatch(r"[A-Za-z]{2}", raw):
        # Bare two-letter codes are only trusted when they are real ISO codes (or XK).
        code = raw.upper()
        if code == "XK" or pycountry.countries.get(alpha_2=code) is not None:
            return code
        return None
    try:
        found = pycountry.countries.lookup(raw)
    except LookupError:
        # "Bahamas, The" / "Congo, Republic of the": try with the tail moved to the front.
        if "," in raw:
            head, _, tail = raw.partition(",")
            if tail.strip():
                return country_code(f"{tail.strip()} {head.strip()}")
        return None
    return str(found.alpha_2)


def country_name(code: str | None) -> str | None:
    """Return a display name for an alpha-2 code."""
    if not code:
        return None
    code = code.upper()
    if code in _DISPLAY:
        return _DISPLAY[code]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return None
    return str(getattr(found, "common_name", None) or found.name)
