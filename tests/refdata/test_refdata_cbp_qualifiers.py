"""CBP entity cells: qualifiers, relations and addresses leave the party name (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from section307.refdata.parsers.cbp_wro import parse_cbp_wro
from section307.refdata.parsers.entity_text import parse_entity_cell

from .test_refdata_cbp_wro import write_csv


def _parties(cell: str, country: str = "MY") -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.name, p.kind, p.qualifiers) for p in parse_entity_cell(cell, country=country)]


def test_collectively_names_the_group_of_every_party() -> None:
    cell = (
        "Brightway Holdings Sdn. Bhd., Laglove (M) Sdn. Bhd., and Biopro (M) Sdn. Bhd. (collectively Brightway Group)"
    )
    assert _parties(cell) == [
        ("Brightway Holdings Sdn. Bhd.", "organization", ("collectively Brightway Group",)),
        ("Laglove (M) Sdn. Bhd.", "organization", ("collectively Brightway Group",)),
        ("Biopro (M) Sdn. Bhd.", "organization", ("collectively Brightway Group",)),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "Fishing Vessel: Da Wang, owned by Dalian Ocean Fishing Co. Ltd",
        "Fishing vessel Da Wang (owned by Dalian Ocean Fishing Co. Ltd)",
    ],
)
def test_owner_is_a_relation_not_part_of_the_name(cell: str) -> None:
    assert _parties(cell, "CN") == [("Da Wang", "vessel", ("owned by Dalian Ocean Fishing Co. Ltd",))]


def test_of_city_country_is_where_the_party_is() -> None:
    assert _parties("Marubeni Corporation (of Nagoya, Japan)", "JP") == [
        ("Marubeni Corporation", "organization", ("of Nagoya, Japan",))
    ]


def test_trailing_address_leaves_the_name() -> None:
    assert _parties("State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico", "MX") == [
        ("State Penitentiary", "organization", ("Ciudad Victoria, Tamaulipas, Mexico",))
    ]


@pytest.mark.parametrize("cell", ["subsidiaries", "and its subsidiaries", "Shanghai", "", "  ;  "])
def test_relation_word_bare_city_or_empty_is_never_a_party(cell: str) -> None:
    assert parse_entity_cell(cell, country="CN") == ()


def test_relation_word_or_city_after_a_party_qualifies_it() -> None:
    assert _parties("Hoshine Silicon Industry Co., Ltd.; subsidiaries", "CN") == [
        ("Hoshine Silicon Industry Co., Ltd.", "organization", ("subsidiaries",))
    ]
    assert _parties("Hoshine Silicon Industry Co., Ltd., subsidiaries", "CN") == [
        ("Hoshine Silicon Industry Co., Ltd.", "organization", ("subsidiaries",))
    ]
    assert _parties("Huizhou Mink Industrial Co., Ltd.; Shanghai", "CN") == [
        ("Huizhou Mink Industrial Co., Ltd.", "organization", ("Shanghai",))
    ]


def test_company_lists_and_legal_forms_are_not_addresses() -> None:
    assert [p[0] for p in _parties("Kingtom Aluminio S.R.L., Dominican Republic", "DO")] == ["Kingtom Aluminio S.R.L."]
    assert [p[0] for p in _parties("Smart Glove Holdings Sdn Bhd, Smart Glove Corporation Sdn Bhd")] == [
        "Smart Glove Holdings Sdn Bhd",
        "Smart Glove Corporation Sdn Bhd",
    ]


def test_cbp_list_rows_carry_the_qualifier_forms(tmp_path: Path) -> None:
    row = ["1/1/2022", "2022", "{cc}", "{country}", "Goods", "WRO", "", "Active", "", "{entity}", ""]
    cells = [
        ("MY", "Malaysia", "Brightway Holdings Sdn. Bhd., Laglove (M) Sdn. Bhd. (collectively Brightway Group)"),
        ("CN", "China", "Fishing Vessel: Da Wang, owned by Dalian Ocean Fishing Co. Ltd"),
        ("MX", "Mexico", "State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico"),
        ("CN", "China", "subsidiaries"),
    ]
    rows = [
        [v.format(cc=cc, country=country, entity=entity) for v in row[:9]] + [entity, ""]
        for cc, country, entity in cells
    ]
    for i, r in enumerate(rows):
        r[4] = f"Goods {i}"
    result = parse_cbp_wro(write_csv(tmp_path / "wro.csv", rows))
    assert result.errors == []
    by_country = {(r.country_code, r.merchandise): r.parties for r in result.records}
    assert [p.name for p in by_country[("MY", "Goods 0")]] == ["Brightway Holdings Sdn. Bhd.", "Laglove (M) Sdn. Bhd."]
    assert by_country[("CN", "Goods 1")][0].qualifiers == ("owned by Dalian Ocean Fishing Co. Ltd",)
    assert by_country[("MX", "Goods 2")][0].name == "State Penitentiary"
    assert by_country[("CN", "Goods 3")] == ()
