"""Manifests stored and screened, parcels grouped, groups detained and decided in bulk on the entry rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from section307.accounts import roles
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.queue import queue_for
from section307.core.uploads import UploadRejected
from section307.parcels import services
from section307.parcels.models import Manifest, Parcel, ParcelDetention, ParcelGroup
from section307.ports import law
from section307.ports.calendars import business_calendar

from .conftest import HAMI, TIANSHAN, csv_bytes, listed, row

pytestmark = pytest.mark.django_db


def test_good_rows_are_stored_and_bad_rows_reported_by_row_column_and_reason(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    rows = [row(1), listed(2), row(3, value_usd="abc"), row(4, consignee=""), row(1), listed(5)]
    m = receive(csv_bytes(rows))
    assert m.status == Manifest.Status.SCREENED
    assert (m.rows_read, m.rows_stored, m.rows_rejected) == (6, 3, 3)
    assert {(e["row"], e["column"]) for e in m.row_errors} == {
        (3, "value_usd"),
        (4, "consignee"),
        (5, "tracking_number"),
    }
    dup = next(e for e in m.row_errors if e["row"] == 5)
    assert "appears earlier in this file" in dup["reason"]
    assert set(Parcel.objects.values_list("row", flat=True)) == {1, 2, 6}


def test_a_tracking_number_already_received_is_refused_and_the_stored_parcel_kept(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    first = receive([listed(1), row(2)])
    second = receive([listed(1, consignee="Someone else"), row(3)])
    assert second.rows_stored == 1
    assert second.row_errors == [
        {"row": 1, "column": "tracking_number", "reason": f"TRK000000001 was already received (manifest {first.pk})"}
    ]
    assert Parcel.objects.get(tracking_number="TRK000000001").manifest == first


def test_an_unreadable_file_is_refused_whole_and_other_manifests_are_untouched(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    kept = receive([row(1), row(2)])
    refused = receive(csv_bytes([row(3)], columns=["tracking_number", "seller", "consignee"]))
    assert refused.status == Manifest.Status.FAILED
    assert "description" in refused.failure and refused.rows_stored == 0
    assert not Parcel.objects.filter(manifest=refused).exists()
    assert Parcel.objects.filter(manifest=kept).count() == 2


def test_a_failure_midway_removes_what_the_manifest_stored(
    registry: Any, receive: Callable[..., Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from section307.parcels import ingest

    kept = receive([row(90)])
    real = ingest.read_chunks

    def broken(*args: Any, **kwargs: Any) -> Any:
        for i, chunk in enumerate(real(*args, **{**kwargs, "size": 2})):
            if i == 1:
                raise OSError("disk went away")
            yield chunk

    monkeypatch.setattr(ingest, "read_chunks", broken)
    m = receive([row(i) for i in range(1, 6)])
    assert m.status == Manifest.Status.FAILED
    assert not Parcel.objects.filter(manifest=m).exists()
    assert Parcel.objects.filter(manifest=kept).count() == 1


def test_files_that_are_not_text_or_parquet_are_refused(officer: Any, presented: dt.date) -> None:
    from .conftest import upload

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(UploadRejected) as exc:
        services.manifest_receive(
            actor=officer, source="postal", carrier="P", presented_on=presented, upload=upload(png)
        )
    assert exc.value.reason == "type_not_accepted"
    assert not Manifest.objects.exists()


def test_parcels_of_one_listed_seller_form_one_group_whatever_the_spelling_consignee_or_language(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    rows = [
        listed(1, consignee="A"),
        listed(2, consignee="B", seller=TIANSHAN.upper()),
        listed(3, consignee="C", description="纯棉T恤"),
        listed(4, consignee="D", description="camiseta de algodón"),
        *[row(i) for i in range(10, 30)],
    ]
    m = receive(rows)
    groups = list(m.groups.all())
    assert len(groups) == 1
    g = groups[0]
    assert (g.parcel_count, g.consignee_count, g.decision, g.order_reference) == (4, 4, "hit", "WRO-2023-0001")
    assert g.order == registry["wro"]
    assert "Seller" in g.reasons and "Manufacturer" not in g.reasons
    assert set(g.parcels.values_list("status", flat=True)) == {Parcel.Status.HELD}
    assert Parcel.objects.filter(manifest=m, status=Parcel.Status.CLEARED).count() == 20
    # The foreign descriptions reached the same goods keys as the English one.
    for tn in ("TRK000000003", "TRK000000004"):
        goods = {s.get("detail", "") for s in Parcel.objects.get(tracking_number=tn).signals}
        assert any("cotton" in d for d in goods), goods


def test_the_officer_queue_shows_each_group_with_the_1499c1_deadline(
    registry: Any, receive: Callable[..., Manifest], officer: Any, make_user: Callable[..., Any], presented: dt.date
) -> None:
    m = receive([listed(1), listed(2)])
    g = m.groups.get()
    items = [i for i in queue_for(officer) if i.kind == "parcels.group_decision"]
    assert len(items) == 1
    assert items[0].due == law.due_date(law.DECISION, presented, business=business_calendar())
    assert items[0].rule == law.rule(law.DECISION).citation
    assert str(g.pk) in items[0].url
    assert not [i for i in queue_for(make_user(roles.ANALYST)) if i.kind.startswith("parcels.")]


def test_detaining_a_group_holds_every_parcel_with_one_notice_per_consignee_and_the_entry_clocks(
    registry: Any, receive: Callable[..., Manifest], officer: Any, presented: dt.date
) -> None:
    m = receive([listed(i, consignee=f"C{i % 3}") for i in range(1, 10)], source="postal")
    g = m.groups.get()
    d = services.group_detain(actor=officer, group=g, reason="Seller named in the WRO.")
    assert d.regime == "wro" and d.notice_to == "consignee"
    assert set(Parcel.objects.filter(group=g).values_list("status", flat=True)) == {"detained"}
    notices = list(d.notices.all())
    assert sorted(n.addressee for n in notices) == ["C0", "C1", "C2"]
    assert sum(len(n.tracking_numbers) for n in notices) == 9
    assert "TRK000000003" in next(n for n in notices if n.addressee == "C0").body
    clocks = {c.kind: c for c in d.clocks.all()}
    business = business_calendar()
    assert clocks[law.DECISION].due_date == law.due_date(law.DECISION, presented, business=business)
    assert not clocks[law.DECISION].running and not clocks[law.NOTICE].running
    # WRO: the 3 months of 19 CFR 12.43 from importation, as for entries.
    assert clocks[law.ADMISSIBILITY].due_date == law.due_date(law.ADMISSIBILITY, presented)
    assert clocks[law.ADMISSIBILITY].citation == "19 CFR 12.43"
    g.refresh_from_db()
    assert g.status == ParcelGroup.Status.DETAINED
    with pytest.raises(Conflict):
        services.group_detain(actor=officer, group=g, reason="again")


def test_express_manifests_send_one_notice_per_carrier(
    registry: Any, receive: Callable[..., Manifest], officer: Any
) -> None:
    m = receive(
        [listed(1, carrier="Fast Air"), listed(2, carrier="Fast Air"), listed(3)],
        source="express",
        carrier="Home Carrier",
    )
    d = services.group_detain(actor=officer, group=m.groups.get(), reason="Listed seller.")
    assert d.notice_to == "carrier"
    assert {n.addressee: len(n.tracking_numbers) for n in d.notices.all()} == {"Fast Air": 2, "Home Carrier": 1}


def test_one_decision_for_many_parcels_follows_the_disposition_rules(
    registry: Any, receive: Callable[..., Manifest], officer: Any, presented: dt.date
) -> None:
    m = receive([listed(i) for i in range(1, 6)])
    d = services.group_detain(actor=officer, group=m.groups.get(), reason="Listed seller.")
    # WRO: exclusion waits for the end of the 12.43 proof period.
    with pytest.raises(Conflict) as exc:
        services.detention_decide(actor=officer, detention=d, outcome="exclude", reason="No proof.")
    assert exc.value.rule == "19 CFR 12.44(a)"
    # Seizure is for Findings only; release needs headquarters' determination.
    with pytest.raises(Conflict):
        services.detention_decide(actor=officer, detention=d, outcome="seize", reason="x")
    with pytest.raises(Conflict):
        services.detention_decide(actor=officer, detention=d, outcome="release", reason="x")
    after = law.due_date(law.ADMISSIBILITY, presented) + dt.timedelta(days=1)
    decision = services.detention_decide(
        actor=officer, detention=d, outcome="exclude", reason="No proof in 3 months.", today=after
    )
    assert decision.parcel_count == 5
    assert set(Parcel.objects.filter(group=d.group).values_list("status", flat=True)) == {"excluded"}
    d.refresh_from_db()
    assert d.status == "excluded" and d.exclusion_date == after
    running = {c.kind: c.due_date for c in d.clocks.filter(running=True)}
    assert running == {
        law.ABANDONMENT: law.due_date(law.ABANDONMENT, after),
        law.PROTEST_FILING: law.due_date(law.PROTEST_FILING, after),
    }
    exported = services.detention_decide(actor=officer, detention=d, outcome="export", reason="Carrier returns them.")
    assert exported.parcel_count == 5
    assert set(Parcel.objects.filter(group=d.group).values_list("status", flat=True)) == {"exported"}


def test_uflpa_parcels_run_the_documentation_and_deemed_exclusion_periods(
    registry: Any, receive: Callable[..., Manifest], officer: Any, presented: dt.date
) -> None:
    rows = [
        row(i, seller=HAMI, seller_address="Hami, Xinjiang", description="solar panel", origin_country="CN")
        for i in range(1, 4)
    ]
    m = receive(rows)
    d = services.group_detain(actor=officer, group=m.groups.get(), reason="UFLPA Entity List.")
    assert d.regime == "uflpa"
    clocks = {c.kind: c.due_date for c in d.clocks.filter(running=True)}
    today = timezone.localdate()
    assert clocks == {
        law.RESPONSE: law.due_date(law.RESPONSE, today),
        law.DEEMED_EXCLUSION: law.due_date(law.DEEMED_EXCLUSION, presented),
    }
    later = clocks[law.RESPONSE] + dt.timedelta(days=1)
    # With proof on file, exclusion waits for headquarters.
    services.detention_record_proof(
        actor=officer, detention=d, received_on=today, note="Supply-chain map from the carrier."
    )
    d.refresh_from_db()
    blocks = services.allowed_outcomes(d, today=min(later, clocks[law.DEEMED_EXCLUSION]))
    assert blocks["exclude"] is not None and blocks["export"] is None
    # Past the deemed exclusion of 1499(c)(5)(A), exclusion is allowed.
    past = clocks[law.DEEMED_EXCLUSION] + dt.timedelta(days=1)
    assert services.allowed_outcomes(d, today=past)["exclude"] is None


def test_releasing_a_group_releases_its_parcels(registry: Any, receive: Callable[..., Manifest], officer: Any) -> None:
    m = receive([listed(1), listed(2)])
    g = services.group_release(actor=officer, group=m.groups.get(), reason="The seller is a namesake in Vietnam.")
    assert g.status == "released"
    assert set(g.parcels.values_list("status", flat=True)) == {"released"}
    with pytest.raises(InvalidInput):
        services.group_release(actor=officer, group=g, reason=" ")


def test_only_officers_decide_and_only_senders_send(
    registry: Any, receive: Callable[..., Manifest], make_user: Callable[..., Any], presented: dt.date
) -> None:
    m = receive([listed(1)])
    analyst = make_user(roles.ANALYST)
    with pytest.raises(NotPermitted):
        services.group_detain(actor=analyst, group=m.groups.get(), reason="x")
    with pytest.raises(NotPermitted):
        services.manifest_receive(
            actor=make_user(roles.TRADE_USER), source="postal", carrier="P", presented_on=presented, rows=[row(1)]
        )


def test_a_group_without_an_order_in_force_cannot_be_detained(
    registry: Any, receive: Callable[..., Manifest], officer: Any
) -> None:
    m = receive([listed(1)])
    g = m.groups.get()
    ParcelGroup.objects.filter(pk=g.pk).update(order=None)
    with pytest.raises(Conflict) as exc:
        services.group_detain(actor=officer, group=g, reason="x")
    assert exc.value.rule == "19 U.S.C. 1307"
    assert not ParcelDetention.objects.exists()


def test_bulk_detention_is_all_or_none(registry: Any, receive: Callable[..., Manifest], officer: Any) -> None:
    a = receive([listed(1)]).groups.get()
    b = receive([listed(2)]).groups.get()
    services.group_release(actor=officer, group=b, reason="namesake")
    with pytest.raises(Conflict):
        services.groups_detain(actor=officer, groups=[a, b], reason="Listed seller.")
    assert not ParcelDetention.objects.exists()
    assert Parcel.objects.get(tracking_number="TRK000000001").status == "held"
