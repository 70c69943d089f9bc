"""The officer's pages: upload a manifest, see refused rows, decide a group, decide its detention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from section307.accounts import roles
from section307.parcels.models import Manifest, ParcelDetention, ParcelGroup

from .conftest import csv_bytes, listed, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


def _upload(c: Client, data: bytes, **over: str) -> Any:
    # Presented today: the 3-month proof period of a WRO detention is running.
    form = {"source": "postal", "carrier": "Post", "presented_on": timezone.localdate().isoformat(), "port": "2704"}
    form.update(over)
    return c.post("/port/parcels/manifests/new/", {**form, "file": SimpleUploadedFile("m.csv", data)}, follow=True)


def test_upload_group_detain_and_decide(registry: Any, officer_client: Client) -> None:
    r = _upload(
        officer_client, csv_bytes([listed(1, consignee="A"), listed(2, consignee="B"), row(3), row(4, value_usd="?")])
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "Rows refused" in page and "value_usd" in page
    g = ParcelGroup.objects.get()
    r = officer_client.get(f"/port/parcels/groups/{g.pk}/")
    assert "Decide the whole group" in r.content.decode()
    r = officer_client.post(
        f"/port/parcels/groups/{g.pk}/", {"action": "detain", "reason": "Listed seller.", "notice_to": ""}, follow=True
    )
    d = ParcelDetention.objects.get()
    assert r.redirect_chain[-1][0] == f"/port/parcels/detentions/{d.pk}/"
    page = r.content.decode()
    assert "19 CFR 12.43" in page and "2 notices" in page
    r = officer_client.post(f"/port/parcels/detentions/{d.pk}/decide/", {"outcome": "exclude", "reason": "x"})
    assert r.status_code == 400 and "19 CFR 12.44(a)" in r.content.decode()
    r = officer_client.post(
        f"/port/parcels/detentions/{d.pk}/decide/", {"outcome": "export", "reason": "Returned."}, follow=True
    )
    d.refresh_from_db()
    assert d.status == "exported"
    assert "Exported" in officer_client.get("/port/parcels/p/TRK000000001/").content.decode()


def test_bulk_detention_from_the_group_list(
    registry: Any, officer_client: Client, receive: Callable[..., Manifest]
) -> None:
    a = receive([listed(1)]).groups.get()
    b = receive([listed(2)]).groups.get()
    r = officer_client.post(
        "/port/parcels/groups/detain/", {"groups": [a.pk, b.pk], "reason": "Listed seller.", "notice_to": "consignee"}
    )
    assert r.status_code == 302
    assert ParcelDetention.objects.count() == 2
    r = officer_client.post("/port/parcels/groups/detain/", {"groups": [a.pk], "reason": "again"})
    assert r.status_code == 400  # no longer pending: not a choice


def test_a_refused_file_shows_why(registry: Any, officer_client: Client) -> None:
    r = _upload(officer_client, csv_bytes([row(1)], columns=["tracking_number", "consignee"]))
    assert "none of its rows were kept" in r.content.decode()
    r = _upload(officer_client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert r.status_code == 400 and "not accepted" in r.content.decode()
    assert Manifest.objects.count() == 1


def test_template_lists_every_column(officer_client: Client) -> None:
    r = officer_client.get("/port/parcels/template.csv")
    header = r.content.decode().splitlines()[0]
    assert header.startswith("tracking_number,master_bill,carrier,seller")
    assert r["Content-Disposition"].endswith('.csv"')


def test_analysts_read_but_do_not_decide(
    registry: Any, receive: Callable[..., Manifest], client_as: Callable[..., Client]
) -> None:
    g = receive([listed(1)]).groups.get()
    c = client_as(roles.ANALYST)
    page = c.get(f"/port/parcels/groups/{g.pk}/").content.decode()
    assert "Decide the whole group" not in page
    assert c.post(f"/port/parcels/groups/{g.pk}/", {"action": "release", "reason": "x"}).status_code == 404
    g.refresh_from_db()
    assert g.status == "pending"
