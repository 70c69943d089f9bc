"""Applying parsed public lists to the database: all or nothing, idempotent, changes recorded."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from section307.geo.models import TipRanking
from section307.geo.services import regions_sync
from section307.goods.models import DolGoodListing
from section307.orders.models import EnforcementOrder, OrderEvent, OrderStatus
from section307.parties.models import Party
from section307.refdata.errors import ParseFailed
from section307.refdata.models import RefdataLoad
from section307.refdata.services import refdata_load

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def regions(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    regions_sync()


def _state() -> tuple[int, ...]:
    return (
        EnforcementOrder.objects.count(),
        OrderEvent.objects.count(),
        Party.objects.count(),
        DolGoodListing.objects.count(),
        TipRanking.objects.count(),
        RefdataLoad.objects.count(),
    )


def test_cbp_list_becomes_orders_with_separate_parties_and_scopes() -> None:
    report = refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    assert report.counts["orders created"] == report.records >= 14
    hoshine = EnforcementOrder.objects.get(merchandise="Silica-based products")
    link = hoshine.order_parties.get()
    assert link.party.name == "Hoshine Silicon Industry Co., Ltd." and link.qualifiers == ["and its subsidiaries"]
    two = EnforcementOrder.objects.get(merchandise="Apparel", country_id="CN")
    assert sorted(two.parties.values_list("name", flat=True)) == [
        "Baoding LYSZD Trade and Business Co., Ltd.",
        "Yili Zhuowan Garment Manufacturing Co., Ltd.",
    ]
    xuar = EnforcementOrder.objects.get(merchandise="Cotton and tomato products")
    assert list(xuar.regions.values_list("code", flat=True)) == ["CN-XJ"] and not xuar.parties.exists()
    turkmenistan = EnforcementOrder.objects.get(country_id="TM")
    assert turkmenistan.country_wide and not turkmenistan.parties.exists()
    vessel = Party.objects.get(name="Da Wang")
    assert vessel.kind == Party.Kind.VESSEL
    assert EnforcementOrder.objects.get(merchandise="Disposable gloves").status == OrderStatus.REVOKED
    assert RefdataLoad.objects.get().counts["orders created"] == report.records
    # A check-digit failure in a quoted IMO number is reported, and the vessel still loads.
    assert report.counts["identifiers ignored"] >= 1


def test_loading_the_same_list_twice_changes_nothing() -> None:
    refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    before = _state()
    report = refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    assert report.counts["orders unchanged"] == report.records
    assert set(report.counts) <= {"orders unchanged", "identifiers ignored"}
    assert _state()[:5] == before[:5]


def test_a_newer_list_records_revocations_and_amendments(tmp_path: Path) -> None:
    refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    newer = tmp_path / "cbp_wro_newer.csv"
    text = (FIXTURES / "cbp_wro.csv").read_text(encoding="utf-8")
    text = text.replace('"Dalian Ocean Fishing Co., Ltd.",', '"Dalian Ocean Fishing Co., Ltd.",Revoked 2024')
    text = text.replace(
        "5/28/2021,2021,CN,China,Seafood,WRO,Fishing,Active", "5/28/2021,2021,CN,China,Seafood,WRO,Fishing,Revoked"
    )
    newer.write_text(text, encoding="utf-8")
    report = refdata_load(source="cbp-wro", location=str(newer))
    dalian = EnforcementOrder.objects.get(parties__name="Dalian Ocean Fishing Co., Ltd.")
    assert dalian.status == OrderStatus.REVOKED
    kinds = list(dalian.events.values_list("kind", flat=True))
    assert kinds == ["issued", "amended", "revoked"]
    assert dalian.events.get(kind="amended").changes["remarks"] == ["", "Revoked 2024"]
    assert report.counts["orders status changed"] == 1
    assert report.counts["orders unchanged"] == report.records - 1


def test_bad_file_reports_every_row_and_leaves_the_database_as_it_was() -> None:
    refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    before = _state()
    with pytest.raises(ParseFailed) as failed:
        refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro_bad.csv"))
    messages = [str(e) for e in failed.value.errors]
    assert any("row 3, column 'Effective Date'" in m for m in messages)
    assert any("column 'WRO/Finding'" in m and "Detention" in m for m in messages)
    assert _state() == before


def test_command_prints_the_errors_and_says_nothing_was_loaded() -> None:
    with pytest.raises(CommandError, match="nothing was loaded and the database is unchanged") as failed:
        call_command("refdata", "load", "cbp-wro", str(FIXTURES / "cbp_wro_bad.csv"))
    assert "cbp_wro_bad.csv, row 3, column 'Effective Date'" in str(failed.value)
    assert EnforcementOrder.objects.count() == 0


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(ParseFailed, match="Entity"):
        refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro_missing_cols.csv"))


def test_dry_run_reports_without_saving() -> None:
    report = refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"), dry_run=True)
    assert report.counts["orders created"] == report.records and report.dry_run
    assert _state() == (0, 0, 0, 0, 0, 0)


def test_uflpa_entities_removed_from_the_list_are_revoked(tmp_path: Path) -> None:
    refdata_load(source="uflpa", location=str(FIXTURES / "uflpa_entity_list.csv"))
    listed = EnforcementOrder.objects.filter(order_type="uflpa_entity")
    assert listed.count() >= 4
    bitland = listed.get(parties__name="Hefei Bitland Information Technology Co., Ltd.")
    assert "Bitland" in bitland.order_parties.get().party.aliases()
    shorter = tmp_path / "uflpa.csv"
    lines = (FIXTURES / "uflpa_entity_list.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    shorter.write_text("".join(line for line in lines if "Bitland" not in line), encoding="utf-8")
    report = refdata_load(source="uflpa", location=str(shorter))
    bitland.refresh_from_db()
    assert bitland.status == OrderStatus.REVOKED
    assert report.counts["entities removed"] == 1
    assert "Removed from the UFLPA Entity List" in bitland.events.get(kind="revoked").note


def test_dol_and_tip_lists_load_and_reload_idempotently() -> None:
    refdata_load(source="dol-goods", location=str(FIXTURES / "dol_goods.csv"))
    refdata_load(source="tip", location=str(FIXTURES / "tip_tiers.csv"))
    before = _state()
    assert DolGoodListing.objects.filter(good__name="Polysilicon", country_id="CN", forced_labor=True).exists()
    assert TipRanking.objects.get(country_id="MM", year=2024).tier == "3"
    again = refdata_load(source="dol-goods", location=str(FIXTURES / "dol_goods.csv"))
    assert set(again.counts) == {"listings unchanged"}
    refdata_load(source="tip", location=str(FIXTURES / "tip_tiers.csv"))
    assert _state()[:5] == before[:5]


def test_file_url_and_copy_are_accepted(tmp_path: Path) -> None:
    copy = tmp_path / "list.csv"
    shutil.copy(FIXTURES / "tip_tiers.csv", copy)
    report = refdata_load(source="tip", location=copy.as_uri())
    assert report.counts["tiers added"] == report.records


def test_19_cfr_12_42f_finding_publication_columns_are_loaded_when_the_list_has_them(tmp_path: Path) -> None:
    lines = (FIXTURES / "cbp_wro.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",Federal Register,FR Date,Customs Bulletin,CB Date"
    rows = [
        line + (",87 FR 4637,1/28/2022,Vol. 56 No. 4,2/2/2022" if "Sime Darby" in line else ",,,,")
        for line in lines[1:]
    ]
    with_fr = tmp_path / "cbp_wro_fr.csv"
    with_fr.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    refdata_load(source="cbp-wro", location=str(with_fr))
    sime = EnforcementOrder.objects.get(parties__name__startswith="Sime Darby", order_type="finding")
    assert (sime.fr_citation, sime.fr_published_on.isoformat()) == ("87 FR 4637", "2022-01-28")
    assert sime.cb_citation == "Vol. 56 No. 4" and sime.published_on == sime.fr_published_on
    other = EnforcementOrder.objects.exclude(pk=sime.pk).first()
    assert other is not None and other.fr_citation == "" and other.fr_published_on is None
