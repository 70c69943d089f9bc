"""The IPR API and pages: what a rights holder gets before and after the importer's window, cross-holder
denial, the importer's unredacted photos at any time, disclosures logged, queue items, the PDF standard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from section307.core.queue import queue_for
from section307.ipr import services
from section307.ipr.models import Disclosure, HolderResponse, IprDetention
from tests.ipr.conftest import IprWorld, add_required_photos

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _noticed(w: IprWorld) -> tuple[IprDetention, list]:  # type: ignore[type-arg]
    images = add_required_photos(w)
    d = services.ipr_notice_send(actor=w.officer, detention=w.detention, on=D(2026, 3, 3))
    return d, images


def _disclosed(w: IprWorld) -> IprDetention:
    return services.ipr_disclose(
        actor=w.officer, detention=w.detention, now=dt.datetime(2026, 3, 13, 14, tzinfo=dt.UTC)
    )


def test_holder_api_before_and_after_the_importers_window(ipr: IprWorld) -> None:
    d, images = _noticed(ipr)
    client = _client(ipr.holder)
    listed = client.get("/api/v1/ipr/detentions").json()
    assert [row["id"] for row in listed] == [d.pk] and listed[0]["recordations"][0]["number"] == "TMK 24-00417"
    body = client.get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert body["disclosed"] is False and body["codes"] is None
    assert body["importation"]["port_of_entry"] == "2704" and body["importation"]["country_of_origin"] == "CN"
    assert {i["redacted"] for i in body["images"]} == {True}
    assert {c["kind"]: c["citation"] for c in body["clocks"]}["ipr_importer_reply"] == "19 CFR 133.21(b)"
    # The unredacted file is refused (404) before disclosure; the redacted copy is served and logged.
    assert client.get(reverse("ipr:image_file", args=[images[0].pk, "image"])).status_code == 404
    redacted = client.get(reverse("ipr:image_file", args=[images[0].pk, "redacted"]))
    assert redacted.status_code == 200 and redacted["Content-Type"] == "image/jpeg"
    assert Disclosure.objects.filter(what="redacted_image", recipient=ipr.holder, image=images[0]).exists()
    _disclosed(ipr)
    body = client.get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert body["disclosed"] is True and {i["redacted"] for i in body["images"]} == {False}
    assert [c["value"] for c in body["codes"]] == ["084562319072", "SP-BP-30L"]
    assert client.get(reverse("ipr:image_file", args=[images[0].pk, "image"])).status_code == 200
    assert Disclosure.objects.filter(what="unredacted_image", recipient=ipr.holder).count() == 1
    assert Disclosure.objects.filter(what="codes", channel="api").count() == 1


def test_another_holder_gets_404_everywhere(ipr: IprWorld) -> None:
    d, images = _noticed(ipr)
    _disclosed(ipr)
    client = _client(ipr.other_holder)
    assert client.get("/api/v1/ipr/detentions").json() == []
    assert client.get(f"/api/v1/ipr/detentions/{d.pk}").status_code == 404
    answer = client.post(
        f"/api/v1/ipr/detentions/{d.pk}/response", json.dumps({"answer": "genuine"}), content_type="application/json"
    )
    assert answer.status_code == 404
    assert client.get(reverse("ipr:detention_detail", args=[d.pk])).status_code == 404
    assert client.get(reverse("ipr:image_file", args=[images[0].pk, "redacted"])).status_code == 404
    assert not Disclosure.objects.filter(recipient=ipr.other_holder).exists()


def test_holder_answers_through_the_api_and_the_rule_is_named_when_too_early(ipr: IprWorld) -> None:
    d, _ = _noticed(ipr)
    client = _client(ipr.holder)
    url = f"/api/v1/ipr/detentions/{d.pk}/response"
    early = client.post(url, json.dumps({"answer": "counterfeit"}), content_type="application/json")
    assert early.status_code == 409 and early.json()["rule"] == "19 CFR 133.21(b)"
    _disclosed(ipr)
    bad = client.post(url, json.dumps({"answer": "maybe"}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "answer"
    done = client.post(url, json.dumps({"answer": "counterfeit", "note": "Stitching"}), content_type="application/json")
    assert done.status_code == 201 and done.json()["answer"] == "counterfeit"
    assert HolderResponse.objects.get(detention=d).recordation == ipr.recordation
    # The importer and staff may read the detention but not answer for the rights holder.
    for user in (ipr.importer, ipr.officer):
        assert (
            _client(user).post(url, json.dumps({"answer": "genuine"}), content_type="application/json").status_code
            == 403
        )


def test_the_importer_sees_unredacted_photos_at_any_time_and_each_is_logged(ipr: IprWorld) -> None:
    d, images = _noticed(ipr)
    client = _client(ipr.importer)
    page = client.get(reverse("ipr:detention_detail", args=[d.pk]))
    assert page.status_code == 200 and "Show that the goods are genuine" in page.content.decode()
    assert client.get(reverse("ipr:image_file", args=[images[1].pk, "image"])).status_code == 200
    row = Disclosure.objects.get(recipient=ipr.importer)
    assert row.what == "unredacted_image" and row.recipient_kind == "importer"
    reply = client.post(reverse("ipr:importer_reply", args=[d.pk]), {"text": "Licence attached"})
    assert reply.status_code == 302 and IprDetention.objects.get(pk=d.pk).importer_reply == "Licence attached"
    assert _client(ipr.other_importer).get(reverse("ipr:detention_detail", args=[d.pk])).status_code == 404


def test_holder_page_shows_redacted_then_unredacted_and_logs_the_view(ipr: IprWorld) -> None:
    d, images = _noticed(ipr)
    client = _client(ipr.holder)
    html = client.get(reverse("ipr:detention_detail", args=[d.pk])).content.decode()
    assert reverse("ipr:image_file", args=[images[0].pk, "redacted"]) in html
    assert reverse("ipr:image_file", args=[images[0].pk, "image"]) not in html and "SP-BP-30L" not in html
    _disclosed(ipr)
    html = client.get(reverse("ipr:detention_detail", args=[d.pk])).content.decode()
    assert reverse("ipr:image_file", args=[images[0].pk, "image"]) in html and "SP-BP-30L" in html
    assert list(Disclosure.objects.filter(recipient=ipr.holder).values_list("what", flat=True).order_by("id")) == [
        "limited",
        "limited",
        "codes",
    ]


def test_officer_walks_the_timeline_on_the_page(ipr: IprWorld) -> None:
    client = _client(ipr.officer)
    url = reverse("ipr:detention_detail", args=[ipr.detention.pk])
    assert client.post(reverse("ipr:detention_action", args=[ipr.detention.pk, "send_notice"])).status_code == 302
    assert IprDetention.objects.get(pk=ipr.detention.pk).status == "noticed"
    # Disclosure is refused while the window runs; the message names the rule.
    page = client.post(reverse("ipr:detention_action", args=[ipr.detention.pk, "disclose"]), follow=True)
    assert "19 CFR 133.21(b)" in page.content.decode()
    assert IprDetention.objects.get(pk=ipr.detention.pk).status == "noticed"
    missing = client.post(reverse("ipr:detention_action", args=[ipr.detention.pk, "release"]), {"reason": ""})
    assert missing.status_code == 400
    assert (
        client.post(
            reverse("ipr:detention_action", args=[ipr.detention.pk, "release"]), {"reason": "Licensee invoices"}
        ).status_code
        == 302
    )
    assert "Released" in client.get(url).content.decode()


def test_the_photo_upload_refuses_a_file_that_is_not_an_image(ipr: IprWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(ipr.officer)
    bad = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(
        reverse("ipr:photo_upload", args=[ipr.detention.pk]), {"photo": bad, "shot_type": "product", "caption": "Bag"}
    )
    assert response.status_code == 400 and not ipr.detention.images.exists()


def test_queues_say_who_acts_next_and_by_when(ipr: IprWorld) -> None:
    now = dt.datetime(2026, 3, 4, 14, tzinfo=dt.UTC)
    officer_items = queue_for(ipr.officer, now=now)
    assert [(i.kind, i.due) for i in officer_items if i.kind.startswith("ipr.")] == [("ipr.notice_due", D(2026, 3, 9))]
    _noticed(ipr)
    importer = [i for i in queue_for(ipr.importer, now=now) if i.kind.startswith("ipr.")]
    assert [(i.kind, i.due, i.rule) for i in importer] == [("ipr.importer_reply", D(2026, 3, 12), "19 CFR 133.21(b)")]
    assert not [i for i in queue_for(ipr.holder, now=now) if i.kind.startswith("ipr.")]
    _disclosed(ipr)
    later = dt.datetime(2026, 3, 13, 14, tzinfo=dt.UTC)
    holder = [i for i in queue_for(ipr.holder, now=later) if i.kind.startswith("ipr.")]
    assert [(i.kind, i.due) for i in holder] == [("ipr.holder_answer", D(2026, 4, 1))]
    assert not [i for i in queue_for(ipr.other_holder, now=later) if i.kind.startswith("ipr.")]
    services.holder_respond(actor=ipr.holder, detention=ipr.detention, answer="counterfeit")
    assert not [i for i in queue_for(ipr.holder, now=later) if i.kind.startswith("ipr.")]
    assert [i.kind for i in queue_for(ipr.officer, now=later) if i.kind.startswith("ipr.")] == ["ipr.decide"]


def test_the_published_photo_standard_is_a_pdf_from_the_same_configuration(client: Client) -> None:
    import io

    from pypdf import PdfReader

    response = client.get(reverse("ipr:photo_standard"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    from section307.ipr.photostandard import SHOT_TYPES

    for shot in SHOT_TYPES:
        assert str(shot.label) in text
    assert "Labels and markings" in text and "Required" in text


def test_staff_page_creates_a_rights_holder_account(ipr: IprWorld, make_user) -> None:  # type: ignore[no-untyped-def]
    from section307.accounts import roles

    client = _client(make_user(roles.ADMINISTRATOR))
    url = reverse("ipr:recordation_detail", args=[ipr.recordation.pk])
    page = client.post(url, {"username": "brand2", "email": "b2@summit.example.com"})
    assert page.status_code == 200 and 'id="first-password"' in page.content.decode()
    assert ipr.recordation.holders.filter(username="brand2").exists()
    dup = client.post(url, {"username": "brand2", "email": "b3@summit.example.com"})
    assert dup.status_code == 400 and "taken" in dup.content.decode()
