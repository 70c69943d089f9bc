"""The entity-cell grammar: every tricky shape of CBP/UFLPA entity text, with exact expectations."""

from __future__ import annotations

import pytest

from section307.refdata.parsers.entity_text import parse_entity_cell, parse_party_name, split_list
from section307.refdata.records import ParsedParty


def org(
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    qualifiers: tuple[str, ...] = (),
    country: str | None = "CN",
    kind: str = "organization",
    identifiers: tuple[tuple[str, str], ...] = (),
    region_code: str | None = None,
) -> ParsedParty:
    return ParsedParty(
        name=name,
        aliases=aliases,
        kind=kind,
        qualifiers=qualifiers,
        country=country,
        identifiers=identifiers,
        region_code=region_code,
    )


HOSHINE = "Hoshine Silicon Industry Co., Ltd."

CASES: list[tuple[str, tuple[ParsedParty, ...]]] = [
    # One company whose name holds commas.
    ("Hetian Taida Apparel Co., Ltd.", (org("Hetian Taida Apparel Co., Ltd."),)),
    ("Kingtom Aluminio S.R.L.", (org("Kingtom Aluminio S.R.L."),)),
    ("Grupo Textil S.A. de C.V.", (org("Grupo Textil S.A. de C.V."),)),
    ("Central Romana Corporation Limited", (org("Central Romana Corporation Limited"),)),
    # Qualifiers.
    (f"{HOSHINE} and its subsidiaries", (org(HOSHINE, qualifiers=("and its subsidiaries",)),)),
    (f"{HOSHINE} and subsidiaries", (org(HOSHINE, qualifiers=("and subsidiaries",)),)),
    (
        "Top Glove Corporation Bhd. and its affiliates",
        (org("Top Glove Corporation Bhd.", qualifiers=("and its affiliates",)),),
    ),
    (
        "Sime Darby Plantation Berhad, its subsidiaries and joint ventures",
        (org("Sime Darby Plantation Berhad", qualifiers=("its subsidiaries and joint ventures",)),),
    ),
    # Head plus counted subsidiaries: three parties.
    (
        f"{HOSHINE} and its two subsidiaries from China, Xinjiang Xinye Silicon Co., Ltd. and "
        "Hoshine Silicon (Shanshan) Co., Ltd.",
        (
            org(HOSHINE, qualifiers=("and its two subsidiaries",)),
            org("Xinjiang Xinye Silicon Co., Ltd.", qualifiers=(f"subsidiary of {HOSHINE}",)),
            org("Hoshine Silicon (Shanshan) Co., Ltd.", qualifiers=(f"subsidiary of {HOSHINE}",)),
        ),
    ),
    (
        "Acme Holdings Inc. and its subsidiaries: Acme Farms LLC, Acme Mills LLC",
        (
            org("Acme Holdings Inc.", qualifiers=("and its subsidiaries",)),
            org("Acme Farms LLC", qualifiers=("subsidiary of Acme Holdings Inc.",)),
            org("Acme Mills LLC", qualifiers=("subsidiary of Acme Holdings Inc.",)),
        ),
    ),
    # Lists.
    (
        "Lop County Meixin Hair Product Co., Ltd.; Hetian Haolin Hair Accessories Co., Ltd.",
        (org("Lop County Meixin Hair Product Co., Ltd."), org("Hetian Haolin Hair Accessories Co., Ltd.")),
    ),
    (
        "Dalian Ocean Fishing Co., Ltd., Top Glove Corporation Bhd., and Kingtom Aluminio S.R.L.",
        (
            org("Dalian Ocean Fishing Co., Ltd."),
            org("Top Glove Corporation Bhd."),
            org("Kingtom Aluminio S.R.L."),
        ),
    ),
    (
        "Yili Zhuowan Garment Manufacturing Co., Ltd. and Baoding LYSZD Trade and Business Co., Ltd.",
        (
            org("Yili Zhuowan Garment Manufacturing Co., Ltd."),
            org("Baoding LYSZD Trade and Business Co., Ltd."),
        ),
    ),
    (
        f"{HOSHINE} and its subsidiaries, Top Glove Corporation Bhd. and its affiliates",
        (
            org(HOSHINE, qualifiers=("and its subsidiaries",)),
            org("Top Glove Corporation Bhd.", qualifiers=("and its affiliates",)),
        ),
    ),
    # "and" inside a name is not a separator.
    ("Xinjiang Production and Construction Corps", (org("Xinjiang Production and Construction Corps"),)),
    (
        "Xinjiang Production and Construction Corps (XPCC)",
        (org("Xinjiang Production and Construction Corps", aliases=("XPCC",)),),
    ),
    # Alias chains and brackets.
    (
        "Grupo Siete S.A. de C.V., a/k/a Grupo 7, a/k/a G7 Holdings",
        (org("Grupo Siete S.A. de C.V.", aliases=("Grupo 7", "G7 Holdings")),),
    ),
    (
        "Smart Glove Holdings (a.k.a. Smart Glove Corporation Sdn. Bhd.)",
        (org("Smart Glove Holdings", aliases=("Smart Glove Corporation Sdn. Bhd.",)),),
    ),
    (
        "YTY Industry Holdings Sdn. Bhd. (also known as YTY Group)",
        (org("YTY Industry Holdings Sdn. Bhd.", aliases=("YTY Group",)),),
    ),
    (
        "Supermax Corporation Bhd. (formerly known as Supermax Glove Manufacturing Sdn. Bhd.)",
        (org("Supermax Corporation Bhd.", aliases=("Supermax Glove Manufacturing Sdn. Bhd.",)),),
    ),
    ("Acme Trading LLC f/k/a Acme Imports LLC", (org("Acme Trading LLC", aliases=("Acme Imports LLC",)),)),
    ("Acme Trading LLC /f/k/a Acme Imports LLC", (org("Acme Trading LLC", aliases=("Acme Imports LLC",)),)),
    ("Acme Trading LLC d/b/a Acme Gloves", (org("Acme Trading LLC", aliases=("Acme Gloves",)),)),
    ("Acme Trading LLC; a/k/a Acme Gloves", (org("Acme Trading LLC", aliases=("Acme Gloves",)),)),
    (
        "Nanjing Synergy Textiles Co., Ltd. (also known as Synergy; Nanjing Synergy)",
        (org("Nanjing Synergy Textiles Co., Ltd.", aliases=("Synergy", "Nanjing Synergy")),),
    ),
    (
        "Tianjin Sheng Xin (or Wuling) Fishing Co., Ltd.",
        (org("Tianjin Sheng Xin Fishing Co., Ltd.", aliases=("Wuling Fishing Co., Ltd.",)),),
    ),
    ("Hoshine Silicon Industry (or Hesheng)", (org("Hoshine Silicon Industry", aliases=("Hesheng",)),)),
    # Location tails.
    (
        "Hetian Haolin Hair Accessories Co., Ltd., located in Xinjiang",
        (org("Hetian Haolin Hair Accessories Co., Ltd.", qualifiers=("located in Xinjiang",)),),
    ),
    # Vessels.
    ("Fishing Vessel: Da Wang", (org("Da Wang", kind="vessel"),)),
    (
        "Fishing Vessels: Yu Long No. 2; Tunago No. 61",
        (org("Yu Long No. 2", kind="vessel"), org("Tunago No. 61", kind="vessel")),
    ),
    (
        "Fishing Vessels: Hangton No. 112, Lien Yi Hsing No. 12 and Da Wang",
        (
            org("Hangton No. 112", kind="vessel"),
            org("Lien Yi Hsing No. 12", kind="vessel"),
            org("Da Wang", kind="vessel"),
        ),
    ),
    (
        "Vessel: Lien Yi Hsing No. 12 (IMO 9123456)",
        (org("Lien Yi Hsing No. 12", kind="vessel", identifiers=(("IMO", "9123456"),)),),
    ),
    ("Tuna fishing vessel Yu Long No. 2", (org("Yu Long No. 2", kind="vessel"),)),
    (
        "Dalian Ocean Fishing Co., Ltd.; Fishing Vessel: Da Wang",
        (org("Dalian Ocean Fishing Co., Ltd."), org("Da Wang", kind="vessel")),
    ),
    ("Marine Vessel Holdings Ltd.", (org("Marine Vessel Holdings Ltd."),)),
    # Regions.
    (
        "Xinjiang Uyghur Autonomous Region (XUAR)",
        (org("Xinjiang Uyghur Autonomous Region", aliases=("XUAR",), kind="region", region_code="CN-XJ"),),
    ),
    ("Turkmenistan", (org("Turkmenistan", kind="region", country="TM"),)),
    # Facilities.
    ("Sunrise Brick Kiln", (org("Sunrise Brick Kiln", kind="facility"),)),
    (
        "Sime Darby Plantation Berhad, its subsidiaries, and joint ventures",
        (org("Sime Darby Plantation Berhad", qualifiers=("its subsidiaries, and joint ventures",)),),
    ),
    # Subsidiaries named straight after the phrase, no punctuation.
    (
        "Supermax Corporation Bhd. and its subsidiaries Maxter Glove Manufacturing Sdn. Bhd., "
        "Supermax Glove Manufacturing Sdn. Bhd. and Supermax Latex Products Sdn. Bhd.",
        (
            org("Supermax Corporation Bhd.", qualifiers=("and its subsidiaries",)),
            org(
                "Maxter Glove Manufacturing Sdn. Bhd.",
                qualifiers=("subsidiary of Supermax Corporation Bhd.",),
            ),
            org(
                "Supermax Glove Manufacturing Sdn. Bhd.",
                qualifiers=("subsidiary of Supermax Corporation Bhd.",),
            ),
            org("Supermax Latex Products Sdn. Bhd.", qualifiers=("subsidiary of Supermax Corporation Bhd.",)),
        ),
    ),
    # A bare comma after the phrase only ends that party.
    (
        f"{HOSHINE} and its subsidiaries, Top Glove Corporation Bhd.",
        (org(HOSHINE, qualifiers=("and its subsidiaries",)), org("Top Glove Corporation Bhd.")),
    ),
    # Brackets after the legal form: another name, or where it is.
    (
        "YTY Industry Holdings Sdn. Bhd. (YTY Group)",
        (org("YTY Industry Holdings Sdn. Bhd.", aliases=("YTY Group",)),),
    ),
    ("Top Glove Corporation Bhd. (Malaysia)", (org("Top Glove Corporation Bhd.", qualifiers=("Malaysia",)),)),
    # Brackets inside a name stay.
    (
        "Kashgar Construction Engineering (Group) Co., Ltd.",
        (org("Kashgar Construction Engineering (Group) Co., Ltd."),),
    ),
    # Commas inside a descriptive run of one name.
    (
        "Inner Mongolia Hengzheng Group Baoanzhao Agricultural, Industrial, and Trade Co., Ltd.",
        (org("Inner Mongolia Hengzheng Group Baoanzhao Agricultural, Industrial, and Trade Co., Ltd."),),
    ),
    ("Entity: Hetian Taida Apparel Co., Ltd.", (org("Hetian Taida Apparel Co., Ltd."),)),
    (
        "Lop County Hair Product Industrial Park",
        (org("Lop County Hair Product Industrial Park", kind="facility"),),
    ),
    (
        "No. 4 Vocational Skills Education and Training Center (VSETC)",
        (org("No. 4 Vocational Skills Education and Training Center", aliases=("VSETC",)),),
    ),
    # Persons only when obvious.
    ("Mr. Wang Wei; Dr. Li Na", (org("Mr. Wang Wei", kind="person"), org("Dr. Li Na", kind="person"))),
    ("MS Amlin Trading Ltd.", (org("MS Amlin Trading Ltd."),)),
    ("Hero Vast Group Ltd. (HK)", (org("Hero Vast Group Ltd.", qualifiers=("HK",)),)),
    # Words that only look like qualifiers.
    ("Global Joint Ventures Ltd.", (org("Global Joint Ventures Ltd."),)),
    ("Pacific Subsidiaries", (org("Pacific Subsidiaries"),)),
    # Country-wide orders.
    ("", ()),
    ("N/A", ()),
    (" ; ", ()),
]


