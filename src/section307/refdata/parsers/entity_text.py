"""Grammar for the free-text "Entity" cells of the CBP and UFLPA lists.

A cell names zero or more parties.  The grammar, applied in this order:

1. ``cell := [vessel-prefix] chunk (";" chunk)*`` - semicolons outside brackets always separate parties
   ("Fishing Vessels: A; B" makes every party a vessel).  A chunk that starts with an alias marker
   ("a/k/a B") adds aliases to the party before it.
2. ``chunk := head "and its [N] subsidiaries [from PLACE]" ("," | ":" | " ") list`` - the head gets the
   qualifier, each listed party gets "subsidiary of HEAD".  With N given, the list is split into N.  A
   bare comma needs N or PLACE to be read this way ("A and its subsidiaries, B" is two plain parties).
3. ``list := item ("," item)* [","] ["and" item]`` - a comma only separates parties when the text after
   it is not a legal-form suffix ("Co., Ltd.", "S.A. de C.V.", "Inc."), not lower-case ("its
   subsidiaries", "a/k/a B", "located in ..."), not inside brackets, and no piece is a single word
   ("Agricultural, Industrial, and Trade Co., Ltd." is one name).  A bare "and" only separates parties
   when the text before it ends in a legal form ("... Co., Ltd. and Y"), in a vessel list, or when a
   stated count requires it: "Xinjiang Production and Construction Corps" stays whole.
4. ``item := [vessel-prefix] name [alias-chain] [(alias-paren)] [qualifier] [location]`` - see
   :func:`parse_party_name`.

Everything is deterministic: no fuzzy matching, no dictionaries of company names.  docs/refdata.md
lists every shape with an example.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from section307.refdata.countries import country_code as _country_code
from section307.refdata.records import ParsedParty

# Tokens that make up legal-form suffixes; compared lower-cased with dots removed.
_LEGAL_TOKENS = frozenset(
    {
        *("co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc"),
        *("lp", "llp", "gmbh", "ag", "sa", "sas", "srl", "de", "cv", "rl", "s", "bhd", "berhad", "sdn"),
        *("pte", "pvt", "pty", "ltda", "spa", "nv", "bv", "kk", "jsc", "ojsc", "pjsc", "tbk", "sarl"),
        *("sl", "eirl", "cia", "sac", "saa", "aps", "ab", "oy", "jr", "sr"),
    }
)
# Tokens that can end a company name (so "X Co., Ltd. and Y" may be split after them).
_ENDING_TOKENS = _LEGAL_TOKENS - {"de", "s", "jr", "sr"}

_ALIAS_WORDS = (
    r"a/k/a|a\.k\.a\.?|f/k/a|f\.k\.a\.?|d/b/a|d\.b\.a\.?|also\s+known\s+as|formerly\s+known\s+as|"
    r"previously\s+known\s+as|doing\s+business\s+as|also\s+doing\s+business\s+as|trading\s+as|t/a"
)
# An alias marker in a chain: "A, a/k/a B", "A f/k/a B", "A; d/b/a B".
_ALIAS_CHAIN = re.compile(rf"[,;]?\s*(?:/|(?<![\w/]))(?:{_ALIAS_WORDS})(?![\w/])\s*:?\s*", re.IGNORECASE)
_ALIAS_START = re.compile(rf"^/?(?:{_ALIAS_WORDS})(?![\w/])\s*:?\s*", re.IGNORECASE)

# "Fishing Vessel: X", "Fishing Vessels: A; B", "Vessel: X", "Tuna fishing vessel Yu Long No. 2",
# "Vanuatu-flagged fishing vessel X".  A bare "Vessel" without a colon is not enough: it could start
# a company name.
_VESSEL_PREFIX = re.compile(
    r"^(?:the\s+)?(?:[A-Za-z]+-flagged\s+)?(?:(?:tuna|squid|longline|distant[- ]water)\s+)*"
    r"(?:(?:fishing\s+)?(?:vessels?|ships?|boats?)\s*:\s*|fishing\s+(?:vessels?|ships?|boats?)\s+(?:named\s+)?)",
    re.IGNORECASE,
)
# Column-label echoes some sheets put in the cell: "Entity: X", "Manufacturer: X".
_LABEL_PREFIX = re.compile(r"^(?:entity|entities|manufacturer|company|producer)\s*:\s*", re.IGNORECASE)
_IMO = re.compile(r"\s*\(?\bIMO(?:\s*(?:No\.?|Number|#))?\s*[:.]?\s*(\d{7})\b\)?", re.IGNORECASE)

_REL = r"(?:subsidiaries|affiliates|affiliated\s+companies|subsidiary\s+companies|joint\s+ventures|branches)"
_NUM = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

# Trailing qualifier: "and its subsidiaries", "and subsidiaries", ", its subsidiaries and joint ventures",
# "including its affiliates", "& its eight subsidiaries".  A connector ("and", "including", a comma
# before "its") is required, so names such as "Global Joint Ventures" keep their last words.
_REL_LIST = rf"(?:{_NUM}\s+)?{_REL}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)(?:its\s+)?{_REL})*"
_QUALIFIER = re.compile(
    rf"(?:,\s*(?P<q1>(?:and\s+)?(?:all\s+)?(?:of\s+)?(?:(?:its|their)\s+)?{_REL_LIST})"
    rf"|\s+(?P<q2>(?:(?:and|including|together\s+with|with)\s+(?:all\s+)?(?:of\s+)?(?:(?:its|their)\s+)?"
    rf"|&\s+(?:its|their)\s+){_REL_LIST}))\s*\.?$",
    re.IGNORECASE,
)
# "X and its two subsidiaries from China, Y and Z" / "X and its subsidiaries: Y, Z".
_SUBS_INTRO = re.compile(
    rf"^(?P<head>.+?),?\s+(?P<qual>(?:and|&)\s+(?:its|their)\s+(?:(?P<num>{_NUM})\s+)?{_REL})"
    rf"(?:\s+(?:from|in|located\s+in|based\s+in)\s+(?P<where>[^,:;]+?))?(?P<sep>\s*[,:]|\s(?=(?-i:[A-Z])))\s*"
    rf"(?:(?:including|namely|i\.e\.)\s*,?\s*)?(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# Location tails are not part of the name: ", located in Xinjiang", ", with an address in Shanghai".
_LOCATION = re.compile(
    r",?\s+(?P<q>(?:located|based|headquartered|situated)\s+in\s+.+|with\s+(?:an\s+)?address(?:es)?\b.*)$",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]{1,11}")
# Who owns or runs the party: ", owned by X", "(operated by X)". A relation, not part of the name.
_RELATION = re.compile(
    r",?\s*\(?(?P<q>(?:which\s+is\s+)?(?:(?:wholly\s+)?owned|operated|controlled|managed)"
    r"(?:\s+and\s+(?:owned|operated|controlled|managed))?\s+by\s+[^()]+?)\)?\.?$",
    re.IGNORECASE,
)
# "(collectively Brightway Group)" after a list: the group name of every party in it.
_COLLECTIVELY = re.compile(
    r"\s*\(\s*(?P<q>collectively(?:\s+(?:known\s+as|referred\s+to\s+as))?\s+[^()]+)\)\s*\.?$", re.IGNORECASE
)
# A cell or piece that is only a relation word ("subsidiaries", "and its affiliates").
_ONLY_RELATION = re.compile(
    rf"^(?:(?:and|including)\s+)?(?:(?:all\s+)?(?:of\s+)?(?:its|their)\s+)?{_REL_LIST}\.?$", re.IGNORECASE
)

# Regions named in the lists: normalised name -> (ISO 3166-2 code, country, display name, aliases).
_REGIONS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
for _names, _info in (
    (
        (
            "Xinjiang Uyghur Autonomous Region",
            "Xinjiang Uighur Autonomous Region",
            "Xinjiang Uyghur Autonomous Region of China",
            "Xinjiang Uygur Autonomous Region",
            "Xinjiang",
            "Xinjiang Province",
            "XUAR",
        ),
        ("CN-XJ", "CN", "Xinjiang Uyghur Autonomous Region", ("XUAR",)),
    ),
    (
        ("Tibet Autonomous Region", "Tibet", "Xizang Autonomous Region", "TAR"),
        ("CN-XZ", "CN", "Tibet Autonomous Region", ("TAR",)),
    ),
):
    for _n in _names:
        _REGIONS[re.sub(r"[^a-z0-9]+", " ", _n.casefold()).strip()] = _info

# Only an honorific makes a name obviously a person's; anything else stays an organization.
_PERSON_TITLE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr)\.|Miss)\s+[A-Z]")
# A party whose name ends like this (and has no legal form) is a site, not a company.
_FACILITY_WORDS = re.compile(
    r"\b(?:factory|factories|plant|mill|farm|estate|mine|mines|kiln|kilns|ranch|plantation|workshop|"
    r"industrial\s+park)$",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x00A0: " ", 0x2013: "-"})
    text = re.sub(r"\s+", " ", text).strip()
    # Stray list punctuation around a piece, but keep a final "." (it belongs to "Ltd.").
    text = re.sub(r"^[\s,;:]+|[\s,;:]+$", "", text)
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


def _depth0_positions(text: str) -> Iterator[tuple[int, str]]:
    """Yield (index, char) for characters outside any brackets."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            yield i, ch


