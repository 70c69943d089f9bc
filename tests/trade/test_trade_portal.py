"""Importer portal: organization scoping, uploads, checklists, versions, questions, change requests."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from pypdf import PdfWriter

from section307.ports.demo import demo_photo
from section307.ports.models import Detention, Entry
from section307.ports.services import detention_decide, entry_detain, image_add
from section307.trade import services
from section307.trade.checklists import ILO_INDICATORS
from section307.trade.models import RequestDocument, TradeRequest
from section307.trade.services import TradeError

pytestmark = pytest.mark.django_db


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def detention(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> Detention:
    entry = file_entry()
    image_add(actor=officer, entry=entry, data=demo_photo("LABEL"), original_name="l.jpg", caption="Carton label")
    image_add(
        actor=officer,
        entry=entry,
        data=demo_photo("SEAL"),
        original_name="s.jpg",
        caption="Internal",
        shared_with_importer=False,
    )
    return entry_detain(actor=officer, entry=entry, reason="Labels name the WRO manufacturer")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_importer_sees_only_its_own_detention(detention: Detention, importers: Any) -> None:
    own, other = _client(importers[0]), _client(importers[1])
    home = own.get("/portal/").content.decode()
    assert detention.entry.entry_number in home
    assert detention.entry.entry_number not in other.get("/portal/").content.decode()
    assert own.get(f"/portal/detentions/{detention.pk}/").status_code == 200
    assert other.get(f"/portal/detentions/{detention.pk}/").status_code == 404
    assert other.get(f"/portal/entries/{detention.entry.entry_number}/").status_code == 404
    shared, internal = detention.entry.images.order_by("pk")
    assert own.get(f"/port/images/{shared.pk}/").status_code == 200
    assert own.get(f"/port/images/{internal.pk}/").status_code == 404  # not shared with the importer
    assert other.get(f"/port/images/{shared.pk}/").status_code == 404
    # Port screens are closed to trade users.
    assert own.get("/port/").status_code == 403
    assert own.get(f"/port/detentions/{detention.pk}/").status_code == 403


def test_other_organization_cannot_touch_a_request(detention: Detention, importers: Any) -> None:
    req = services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    doc = services.document_add(
        actor=importers[0], request=req, data=pdf_bytes(), name="co.pdf", category="certificate_of_origin"
    )
    other = _client(importers[1])
    assert other.get(f"/portal/requests/{req.pk}/").status_code == 404
    assert other.get(f"/portal/documents/{doc.pk}/").status_code == 404
    response = other.post(
        f"/portal/requests/{req.pk}/documents/",
        {"category": "audit", "language": "en", "file": io.BytesIO(pdf_bytes())},
    )
    assert response.status_code == 404
    assert other.post(f"/portal/requests/{req.pk}/submit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.document_add(actor=importers[1], request=req, data=pdf_bytes(), name="x.pdf", category="audit")
    with pytest.raises(TradeError, match="your organization's detentions"):
        services.request_create(actor=importers[1], kind="wro_admissibility", detention=detention)
    assert _client(importers[0]).get(f"/portal/documents/{doc.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "empty"),
        (
            b"MZ\x90\x00" + b"\x00" * 200,
            "statement.pdf",
            r"x-msdownload\) is not accepted",
        ),  # an executable named .pdf
        (b"%PDF-1.7\n garbage", "broken.pdf", "cannot be read"),
        (b"GIF89a" + b"\x00" * 50, "x.gif", r"GIF\) is not accepted"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    detention: Detention, importers: Any, data: bytes, name: str, message: str
) -> None:
    req = services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    with pytest.raises(TradeError, match=message):
        services.document_add(actor=importers[0], request=req, data=data, name=name, category="audit")
    assert not RequestDocument.objects.exists()


def test_oversize_upload_is_refused_in_the_form(detention: Detention, importers: Any, settings: Any) -> None:
    from section307.trade import forms

    req = services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    forms.MAX_DOCUMENT_BYTES, saved = 10, forms.MAX_DOCUMENT_BYTES
    try:
        response = _client(importers[0]).post(
            f"/portal/requests/{req.pk}/documents/",
            {"category": "audit", "language": "en", "file": io.BytesIO(pdf_bytes())},
        )
    finally:
        forms.MAX_DOCUMENT_BYTES = saved
    assert response.status_code == 400 and b"larger than" in response.content
    assert not RequestDocument.objects.exists()


def test_checklist_translation_and_versions(detention: Detention, importers: Any, officer: Any, reviewers: Any) -> None:
    user = importers[0]
    req = services.request_create(actor=user, kind="wro_admissibility", detention=detention)
    with pytest.raises(TradeError, match="missing: Certificate of origin"):
        services.request_submit(actor=user, request=req)
    services.document_add(actor=user, request=req, data=pdf_bytes(), name="co.pdf", category="certificate_of_origin")
    chinese = services.document_add(
        actor=user,
        request=req,
        data="供应商声明".encode(),
        name="decl.txt",
        category="supply_chain_tier",
        tier=2,
        language="zh",
    )
    services.request_update(actor=user, request=req, statement="We traced the cotton to Australian farms.")
    services.document_add(
        actor=user, request=req, data=pdf_bytes(2), name="statement.pdf", category="detailed_statement"
    )
    req.refresh_from_db()
    problems = services.submission_problems(req)
    assert problems == ["decl.txt is in 'zh' and has no English translation attached"]
    with pytest.raises(TradeError, match="must be in English"):
        services.document_add(
            actor=user,
            request=req,
            data=b"Supplier declaration",
            name="t.txt",
            category="translation",
            translation_of=chinese,
            language="fr",
        )
    services.document_add(
        actor=user,
        request=req,
        data=b"Supplier declaration",
        name="decl-en.txt",
        category="translation",
        translation_of=chinese,
    )
    v1 = services.request_submit(actor=user, request=req)
    assert v1.number == 1 and v1.documents.count() == 4
    detention.refresh_from_db()
    assert detention.status == Detention.Status.UNDER_REVIEW
    services.request_ask(actor=officer, request=req, question="Send the ginning records for lot 7.")
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.INFO_REQUESTED
    with pytest.raises(PermissionDenied):
        services.request_ask(actor=user, request=req, question="self-question")
    services.request_answer(actor=user, request=req, answer="Attached as a new version.")
    services.document_add(
        actor=user, request=req, data=pdf_bytes(), name="ginning.pdf", category="supply_chain_tier", tier=3
    )
    v2 = services.request_submit(actor=user, request=req)
    assert v2.number == 2 and v2.documents.count() == 5
    assert v1.documents.count() == 4  # earlier versions keep their own set
    from tests.ports.conftest import hq_determine

    # 19 CFR 12.44: headquarters determines admissibility; the port carries it out.
    hq_determine(detention, reviewers, "admissibility", "granted", request_id=req.pk)
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.GRANTED and "establishes admissibility" in req.decision_note
    detention_decide(actor=officer, detention=detention, outcome="release", reason="Carrying out HQ's determination")
    with pytest.raises(TradeError, match="no longer change"):
        services.document_add(actor=user, request=req, data=pdf_bytes(), name="late.pdf", category="audit")
    assert RequestDocument.objects.filter(request=req).count() == 5


def test_request_kind_must_fit_the_regime(detention: Detention, importers: Any) -> None:
    with pytest.raises(TradeError, match="does not apply"):
        services.request_create(actor=importers[0], kind="uflpa_exception", detention=detention)
    services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    with pytest.raises(TradeError, match="already exists"):
        services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)


def test_exclusion_denies_the_open_request(
    registry: Any, file_entry: Callable[..., Entry], importers: Any, officer: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    # Imported four months ago: the 19 CFR 12.43 period ended without proof, so exclusion is allowed.
    entry = file_entry(date=timezone.localdate() - dt.timedelta(days=120))
    detention = entry_detain(actor=officer, entry=entry, reason="Labels name the WRO manufacturer")
    req = services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No certificate of origin")
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.DENIED


def test_revocation_request_answers_each_ilo_indicator(registry: Any, importers: Any, officer: Any) -> None:
    user = importers[0]
    req = services.request_create(actor=user, kind="order_revocation", order=registry["wro"])
    with pytest.raises(TradeError, match="WRO or Finding"):
        services.request_create(actor=user, kind="order_revocation", order=registry["uflpa"])
    for category in ("remediation_plan", "audit", "supply_chain_map"):
        services.document_add(actor=user, request=req, data=pdf_bytes(), name=f"{category}.pdf", category=category)
    answers = {key: f"Evidence on {label}" for key, label in ILO_INDICATORS[:-1]}
    services.request_update(
        actor=user, request=req, statement="Remediated in 2025.", ilo_answers=answers, grounds="no_longer_made"
    )
    with pytest.raises(TradeError, match="Excessive overtime"):
        services.request_submit(actor=user, request=req)
    answers[ILO_INDICATORS[-1][0]] = "Hours capped at 60 a week, verified by payroll audit"
    services.request_update(
        actor=user, request=req, statement="Remediated in 2025.", ilo_answers=answers, grounds="no_longer_made"
    )
    services.request_submit(actor=user, request=req)
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.SUBMITTED and req.versions.count() == 1


def test_portal_is_closed_to_staff_and_anonymous(client_as: Callable[..., Client], detention: Detention) -> None:
    from section307.accounts import roles

    assert Client().get("/portal/").status_code == 302
    assert client_as(roles.ANALYST).get("/portal/").status_code == 403
    officer = client_as(roles.PORT_OFFICER)
    assert officer.get("/portal/").status_code == 403
    req_count = TradeRequest.objects.count()
    assert (
        officer.post("/portal/requests/new/", {"kind": "wro_admissibility", "detention": detention.pk}).status_code
        == 403
    )
    assert TradeRequest.objects.count() == req_count


def test_change_request_lands_in_case_management(registry: Any, importers: Any) -> None:
    from section307.cases.models import OrderChangeRequest

    user = importers[0]
    req = services.request_create(actor=user, kind="order_modification", order=registry["wro"])
    for category in ("remediation_plan", "audit", "supply_chain_map"):
        services.document_add(actor=user, request=req, data=pdf_bytes(), name=f"{category}.pdf", category=category)
    services.request_update(
        actor=user,
        request=req,
        statement="The spinning mill closed its Aksu plant.",
        ilo_answers={key: f"Audited: no {label.lower()}" for key, label in ILO_INDICATORS},
        grounds="not_made",
        proposed_change="Remove Tianshan Harvest (Aksu) Spinning from the order",
    )
    services.request_submit(actor=user, request=req)
    change = OrderChangeRequest.objects.get()
    assert change.order == registry["wro"] and change.kind == "modify" and change.ground == "not_made"
    assert change.organization == user.organization and change.filed_via == "portal"
    # The portal's answers become the petition's per-indicator evidence (its "intimidation" is "threats").
    assert change.indicator_responses["overtime"] == "Audited: no excessive overtime"
    assert change.indicator_responses["threats"].startswith("Audited: no intimidation")
    req.refresh_from_db()
    assert req.case_reference == f"petition {change.pk}"
    assert req.change_request_id == change.pk


def _submitted_revocation(user: Any, registry: Any) -> TradeRequest:
    req = services.request_create(actor=user, kind="order_revocation", order=registry["wro"])
    for category in ("remediation_plan", "audit", "supply_chain_map"):
        services.document_add(actor=user, request=req, data=pdf_bytes(), name=f"{category}.pdf", category=category)
    services.request_update(
        actor=user,
        request=req,
        statement="No longer imported.",
        ilo_answers={key: f"Audited: no {label.lower()}" for key, label in ILO_INDICATORS},
        grounds="not_imported",
    )
    services.request_submit(actor=user, request=req)
    return req


@pytest.mark.parametrize("grant", [True, False])
def test_headquarters_decision_reaches_the_importers_request(
    registry: Any, importers: Any, make_user: Any, grant: bool
) -> None:
    from section307.accounts import roles
    from section307.cases.models import OrderChangeRequest
    from section307.cases.services import petition_decide
    from section307.ports.models import Notice

    user = importers[0]
    req = _submitted_revocation(user, registry)
    change = OrderChangeRequest.objects.get()
    hq = make_user(roles.HQ_REVIEWER)
    petition_decide(
        actor=hq,
        petition=change,
        decision="revoke" if grant else "deny",
        note="Reviewed with the case team",
        findings={i: "refuted" for i in change.indicators},
    )
    req.refresh_from_db()
    assert req.status == (TradeRequest.Status.GRANTED if grant else TradeRequest.Status.DENIED)
    assert req.decision_note == "Reviewed with the case team"
    notice = Notice.objects.filter(organization=user.organization, kind=Notice.Kind.REQUEST).latest("pk")
    assert ("granted" if grant else "denied") in notice.subject
    registry["wro"].refresh_from_db()
    assert registry["wro"].status == ("revoked" if grant else "active")


def _asked(user: Any, registry: Any, make_user: Any) -> tuple[TradeRequest, Any]:
    """A revocation request filed as a petition, on which headquarters asked a question."""
    from section307.accounts import roles
    from section307.cases.models import OrderChangeRequest
    from section307.cases.services import petition_request_info

    req = _submitted_revocation(user, registry)
    petition = OrderChangeRequest.objects.get()
    petition_request_info(actor=make_user(roles.HQ_REVIEWER), petition=petition, question="Which ports?")
    req.refresh_from_db()
    return req, petition


def test_headquarters_question_reaches_the_portal_and_the_answer_returns(
    registry: Any, importers: Any, make_user: Any
) -> None:
    from section307.ports.models import Notice

    user = importers[0]
    req, petition = _asked(user, registry, make_user)
    assert req.status == TradeRequest.Status.INFO_REQUESTED
    assert Notice.objects.filter(organization=user.organization, kind=Notice.Kind.QUESTION).exists()
    services.request_answer(actor=user, request=req, answer="Long Beach only")
    petition.refresh_from_db()
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.SUBMITTED
    assert petition.status == "under_review" and petition.info_answer == "Long Beach only"
    assert list(req.messages.values_list("kind", flat=True)) == ["question", "answer"]  # answered once


def test_answer_on_the_petition_page_reaches_the_waiting_portal_request(
    registry: Any, importers: Any, make_user: Any
) -> None:
    from section307.cases.services import petition_answer

    user = importers[0]
    req, petition = _asked(user, registry, make_user)
    petition_answer(actor=user, petition=petition, answer="Savannah")
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.SUBMITTED
    assert req.messages.filter(kind="answer").get().body == "Savannah"
