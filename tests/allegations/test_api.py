"""The public API: submit (JSON and multipart), status and messages by receipt code, errors, rate limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from section307.accounts import roles
from section307.allegations import services
from section307.allegations.models import Allegation, AllegationStatus

from .conftest import jpeg_with_gps, pdf_with_author

pytestmark = pytest.mark.django_db

URL = "/api/v1/allegations"
BODY = {
    "reasons": "Workers at the Klang glove plant paid recruitment fees and their passports are held by managers.",
    "source_type": "worker_testimony",
    "merchandise": "Disposable nitrile examination gloves",
    "hts_code": "4015.19",
    "country": "MY",
    "parties": [{"role": "manufacturer", "name": "Selangor Nitrile Industries Berhad", "country": "MY"}],
    "indicators": [{"indicator": "debt_bondage", "observation": "Fees of 4 months' wages, deducted monthly."}],
    "shipment_refs": [{"kind": "bill_of_lading", "value": "MAEU123456789"}],
}


def post_json(client: Client, body: Any, **extra: Any) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


def test_submit_json(client: Client, countries: None) -> None:
    response = post_json(client, BODY)
    assert response.status_code == 201, response.content
    payload = response.json()
    assert payload["status"] == "received"
    code = payload["receipt_code"]
    assert len(code) == 24 and code.count("-") == 4
    allegation = Allegation.objects.get()
    assert allegation.named_parties.get().name == "Selangor Nitrile Industries Berhad"
    assert allegation.shipment_refs == [{"kind": "bill_of_lading", "value": "MAEU123456789"}]
    assert allegation.is_anonymous


def test_submit_multipart_with_files_returns_hashes(client: Client, countries: None) -> None:
    import hashlib

    photo = jpeg_with_gps()
    response = client.post(
        URL,
        data={
            "data": json.dumps(BODY),
            "files": [
                SimpleUploadedFile("gate.jpg", photo, "image/jpeg"),
                SimpleUploadedFile("payslip.pdf", pdf_with_author(), "application/pdf"),
            ],
        },
    )
    assert response.status_code == 201, response.content
    files = response.json()["files"]
    assert {f["kind"] for f in files} == {"image", "pdf"}
    assert hashlib.sha256(photo).hexdigest() in {f["sha256"] for f in files}
    assert Allegation.objects.get().attachments.count() == 2


def test_file_type_is_checked_from_content_in_the_api(client: Client, countries: None) -> None:
    response = client.post(
        URL, data={"data": json.dumps(BODY), "files": [SimpleUploadedFile("photo.jpg", b"MZ" + b"\x00" * 500)]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files.0"
    assert Allegation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"reasons", "source_type", "merchandise"}),
        ({**BODY, "reasons": ""}, {"reasons"}),
        ({**BODY, "source_type": "rumour"}, {"source_type"}),
        ({**BODY, "hts_code": "12345"}, {"hts_code"}),
        ({**BODY, "country": "XX"}, {"country"}),
        ({**BODY, "indicators": [{"indicator": "sadness", "observation": "x"}]}, {"indicators.0.indicator"}),
        ({**BODY, "parties": "not a list"}, {"parties"}),
        ({**BODY, "sample_available": {"nested": True}}, {"sample_available"}),
        ({**BODY, "reasons": "x" * 20001}, {"reasons"}),
        ({**BODY, "contact_allowed": True, "contact_method": "email"}, {"identity.email"}),
    ],
)
def test_validation_errors_name_the_field(client: Client, countries: None, body: Any, fields: set[str]) -> None:
    response = post_json(client, body)
    assert response.status_code == 422, response.content
    reported = {e["field"] for e in response.json()["errors"]}
    assert fields <= reported, reported
    assert Allegation.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2, 3]", "application/json", 422),
        ("null", "application/json", 422),
        ('"a string"', "application/json", 422),
        ("\udcff".encode("utf-8", "surrogatepass"), "application/json", 400),
        ("reasons=x", "application/x-www-form-urlencoded", 415),
        ("<xml/>", "text/xml", 415),
    ],
)
def test_malformed_bodies_never_500(client: Client, data: Any, content_type: str, status: int) -> None:
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code == status, response.content
    assert "detail" in response.json()


def test_multipart_without_data_part(client: Client) -> None:
    response = client.post(URL, data={"files": [SimpleUploadedFile("a.txt", b"hello")]})
    assert response.status_code == 422


def test_status_and_messages_by_receipt_code(client: Client, countries: None, make_user: Any) -> None:
    code = post_json(client, BODY).json()["receipt_code"]
    # Case, dashes and spaces do not matter when the code is sent back.
    response = client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=code.lower().replace("-", " "))
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["messages"] == []

    analyst = make_user(roles.ANALYST)
    services.allegation_ask(actor=analyst, allegation=Allegation.objects.get(), question="Which shift?")
    status = client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=code).json()
    assert status["status"] == "more_information_requested"
    assert status["messages"][0]["direction"] == "question" and not status["messages"][0]["answered"]
    assert "analyst" not in json.dumps(status)  # no staff names reach the reporter

    reply = client.post(
        f"{URL}/messages",
        data=json.dumps({"body": "Night shift."}),
        content_type="application/json",
        HTTP_X_RECEIPT_CODE=code,
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["status"] == "under_review"
    assert Allegation.objects.get().status == AllegationStatus.IN_TRIAGE

    with_file = client.post(
        f"{URL}/messages",
        data={
            "data": json.dumps({"body": "Payslip attached"}),
            "files": [SimpleUploadedFile("p.pdf", pdf_with_author())],
        },
        HTTP_X_RECEIPT_CODE=code,
    )
    assert with_file.status_code == 201 and with_file.json()["files"][0]["kind"] == "pdf"
    empty = client.post(f"{URL}/messages", data="{}", content_type="application/json", HTTP_X_RECEIPT_CODE=code)
    assert empty.status_code == 422


def test_wrong_codes_get_one_answer_and_are_rate_limited(client: Client, countries: None, settings: Any) -> None:
    settings.SECTION307_ALLEGATION_LIMITS = {**settings.SECTION307_ALLEGATION_LIMITS, "receipt_rate": "3/m"}
    code = post_json(client, BODY).json()["receipt_code"]
    answers = set()
    for bad in ("", "short", "A" * 20, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"):
        r = client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=bad)
        answers.add((r.status_code, r.json()["detail"]))
    # Malformed and unknown codes are indistinguishable; after the limit even the right code waits.
    assert (401, "The receipt code is missing or does not open a report.") in answers
    assert client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=code).status_code == 429
    # Another client is not affected.
    assert client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=code, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_submission_flood_is_limited_and_loses_nothing(client: Client, countries: None, settings: Any) -> None:
    settings.SECTION307_ALLEGATION_LIMITS = {**settings.SECTION307_ALLEGATION_LIMITS, "submit_rate": "3/h"}
    codes = [post_json(client, BODY).json()["receipt_code"] for _ in range(3)]
    flood = [post_json(client, BODY).status_code for _ in range(5)]
    assert flood == [429] * 5
    assert Allegation.objects.count() == 3
    for code in codes:
        assert client.get(f"{URL}/status", HTTP_X_RECEIPT_CODE=code).status_code == 200


def test_openapi_documents_the_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/allegations"]["post"]
    content = post["requestBody"]["content"]
    assert "application/json" in content and "multipart/form-data" in content
    assert "reasons" in content["application/json"]["schema"]["properties"]
    assert "$ref" not in json.dumps(content["application/json"]["schema"]) or "#/$defs" not in json.dumps(content)
    status = schema["paths"]["/api/v1/allegations/status"]["get"]
    assert any(p["name"] == "X-Receipt-Code" for p in status["parameters"])
    assert "/api/v1/allegations/messages" in schema["paths"]