def _split_depth0(text: str, sep: str) -> list[str]:
    parts, start = [], 0
    for i, ch in _depth0_positions(text):
        if ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _at_depth0(text: str, index: int) -> bool:
    depth = 0
    for ch in text[:index]:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return depth == 0


def _tokens(text: str) -> list[str]:
    return [t.replace(".", "").strip(",").casefold() for t in text.split()]


def _is_legal_suffix(fragment: str) -> bool:
    """True for fragments like "Ltd.", "Inc.", "S.A. de C.V.", "Sdn. Bhd." that continue a name."""
    toks = [t for t in _tokens(fragment) if t]
    return bool(toks) and all(t in _LEGAL_TOKENS for t in toks)


def ends_with_legal_form(text: str) -> bool:
    """True when the last word is a legal form ("Ltd.", "Inc.", "Bhd.", "Corporation"...)."""
    toks = _tokens(text)
    return bool(toks) and toks[-1] in _ENDING_TOKENS


def _continues_previous(fragment: str) -> bool:
    """Whether a comma-separated fragment belongs to the item before it rather than starting a new one."""
    if _is_legal_suffix(fragment):
        return True
    # "Ltd. and its subsidiaries", "Ltd. (also known as X)", "Ltd. and Y Co., Ltd.": a legal-form run
    # followed by lower-case words or a bracket still finishes the name before the comma.
    words = fragment.split()
    run = 0
    while run < len(words) and _tokens(words[run])[0] in _LEGAL_TOKENS:
        run += 1
    if run and run < len(words) and (words[run][:1].islower() or words[run].startswith("(")):
        return True
    if _ALIAS_START.match(fragment) or fragment.startswith("("):
        return True
    if re.match(r"and\s+[A-Z0-9\"']", fragment):
        return False  # Oxford-comma "..., and C"
    return fragment[:1].islower()


