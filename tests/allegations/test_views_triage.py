"""The triage inbox and detail page: access, filters, actions, identity and evidence downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from section307.accounts import roles
from section307.allegations import services
from section307.allegations.inputs import IndicatorInput
from section307.allegations.models import Allegation, AllegationStatus
from section307.allegations.services import FileInput
from section307.core.models import AuditEvent

from .conftest import identified_input, jpeg_with_gps, valid_input

pytestmark = pytest.mark.django_db


def submit(**kwargs: Any) -> Allegation:
    files = kwargs.pop("files", ())
    allegation, _ = services.allegation_submit(actor=services.PUBLIC, data=valid_input(**kwargs), files=files)
    return allegation


@pytest.fixture
def analyst_client(client_as: Any) -> Client:
    return client_as(roles.ANALYST)


def test_inbox_is_for_triage_roles_only(client: Client, client_as: Any, countries: None) -> None:
    a = submit()
    assert client.get("/allegations/").status_code == 302  # to sign in
    for role in (roles.TRADE_USER, roles.PORT_OFFICER, roles.PARTNER_AGENCY):
        c = client_as(role)
        assert c.get("/allegations/").status_code == 403
        assert c.get(f"/allegations/{a.pk}/").status_code == 403
        assert c.post(f"/allegations/{a.pk}/actions/close/", {"reason": "spam"}).status_code == 403
    assert client_as(roles.SUPERVISOR).get("/allegations/").status_code == 200


def test_inbox_filters(analyst_client: Client, countries: None) -> None:
    cotton = submit()
    gloves = submit(
        country="MY",
        merchandise="Nitrile gloves",
        source_type="audit",
        industry="rubber_plastics",
        hts_code="4015.19",
        indicators=[IndicatorInput("debt_bondage", "Recruitment fees.")],
    )
    page = analyst_client.get("/allegations/").content.decode()
    assert cotton.reference in page and gloves.reference in page
    for query, shown, hidden in (
        ("country=MY", gloves, cotton),
        ("indicator=debt_bondage", gloves, cotton),
        ("source=worker_testimony", cotton, gloves),
        ("industry=rubber_plastics", gloves, cotton),
        ("q=nitrile", gloves, cotton),
    ):
        page = analyst_client.get(f"/allegations/?{query}").content.decode()
        assert shown.reference in page and hidden.reference not in page, query
    # Nonsense filters are ignored, never a 500.
    assert analyst_client.get("/allegations/?from=notadate&good=abc&page=-4&status=zzz").status_code == 200
    # htmx gets the rows only.
    rows = analyst_client.get("/allegations/?country=MY", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and gloves.reference in rows


def test_actions_from_the_detail_page(analyst_client: Client, countries: None) -> None:
    a = submit()
    b = submit()
    detail = analyst_client.get(f"/allegations/{a.pk}/").content.decode()
    assert "Record a link to a case" in detail
    # With the cases app installed, the case actions link to it.
    from django.urls import reverse

    assert reverse("cases:case_open_from_allegation", kwargs={"allegation_pk": a.pk}) in detail
    assert reverse("cases:case_attach_allegation", kwargs={"allegation_pk": a.pk}) in detail

    assert analyst_client.post(f"/allegations/{a.pk}/actions/start/").status_code == 302
    a.refresh_from_db()
    assert a.status == AllegationStatus.IN_TRIAGE and a.assigned_to is not None

    bad = analyst_client.post(f"/allegations/{a.pk}/actions/ask/", {"question": ""})
    assert bad.status_code == 400 and 'id="id_question-error"' in bad.content.decode()
    analyst_client.post(f"/allegations/{a.pk}/actions/ask/", {"question": "Can you send a photo of the label?"})
    a.refresh_from_db()
    assert a.status == AllegationStatus.INFO_REQUESTED

    missing = analyst_client.post(f"/allegations/{b.pk}/actions/duplicate/", {"original": "ALG-1999-99999"})
    assert missing.status_code == 400 and "No allegation has this reference" in missing.content.decode()
    analyst_client.post(f"/allegations/{b.pk}/actions/duplicate/", {"original": a.reference.lower()})
    b.refresh_from_db()
    assert b.duplicate_of == a

    analyst_client.post(f"/allegations/{a.pk}/actions/case/", {"case_reference": "CASE-2026-0042"})
    a.refresh_from_db()
    assert a.status == AllegationStatus.ESCALATED and a.case_reference == "CASE-2026-0042"

    analyst_client.post(f"/allegations/{a.pk}/actions/close/", {"reason": "referred", "note": "To DOL"})
    a.refresh_from_db()
    assert a.status == AllegationStatus.CLOSED
    # Not allowed from closed: a clear message, no change.
    response = analyst_client.post(f"/allegations/{a.pk}/actions/close/", {"reason": "spam"}, follow=True)
    assert "not possible" in response.content.decode()
    assert analyst_client.post(f"/allegations/{a.pk}/actions/unknown/").status_code == 404

    actions = set(AuditEvent.objects.filter(target_id=str(a.pk)).values_list("action", flat=True))
    assert {"allegation.start_triage", "allegation.ask", "allegation.escalate", "allegation.close"} <= actions


def test_extraction_update(analyst_client: Client, countries: None) -> None:
    from section307.goods.models import Good

    a = submit()
    good = Good.objects.create(name="Cotton yarn")
    response = analyst_client.post(
        f"/allegations/{a.pk}/actions/extraction/",
        {"goods": [good.pk], "country": "CN", "region": "", "industry": "apparel", "hts_code": "5205"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert list(a.goods.all()) == [good] and a.hts_code == "5205"
    bad = analyst_client.post(f"/allegations/{a.pk}/actions/extraction/", {"hts_code": "1", "goods": ["x"]})
    assert bad.status_code == 400


def test_identity_reveal_is_for_supervisors(client_as: Any, countries: None) -> None:
    allegation, _ = services.allegation_submit(actor=services.PUBLIC, data=identified_input())
    analyst = client_as(roles.ANALYST)
    page = analyst.get(f"/allegations/{allegation.pk}/").content.decode()
    assert "Li Wen" not in page and "Reveal identity" not in page
    assert analyst.post(f"/allegations/{allegation.pk}/actions/reveal/").status_code == 403
    supervisor = client_as(roles.SUPERVISOR)
    revealed = supervisor.post(f"/allegations/{allegation.pk}/actions/reveal/").content.decode()
    assert "Li Wen" in revealed
    assert AuditEvent.objects.filter(action="allegation.identity_read").count() == 1


def test_evidence_downloads(client_as: Any, countries: None) -> None:
    a = submit(files=[FileInput("IMG_LiWen.jpg", jpeg_with_gps())])
    f = a.attachments.get()
    analyst = client_as(roles.ANALYST)
    copy = analyst.get(f"/allegations/{a.pk}/files/{f.pk}/sanitized/")
    assert copy.status_code == 200 and b"Jane Reporter" not in copy.content
    assert "attachment;" in copy["Content-Disposition"] and "LiWen" not in copy["Content-Disposition"]
    assert analyst.get(f"/allegations/{a.pk}/files/{f.pk}/original/").status_code == 403
    assert analyst.get(f"/allegations/{a.pk}/files/{f.pk}/other/").status_code == 404
    other = submit()
    assert analyst.get(f"/allegations/{other.pk}/files/{f.pk}/sanitized/").status_code == 404
    original = client_as(roles.SUPERVISOR).get(f"/allegations/{a.pk}/files/{f.pk}/original/")
    assert original.status_code == 200 and b"Jane Reporter" in original.content
    assert copy["Cache-Control"] == original["Cache-Control"] == "no-store"


def test_triage_forms_need_csrf(make_user: Any, countries: None) -> None:
    a = submit()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(roles.ANALYST))
    assert strict.post(f"/allegations/{a.pk}/actions/start/").status_code == 403


def test_navigation_shows_inbox_to_analysts_only(client: Client, client_as: Any) -> None:
    assert "/allegations/" not in client.get("/").content.decode()
    assert "/report/" in client.get("/").content.decode()
    assert "/allegations/" in client_as(roles.ANALYST).get("/").content.decode()


def test_reporter_activity_brings_an_allegation_back_until_read(
    analyst_client: Client, make_user: Any, countries: None
) -> None:
    a = submit()
    services.allegation_close(actor=make_user(roles.ANALYST), allegation=a, reason="insufficient")
    assert a.reference not in analyst_client.get("/allegations/").content.decode()
    services.allegation_reporter_message(actor=services.PUBLIC, allegation=a, body="New photos of the dormitory.")
    inbox = analyst_client.get("/allegations/").content.decode()
    assert a.reference in inbox and "reporter wrote" in inbox
    detail = analyst_client.get(f"/allegations/{a.pk}/").content.decode()
    assert "The reporter wrote on" in detail
    a.refresh_from_db()
    assert not a.reporter_unread
    assert a.reference not in analyst_client.get("/allegations/").content.decode()


def test_similar_items_find_parties_by_fuzzy_name_and_visible_cases(analyst_client: Client, countries: None) -> None:
    from section307.parties.selectors import party_name_matches
    from section307.parties.services import party_resolve

    party, _ = party_resolve(
        actor=None, name="Tianshan Harvest Textile Co., Ltd.", original_names=["天山丰收纺织有限公司"]
    )
    assert party.pk in party_name_matches(names=["TIANSHAN HARVEST TEXTILE COMPANY LIMITED"])
    assert party.pk in party_name_matches(names=["天山丰收纺织有限公司"])
    assert party.pk not in party_name_matches(names=["Tianshan Trading Co., Ltd."])


def test_detail_lists_similar_cases_only_to_those_who_may_see_them(countries: None, make_user: Any) -> None:
    from section307.cases.models import Case
    from section307.demo.world import build_demo_world

    world = build_demo_world(seed=9)
    case = Case.objects.filter(allegation_links__isnull=False).first()
    assert case is not None
    allegation = case.allegation_links.first().allegation
    supervisor = Client()
    supervisor.force_login(world.users["supervisor"][0])
    page = supervisor.get(f"/allegations/{allegation.pk}/").content.decode()
    assert f">{case.reference}</a>" in page
    outsider = Client()
    outsider.force_login(make_user(roles.ANALYST))  # on no case team
    assert outsider.get(f"/allegations/{allegation.pk}/").status_code == 200
    assert f">{case.reference}</a>" not in outsider.get(f"/allegations/{allegation.pk}/").content.decode()


def test_triage_action_on_a_closed_allegation_shows_why(analyst_client: Client, countries: None) -> None:
    allegation = submit()
    Allegation.objects.filter(pk=allegation.pk).update(status=AllegationStatus.CLOSED)
    response = analyst_client.post(f"/allegations/{allegation.pk}/actions/extract_parties/", follow=True)
    assert response.status_code == 200 and b"reopen it first" in response.content