@pytest.mark.parametrize(("cell", "expected"), CASES, ids=[c[0][:60] or "empty" for c in CASES])
def test_entity_cell_shapes(cell: str, expected: tuple[ParsedParty, ...]) -> None:
    assert parse_entity_cell(cell, country="CN") == expected


def test_region_keeps_its_own_country_over_the_row_country() -> None:
    (party,) = parse_entity_cell("Xinjiang Uyghur Autonomous Region (XUAR)", country="US")
    assert (party.country, party.region_code) == ("CN", "CN-XJ")


def test_none_cell_and_curly_quotes() -> None:
    assert parse_entity_cell(None) == ()
    (party,) = parse_entity_cell("\u201cHetian Taida Apparel Co., Ltd.\u201d")
    assert party.name == "Hetian Taida Apparel Co., Ltd."
    assert party.country is None


def test_repeated_party_in_one_cell_is_merged() -> None:
    parties = parse_entity_cell("Top Glove Corporation Bhd.; Top Glove Corporation Bhd. (a.k.a. Top Glove)")
    assert parties == (org("Top Glove Corporation Bhd.", aliases=("Top Glove",), country=None),)


def test_parse_party_name_federal_register_style() -> None:
    party = parse_party_name(
        "Hefei Bitland Information Technology Co., Ltd. (also known as Anhui Hefei Baolongda Information "
        "Technology; Hefei Baolongda), with an address at 4export Avenue, Hefei",
        country="CN",
    )
    assert party.name == "Hefei Bitland Information Technology Co., Ltd."
    assert party.aliases == ("Anhui Hefei Baolongda Information Technology", "Hefei Baolongda")
    assert party.qualifiers == ("with an address at 4export Avenue, Hefei",)


def test_split_list_keeps_legal_suffixes_together() -> None:
    assert split_list("Alpha Co., Ltd., Beta S.A. de C.V., Gamma Inc.") == [
        "Alpha Co., Ltd.",
        "Beta S.A. de C.V.",
        "Gamma Inc.",
    ]
    # A company whose name starts like a legal form is not glued to the one before.
    assert split_list("Alpha Co., Ltd., AG Industries Ltd.") == ["Alpha Co., Ltd.", "AG Industries Ltd."]