def _split_and(text: str, *, force: bool) -> list[str]:
    """Split "A and B" at top-level "and"s, where safe (see module docstring)."""
    out, start = [], 0
    for m in re.finditer(r"\s+and\s+(?=[A-Z0-9\"'])", text):
        if not _at_depth0(text, m.start()):
            continue
        left = text[start : m.start()]
        if force or ends_with_legal_form(left):
            out.append(left)
            start = m.end()
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def split_list(text: str, *, vessels: bool = False, expected: int | None = None) -> list[str]:
    """Split an enumeration of names on safe commas and "and"s."""
    merged: list[str] = []
    for frag in _split_depth0(text, ","):
        if merged and _continues_previous(frag):
            merged[-1] = f"{merged[-1]}, {frag}"
        else:
            merged.append(frag)
    if not vessels and any(len(m.split()) == 1 and not _is_legal_suffix(m) for m in merged[1:]):
        # "Baoanzhao Agricultural, Industrial, and Trade Co., Ltd.": a one-word piece is part of a
        # descriptive run inside one name, not a party of its own.
        return _split_and(", ".join(merged), force=False)
    items: list[str] = []
    for i, item in enumerate(merged):
        if i > 0 and i == len(merged) - 1 and re.match(r"and\s+", item):
            item = re.sub(r"^and\s+", "", item)
        items.extend(_split_and(item, force=vessels))
    if expected is not None and len(items) < expected and items:
        # "Y and Z" after "its two subsidiaries": the count tells us the last "and" separates names.
        last = items.pop()
        pieces = [p for p in re.split(r"\s+and\s+(?=[A-Z0-9])", last) if p]
        if len(pieces) >= 2 and len(items) + 2 == expected:
            cut = last.rfind(" and ")
            items.extend([last[:cut].strip(), last[cut + 5 :].strip()])
        else:
            items.append(last)
    return items


