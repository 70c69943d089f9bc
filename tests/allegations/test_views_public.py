"""The guided web form: steps, save-as-you-go, field errors, uploads, receipt, follow-up, abuse protection, i18n."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from section307.accounts import roles
from section307.allegations import services
from section307.allegations.models import Allegation, AllegationMessage, Attachment
from section307.core.models import AuditEvent

from .conftest import jpeg_with_gps, pdf_with_author

pytestmark = pytest.mark.django_db

STEP = "/report/step/{}/"
ANSWERS: dict[str, dict[str, Any]] = {
    "reasons": {
        "reasons": "Harvesters on the estate had their passports taken and owe recruitment debts to the agent.",
        "source_type": "worker_testimony",
    },
    "merchandise": {"merchandise": "Crude palm oil", "hts_code": "1511.10", "industry": "agriculture"},
    "production": {
        "country": "MY",
        "region_text": "Sandakan, Sabah",
        "supply_chain_stage": "raw_material",
        "party-TOTAL_FORMS": "4",
        "party-INITIAL_FORMS": "0",
        "party-0-name": "Borneo Crest Plantations Sdn. Bhd.",
        "party-0-role": "manufacturer",
        "party-0-country": "MY",
        "bill_of_lading": "MAEU123\nMAEU456",
    },
    "indicators": {"ind_debt_bondage": "on", "obs_debt_bondage": "Fees of five months' wages."},
    "evidence": {},
    "contact": {"identify": "anonymous", "contact_allowed": "no"},
}


def walk(client: Client, answers: dict[str, dict[str, Any]] | None = None) -> None:
    for slug, data in (answers or ANSWERS).items():
        response = client.post(STEP.format(slug), {**data, "action": "next"})
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


def send(client: Client) -> Any:
    return client.post(STEP.format("review"), {"confirm": "on"})


def test_full_anonymous_report(client: Client, countries: None) -> None:
    assert client.get("/report/").status_code == 200
    walk(client)
    review = client.get(STEP.format("review"))
    assert "Borneo Crest Plantations" in review.content.decode()
    response = send(client)
    assert response.status_code == 302 and response["Location"] == "/report/receipt/"
    allegation = Allegation.objects.get()
    assert allegation.is_anonymous and allegation.country_id == "MY"
    assert allegation.named_parties.get().name == "Borneo Crest Plantations Sdn. Bhd."
    assert allegation.shipment_refs == [
        {"kind": "bill_of_lading", "value": "MAEU123"},
        {"kind": "bill_of_lading", "value": "MAEU456"},
    ]
    receipt = client.get("/report/receipt/")
    body = receipt.content.decode()
    code = body.split('id="receipt-code">')[1].split("<")[0].strip()
    assert len(code.replace("-", "")) == 20
    # Shown once: a reload does not show it again, and the draft is gone.
    assert client.get("/report/receipt/").status_code == 302
    assert "allegation_draft" not in client.session
    # Follow up with the code.
    response = client.post("/report/follow-up/", {"code": code})
    assert response.status_code == 302
    status = client.get("/report/follow-up/status/")
    assert "Received" in status.content.decode()


def test_identified_report_stores_identity_encrypted(client: Client, countries: None) -> None:
    answers = {
        **ANSWERS,
        "contact": {
            "identify": "identified",
            "name": "Mira Santos",
            "email": "mira@example.org",
            "contact_allowed": "yes",
            "contact_method": "email",
        },
    }
    walk(client, answers)
    assert send(client).status_code == 302
    allegation = Allegation.objects.get()
    assert not allegation.is_anonymous and "Mira" not in allegation.identity_encrypted
    assert allegation.contact_method == "email"


def test_field_errors_are_shown_next_to_fields(client: Client) -> None:
    response = client.post(STEP.format("reasons"), {"reasons": "too short", "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_reasons-error"' in html and 'aria-invalid="true"' in html
    assert 'id="id_source_type-error"' in html
    assert "Please correct the following" in html


def test_contact_choice_must_be_reachable(client: Client) -> None:
    response = client.post(
        STEP.format("contact"),
        {"identify": "identified", "name": "A", "contact_allowed": "yes", "contact_method": "email", "action": "next"},
    )
    assert 'id="id_email-error"' in response.content.decode()


def test_save_as_you_go_survives_reload_and_back(client: Client) -> None:
    client.post(STEP.format("reasons"), {**ANSWERS["reasons"], "action": "next"})
    # An incomplete step is saved too, even when the reporter goes back.
    response = client.post(STEP.format("merchandise"), {"merchandise": "Half-typed desc", "action": "back"})
    assert response.status_code == 302 and response["Location"] == STEP.format("reasons")
    assert "Harvesters on the estate" in client.get(STEP.format("reasons")).content.decode()
    page = client.get(STEP.format("merchandise")).content.decode()
    assert "Half-typed desc" in page
    assert "usa-error-message" not in page  # saved data is shown without nagging


def test_review_lists_incomplete_steps_and_refuses_to_send(client: Client, countries: None) -> None:
    client.post(STEP.format("reasons"), {**ANSWERS["reasons"], "action": "next"})
    response = send(client)
    assert response.status_code == 400
    assert STEP.format("merchandise") in response.content.decode()
    assert Allegation.objects.count() == 0


def test_evidence_upload_in_draft_then_submitted(client: Client, countries: None) -> None:
    walk(client, {k: v for k, v in ANSWERS.items() if k in ("reasons", "merchandise", "production", "indicators")})
    photo = jpeg_with_gps()
    response = client.post(
        STEP.format("evidence"),
        {"action": "upload", "description": "gate", "files": [SimpleUploadedFile("IMG_0001.jpg", photo)]},
    )
    assert response.status_code == 302
    page = client.get(STEP.format("evidence")).content.decode()
    draft = Attachment.objects.get()
    assert draft.sha256 in page and draft.allegation is None
    bad = client.post(
        STEP.format("evidence"), {"action": "upload", "files": [SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 99)]}
    )
    assert bad.status_code == 400 and "not accepted" in bad.content.decode()
    assert Attachment.objects.count() == 1
    walk(client, {"evidence": {}, "contact": ANSWERS["contact"]})
    assert send(client).status_code == 302
    draft.refresh_from_db()
    assert draft.allegation == Allegation.objects.get()
    receipt = client.get("/report/receipt/").content.decode()
    assert draft.sha256 in receipt


def test_remove_draft_file_only_own(client: Client, countries: None) -> None:
    client.post(
        STEP.format("evidence"), {"action": "upload", "files": [SimpleUploadedFile("a.pdf", pdf_with_author())]}
    )
    mine = Attachment.objects.get()
    other = Client()
    other.post(STEP.format("evidence"), {"action": "remove", "file": str(mine.pk)})
    assert Attachment.objects.filter(pk=mine.pk).exists()
    client.post(STEP.format("evidence"), {"action": "remove", "file": "not-a-number"})
    client.post(STEP.format("evidence"), {"action": "remove", "file": str(mine.pk)})
    assert not Attachment.objects.filter(pk=mine.pk).exists()


def test_honeypot_keeps_nothing(client: Client, countries: None) -> None:
    walk(client)
    response = client.post(STEP.format("review"), {"confirm": "on", "website": "http://spam.example"})
    assert response.status_code == 302
    assert Allegation.objects.count() == 0
    assert client.get("/report/receipt/").status_code == 200  # the bot sees an ordinary receipt
    assert AuditEvent.objects.filter(action="allegation.honeypot").count() == 1


def test_submission_rate_limit(client: Client, countries: None, settings: Any) -> None:
    settings.SECTION307_ALLEGATION_LIMITS = {**settings.SECTION307_ALLEGATION_LIMITS, "submit_rate": "1/h"}
    walk(client)
    assert send(client).status_code == 302
    walk(client)
    response = send(client)
    assert response.status_code == 429
    assert Allegation.objects.count() == 1
    # The draft is still there for later.
    assert "Borneo Crest" in client.get(STEP.format("production")).content.decode()


def test_receipt_code_guessing_is_limited(client: Client, countries: None, settings: Any) -> None:
    settings.SECTION307_ALLEGATION_LIMITS = {**settings.SECTION307_ALLEGATION_LIMITS, "receipt_rate": "3/m"}
    _, code = services.allegation_submit(actor=services.PUBLIC, data=_input())
    for guess in ("AAAA-AAAA-AAAA-AAAA-AAAA", "nonsense", "BBBB-BBBB-BBBB-BBBB-BBBB"):
        r = client.post("/report/follow-up/", {"code": guess})
        assert r.status_code == 400
        assert "does not open a report" in r.content.decode()
    assert client.post("/report/follow-up/", {"code": code}).status_code == 429


def test_followup_answer_with_file(client: Client, countries: None, make_user: Any) -> None:
    allegation, code = services.allegation_submit(actor=services.PUBLIC, data=_input())
    services.allegation_ask(actor=make_user(roles.ANALYST), allegation=allegation, question="When did it start?")
    client.post("/report/follow-up/", {"code": code})
    page = client.get("/report/follow-up/status/").content.decode()
    assert "When did it start?" in page and "More information requested" in page
    response = client.post(
        "/report/follow-up/status/", {"body": "In March.", "files": [SimpleUploadedFile("p.pdf", pdf_with_author())]}
    )
    assert response.status_code == 302
    reply = AllegationMessage.objects.get(direction="from_reporter")
    assert reply.body == "In March." and reply.attachments.count() == 1
    assert "Under review" in client.get("/report/follow-up/status/").content.decode()
    empty = client.post("/report/follow-up/status/", {"body": ""})
    assert empty.status_code == 400
    client.post("/report/follow-up/leave/")
    assert client.get("/report/follow-up/status/").status_code == 302


def test_csrf_is_enforced_on_public_forms(countries: None) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(STEP.format("reasons"), ANSWERS["reasons"]).status_code == 403
    assert strict.post("/report/follow-up/", {"code": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("es", "Denunciar mercancías producidas con trabajo forzoso"),
        ("fr", "Signaler des marchandises produites par le travail forcé"),
        ("zh-hans", "举报使用强迫劳动生产的货物"),
    ],
)
def test_portal_in_each_language(client: Client, language: str, phrase: str) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/report/"})
    page = client.get("/report/").content.decode()
    assert phrase in page
    assert f'lang="{language}"' in page


def test_bad_step_and_methods(client: Client) -> None:
    assert client.get("/report/step/nope/").status_code == 404
    assert client.put(STEP.format("reasons")).status_code == 405
    assert client.get("/report/follow-up/leave/").status_code == 405


def _input() -> Any:
    from .conftest import valid_input

    return valid_input()


def test_more_company_rows_without_javascript(client: Client) -> None:
    data = {**ANSWERS["production"], "action": "more"}
    response = client.post(STEP.format("production"), data)
    assert response.status_code == 302
    page = client.get(STEP.format("production")).content.decode()
    assert 'name="party-7-name"' in page and "Borneo Crest Plantations" in page
    for _ in range(5):
        client.post(STEP.format("production"), {**data, "party-TOTAL_FORMS": "20"})
    page = client.get(STEP.format("production")).content.decode()
    assert 'name="party-19-name"' in page and 'name="party-20-name"' not in page
    assert 'value="more"' not in page


def test_draft_answers_are_encrypted_in_the_session_table(client: Client) -> None:
    from django.contrib.sessions.models import Session

    client.post(
        STEP.format("contact"),
        {"identify": "identified", "name": "Mira Santos", "email": "mira@example.org", "action": "next"},
    )
    stored = Session.objects.get(session_key=client.session.session_key).session_data
    assert "Mira" not in stored and "mira@example.org" not in str(Session.objects.get().get_decoded())
    assert "Mira Santos" in client.get(STEP.format("contact")).content.decode()