def _dedupe(values: list[str], exclude: str = "") -> tuple[str, ...]:
    seen = {exclude.casefold()} if exclude else set()
    out = []
    for v in values:
        v = _clean(v)
        if v and v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return tuple(out)


def _split_chain(text: str) -> list[str]:
    """Split "a/k/a B, a/k/a C (formerly known as D)" at alias markers outside brackets."""
    out, start = [], 0
    for m in _ALIAS_CHAIN.finditer(text):
        if _at_depth0(text, m.start()):
            out.append(text[start : m.start()])
            start = m.end()
    out.append(text[start:])
    return [p for p in (_clean(x) for x in out) if p]


def _split_aliases(text: str) -> list[str]:
    """Alias lists inside brackets use ";" (Federal Register style) or commas."""
    out: list[str] = []
    for part in _split_depth0(text, ";"):
        pieces = _ALIAS_CHAIN.split(part)
        for piece in pieces:
            out.extend(split_list(piece) if "," in piece else [piece])
    # "(also known as A; and B)": the last item of a list carries the conjunction.
    return [p for p in (re.sub(r"^and\s+", "", _clean(x)) for x in out) if p]


def parse_party_name(text: str, *, country: str | None = None, kind: str | None = None) -> ParsedParty:
    """Parse one party: name, aliases, qualifiers, identifiers, kind and region.

    ``country`` is the alpha-2 code of the list row, used unless the party is a known region.
    """
    s = _clean(text)
    identifiers: list[tuple[str, str]] = []
    qualifiers: list[str] = []
    aliases: list[str] = []

    s = _LABEL_PREFIX.sub("", s)
    m = _VESSEL_PREFIX.match(s)
    if m and m.end() < len(s):
        kind = "vessel"
        s = s[m.end() :]
    for imo in _IMO.finditer(s):
        identifiers.append(("IMO", imo.group(1)))
        kind = kind or "vessel"
    s = _clean(_IMO.sub("", s))

    # Relations ("owned by X"), then location tails (they may follow the alias brackets), then
    # qualifiers, outermost last.
    rel = _RELATION.search(s)
    if rel and rel.start() > 0 and _at_depth0(s, rel.start()):
        qualifiers.append(re.sub(r"\s+", " ", rel.group("q")).strip())
        s = _clean(s[: rel.start()])
    of_place = re.search(r"\s*\((?P<q>of\s+[^()]+)\)\s*$", s)
    if of_place and of_place.start() > 0:
        # "(of Nagoya, Japan)": where the party is.
        qualifiers.append(_clean(of_place.group("q")))
        s = _clean(s[: of_place.start()])
    address = _trailing_address(s)
    if address is not None:
        s, where = address
        qualifiers.append(where)
    loc = _LOCATION.search(s)
    if loc and _at_depth0(s, loc.start()):
        qualifiers.append(_clean(loc.group("q")))
        s = _clean(s[: loc.start()])
    while True:
        q = _QUALIFIER.search(s)
        if not q or not _at_depth0(s, q.start()) or q.start() == 0:
            break
        qualifiers.insert(0, re.sub(r"\s+", " ", q.group("q1") or q.group("q2")).strip().lower())
        s = _clean(s[: q.start()])

    # Alias chain outside brackets: "A, a/k/a B, a/k/a C".
    chain_starts = [m for m in _ALIAS_CHAIN.finditer(s) if _at_depth0(s, m.start()) and m.start() > 0]
    if chain_starts:
        first = chain_starts[0].start()
        tail = s[first:]
        s = _clean(s[:first])
        for piece in _split_chain(tail):
            if piece:
                # An alias may carry its own brackets: "a/k/a B (formerly known as C)".
                sub = parse_party_name(piece, kind="organization")
                aliases.extend([sub.name, *sub.aliases])

    # Bracketed aliases / variants / acronyms.
    while True:
        changed = False
        for pm in re.finditer(r"\s*\(([^()]*)\)", s):
            inner = pm.group(1).strip()
            at_end = pm.end() >= len(s.rstrip(". "))
            alias_m = _ALIAS_START.match(inner)
            if alias_m:
                aliases.extend(_split_aliases(inner[alias_m.end() :]))
            elif re.match(r"or\s+", inner, re.IGNORECASE):
                variant = _clean(inner[3:])
                rest = _clean(s[pm.end() :])
                # "(or Wuling)": mid-name, the variant takes the place of the words before it, so the
                # alias keeps the rest of the name ("Wuling Fishing Co., Ltd."); at the end it stands alone.
                aliases.append(f"{variant} {rest}".strip() if rest and not at_end else variant)
            elif at_end and _ACRONYM.fullmatch(inner) and not _is_legal_suffix(inner):
                # "(XPCC)" is a short name; "(HK)", "(USA)" only say where the company is.
                (qualifiers if _country_code(inner) else aliases).append(inner)
            elif at_end and ends_with_legal_form(s[: pm.start()]) and re.match(r"[A-Z]", inner):
                # "YTY Industry Holdings Sdn. Bhd. (YTY Group)": a name after the legal form is another
                # name for it; a country there ("(Malaysia)") only says where it is.
                if _country_code(inner):
                    qualifiers.append(inner)
                else:
                    aliases.append(inner)
            elif _QUALIFIER.fullmatch(" " + inner):
                # "(including subsidiaries)" qualifies the name, it is not part of it.
                qualifiers.append(re.sub(r"\s+", " ", inner).strip().lower())
            else:
                continue
            s = _clean(s[: pm.start()] + " " + s[pm.end() :]) if not at_end else _clean(s[: pm.start()])
            changed = True
            break
        if not changed:
            break

    name = _clean(s)
    region_code = None
    region = _REGIONS.get(re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip())
    if region is not None:
        region_code, country, display, extra = region
        if display != name:
            aliases.insert(0, name)
        name = display
        aliases.extend(extra)
        kind = "region"
    elif kind is None and len(name) > 3 and not ends_with_legal_form(name):
        whole_country = _country_code(name)
        if whole_country:
            # A country-wide order names the country itself (e.g. "Turkmenistan" for cotton).
            kind, country = "region", whole_country
    if kind is None:
        if _PERSON_TITLE.match(name):
            kind = "person"
        elif _FACILITY_WORDS.search(name) and not ends_with_legal_form(name):
            kind = "facility"
        else:
            kind = "organization"
    return ParsedParty(
        name=name,
        aliases=_dedupe(aliases, exclude=name),
        kind=kind,
        qualifiers=_dedupe(qualifiers),
        country=country,
        identifiers=tuple(dict.fromkeys(identifiers)),
        region_code=region_code,
    )


def _trailing_address(text: str) -> tuple[str, str] | None:
    """``"State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico"`` -> name and ``"Ciudad Victoria, ..."``.

    Only when the last comma piece is a country and no piece after the first is a legal form, so
    "X Co., Ltd." and lists of companies are left alone.
    """
    pieces = _split_depth0(text, ",")
    if len(pieces) < 2 or not _country_code(pieces[-1].rstrip(".")):
        return None
    if any(_is_legal_suffix(p) or ends_with_legal_form(p) for p in pieces):
        return None
    return pieces[0], ", ".join(pieces[1:])


def _is_bare_place(name: str) -> bool:
    """A party name that is only a city, province or country ("Shanghai", "Tamaulipas, Mexico")."""
    from section307.gazetteer.places_cn import CHINA_PLACES

    key = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", name).casefold())
    if key in CHINA_PLACES:
        return True
    return all(_country_code(p.strip(". ")) for p in name.split(",")) and "," in name


_EMPTY = frozenset({"", "n/a", "na", "none", "-", "--", "not applicable", "nan"})


def parse_entity_cell(text: str | None, *, country: str | None = None) -> tuple[ParsedParty, ...]:
    """Split a free-text entity cell into parties (see the module docstring for the grammar)."""
    s = _clean(text or "")
    if s.casefold() in _EMPTY:
        return ()
    cell_vessels = False
    s = _LABEL_PREFIX.sub("", s)
    m = _VESSEL_PREFIX.match(s)
    if m and m.end() < len(s):
        cell_vessels, s = True, s[m.end() :]

    group_qualifier = ""
    collectively = _COLLECTIVELY.search(s)
    if collectively and collectively.start() > 0:
        group_qualifier = re.sub(r"\s+", " ", collectively.group("q")).strip()
        s = _clean(s[: collectively.start()])

    parties: list[ParsedParty] = []
    for chunk in _split_depth0(s, ";"):
        chunk = _clean(chunk)
        if not chunk:
            continue
        if _ONLY_RELATION.match(chunk):
            # "X; subsidiaries": a word about the party before it, never a party of its own.
            if parties:
                prev = parties[-1]
                parties[-1] = _with_qualifiers(prev, [chunk.rstrip(".").lower()])
            continue
        alias_m = _ALIAS_START.match(chunk)
        if alias_m and parties:
            prev = parties[-1]
            extra = _split_aliases(chunk[alias_m.end() :])
            parties[-1] = ParsedParty(
                name=prev.name,
                aliases=_dedupe([*prev.aliases, *extra], exclude=prev.name),
                kind=prev.kind,
                qualifiers=prev.qualifiers,
                country=prev.country,
                identifiers=prev.identifiers,
                region_code=prev.region_code,
            )
            continue
        vessels = cell_vessels
        vm = _VESSEL_PREFIX.match(chunk)
        if vm and vm.end() < len(chunk):
            vessels, chunk = True, chunk[vm.end() :]
        kind = "vessel" if vessels else None

        intro = _SUBS_INTRO.match(chunk)
        # A bare comma after "and its subsidiaries" may just end that party ("A and its subsidiaries, B"),
        # so the intro reading needs a count, a place, a colon or a name straight after the phrase.
        sep = intro.group("sep").strip() if intro else ""
        if intro and (intro.group("num") or intro.group("where") or sep in {":", ""}):
            head = parse_party_name(intro.group("head"), country=country, kind=kind)
            qual = re.sub(r"\s+", " ", intro.group("qual")).lower()
            head = ParsedParty(
                name=head.name,
                aliases=head.aliases,
                kind=head.kind,
                qualifiers=_dedupe([qual, *head.qualifiers]),
                country=head.country,
                identifiers=head.identifiers,
                region_code=head.region_code,
            )
            parties.append(head)
            num = intro.group("num")
            expected = None
            if num:
                expected = int(num) if num.isdigit() else _NUMBERS[num.lower()]
            for item in split_list(intro.group("rest"), vessels=vessels, expected=expected):
                sub = parse_party_name(item, country=country, kind=kind)
                parties.append(
                    ParsedParty(
                        name=sub.name,
                        aliases=sub.aliases,
                        kind=sub.kind,
                        qualifiers=_dedupe([*sub.qualifiers, f"subsidiary of {head.name}"]),
                        country=sub.country,
                        identifiers=sub.identifiers,
                        region_code=sub.region_code,
                    )
                )
            continue
        for item in split_list(chunk, vessels=vessels):
            parties.append(parse_party_name(item, country=country, kind=kind))

    kept: list[ParsedParty] = []
    for p in parties:
        if not p.name or _ONLY_RELATION.match(p.name):
            continue
        country_after_party = p.kind == "region" and p.region_code is None and bool(kept)
        if country_after_party or (p.kind != "region" and _is_bare_place(p.name)):
            # A bare city or country left over from an address ("..., Shanghai") says where the party
            # before it is.
            if kept:
                kept[-1] = _with_qualifiers(kept[-1], [p.name])
            continue
        kept.append(_with_qualifiers(p, [group_qualifier]) if group_qualifier else p)
    parties = kept

    # The same party twice in one cell (e.g. repeated in an alias list) is one party.
    unique: dict[str, ParsedParty] = {}
    for p in parties:
        if not p.name:
            continue
        key = p.name.casefold()
        if key in unique:
            old = unique[key]
            unique[key] = ParsedParty(
                name=old.name,
                aliases=_dedupe([*old.aliases, *p.aliases], exclude=old.name),
                kind=old.kind,
                qualifiers=_dedupe([*old.qualifiers, *p.qualifiers]),
                country=old.country,
                identifiers=tuple(dict.fromkeys([*old.identifiers, *p.identifiers])),
                region_code=old.region_code,
            )
        else:
            unique[key] = p
    return tuple(unique.values())


def _with_qualifiers(party: ParsedParty, extra: list[str]) -> ParsedParty:
    return ParsedParty(
        name=party.name,
        aliases=party.aliases,
        kind=party.kind,
        qualifiers=_dedupe([*party.qualifiers, *extra]),
        country=party.country,
        identifiers=party.identifiers,
        region_code=party.region_code,
    )
