"""The case workspace through its pages: opening, allegations, tasks, queues, merge, reminders."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.allegations.models import Allegation, AllegationParty, AllegationStatus
from section307.cases import services
from section307.cases.evidence_files import evidence_content
from section307.cases.models import Case, CaseAllegation, CaseTask, Phase
from section307.cases.selectors import cases_similar_to, team_queue
from section307.cases.tasks import remind_overdue_tasks

from .conftest import World, add_evidence, open_case


def _allegation(world: World) -> Allegation:
    allegation = Allegation.objects.create(
        reference="ALG-2026-00001",
        receipt_digest="0" * 64,
        submitted_at=timezone.now(),
        reasons="Workers' passports are held by the mill",
        source_type="worker_testimony",
        merchandise="Cotton yarn",
        hts_code="5205",
        country=world.country,
        status=AllegationStatus.IN_TRIAGE,
    )
    allegation.goods.add(world.good)
    AllegationParty.objects.create(allegation=allegation, role="manufacturer", name="Aksu Mill", party=world.spinner)
    return allegation


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_open_case_page_creates_case_with_tasks(world: World) -> None:
    client = _client(world.analyst)
    assert client.get(reverse("cases:case_create")).status_code == 200
    response = client.post(
        reverse("cases:case_create"), {"title": "", "origin": "tip", "priority": "high", "risk_rating": "low"}
    )
    assert response.status_code == 400 and not Case.objects.exists()
    response = client.post(
        reverse("cases:case_create"),
        {
            "title": "Yarn",
            "template": world.template.pk,
            "origin": "media",
            "priority": "high",
            "risk_rating": "low",
            "parties": [world.producer.pk],
            "hts": "5205, 9999999999999",
        },
    )
    assert response.status_code == 400 and not Case.objects.exists()
    assert response.context["form"].errors["hts"]
    response = client.post(
        reverse("cases:case_create"),
        {
            "title": "Yarn",
            "template": world.template.pk,
            "origin": "media",
            "priority": "high",
            "risk_rating": "low",
            "parties": [world.producer.pk],
            "hts": "5205",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.tasks.count() == 14 and case.hts_prefixes == ["5205"]
    assert client.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200


def test_open_from_allegation_prefills_and_links(world: World) -> None:
    allegation = _allegation(world)
    client = _client(world.analyst)
    url = reverse("cases:case_open_from_allegation", kwargs={"allegation_pk": allegation.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"ALG-2026-00001" in page.content
    form = page.context["form"]
    response = client.post(
        url,
        {
            "title": form.initial["title"],
            "template": world.template.pk,
            "origin": "tip",
            "priority": "medium",
            "risk_rating": "medium",
            "parties": [p.pk for p in form.initial["parties"]],
            "goods": [g.pk for g in form.initial["goods"]],
            "countries": [c.pk for c in form.initial["countries"]],
            "hts": form.initial["hts"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert list(case.parties.all()) == [world.spinner] and list(case.goods.all()) == [world.good]
    assert CaseAllegation.objects.filter(case=case, allegation=allegation).exists()
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.ESCALATED and allegation.case_reference == case.reference


def test_attach_allegation_to_existing_case(world: World) -> None:
    case = open_case(world)
    services.case_party_add(actor=world.analyst, case=case, party=world.spinner)
    allegation = _allegation(world)
    client = _client(world.analyst)
    url = reverse("cases:case_attach_allegation", kwargs={"allegation_pk": allegation.pk})
    page = client.get(url)
    assert page.status_code == 200 and case.reference.encode() in page.content and b"shares" in page.content
    assert client.post(url, {"case": "CASE-1999-0001"}).status_code == 400
    assert client.post(url, {"case": case.reference}).status_code == 302
    allegation.refresh_from_db()
    assert allegation.case_reference == case.reference
    # Someone not on the case cannot attach to it.
    other = _allegation_copy(world)
    assert (
        _client(world.outsider)
        .post(reverse("cases:case_attach_allegation", kwargs={"allegation_pk": other.pk}), {"case": case.reference})
        .status_code
        == 400
    )
    # Roles without cases never reach the page.
    assert _client(world.partner).get(url).status_code == 403


def _allegation_copy(world: World) -> Allegation:
    return Allegation.objects.create(
        reference="ALG-2026-00002",
        receipt_digest="1" * 64,
        submitted_at=timezone.now(),
        reasons="x",
        source_type="media",
        merchandise="Yarn",
    )


def test_similar_cases_by_parties_goods_regions(world: World) -> None:
    a = open_case(world, title="A")
    b = open_case(world, title="B")
    services.case_party_add(actor=world.analyst, case=a, party=world.producer)
    services.case_party_add(actor=world.analyst, case=b, party=world.producer)
    found = cases_similar_to(party_ids=[world.producer.pk], good_ids=[world.good.pk], region_ids=[], exclude_case=a)
    assert [(c, score) for c, score, _ in found] == [(b, 4)]
    assert cases_similar_to(party_ids=[], good_ids=[], region_ids=[]) == []
    assert cases_similar_to(party_ids=[world.producer.pk], good_ids=[], region_ids=[], user=world.outsider) == []


def test_merge_duplicate_cases(world: World) -> None:
    keep = open_case(world, title="Keep")
    dup = open_case(world, title="Duplicate", team=[world.outsider])
    services.case_party_add(actor=world.analyst, case=dup, party=world.producer)
    ev = add_evidence(world, dup)
    client = _client(world.supervisor)
    response = client.post(
        reverse("cases:case_merge", args=[keep.reference]), {"duplicate": dup.reference, "note": "Same mill"}
    )
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.phase == Phase.CLOSED and dup.outcome == "merged" and dup.merged_into == keep
    assert world.producer in keep.parties.all() and world.outsider in keep.team.all()
    page = _client(world.analyst).get(reverse("cases:evidence_list", args=[keep.reference]))
    assert ev.title.encode() in page.content and dup.reference.encode() in page.content
    assert (
        client.post(
            reverse("cases:case_merge", args=[keep.reference]), {"duplicate": keep.reference, "note": "x"}
        ).status_code
        == 400
    )


def test_tasks_assign_comment_complete_and_queue(world: World) -> None:
    case = open_case(world)
    task = case.tasks.first()
    client = _client(world.analyst)
    url = reverse("cases:task_action", args=[case.reference, task.pk])
    client.post(url, {"action": "assign", "assignee": world.teammate.pk})
    client.post(url, {"action": "comment", "body": "On it"})
    task.refresh_from_db()
    assert task.assignee == world.teammate and task.comments.get().body == "On it"
    # A user outside the case cannot be assigned.
    client.post(url, {"action": "assign", "assignee": world.outsider.pk})
    task.refresh_from_db()
    assert task.assignee == world.teammate
    CaseTask.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    dash = _client(world.teammate).get(reverse("cases:dashboard"))
    assert b"overdue" in dash.content and task.title.encode() in dash.content
    queue = _client(world.supervisor).get(reverse("cases:task_queue") + "?overdue=1")
    assert task.title.encode() in queue.content
    assert list(team_queue(user=world.outsider)) == []
    client.post(url, {"action": "complete"})
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == world.analyst
    client.post(url, {"action": "reopen"})
    task.refresh_from_db()
    assert task.status == "open" and task.completed_by is None
    # Reopening a task that is already open is refused with a message, not a 500.
    response = client.post(url, {"action": "reopen"}, follow=True)
    assert response.status_code == 200 and b"cannot reopen" in response.content


def test_overdue_reminders_once_a_day(world: World) -> None:
    world.analyst.email = "ana@example.gov"
    world.analyst.save()
    case = open_case(world)
    CaseTask.objects.filter(case=case).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    mail.outbox.clear()
    result = remind_overdue_tasks.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].body
    assert remind_overdue_tasks.enqueue().return_value == 0  # already reminded today


def test_gate_refusal_on_the_page_loses_nothing(world: World) -> None:
    case = open_case(world)
    client = _client(world.analyst)
    client.post(reverse("cases:case_transition", args=[case.reference]), {"transition": "begin_research"})
    client.post(reverse("cases:case_memo", args=[case.reference]), {"memo": "Valid because..."})
    response = client.post(
        reverse("cases:case_transition", args=[case.reference]), {"transition": "escalate"}, follow=True
    )
    assert b"supply-chain map" in response.content
    case.refresh_from_db()
    assert case.phase == Phase.RESEARCH and case.validity_memo == "Valid because..."
    # Unknown transition names and junk ids are refused, not errors.
    assert (
        client.post(reverse("cases:case_transition", args=[case.reference]), {"transition": "zzz"}).status_code == 302
    )
    assert (
        client.post(reverse("cases:task_action", args=[case.reference, 99999]), {"action": "complete"}).status_code
        == 404
    )
    response = client.post(
        reverse("cases:engagement_add", args=[case.reference]),
        {
            "kind": "ngo",
            "stakeholder": "NGO",
            "engaged_on": "2026-01-01",
            "summary": "Met",
            "protection_referral": "on",
            "referral_details": "",
        },
    )
    assert response.status_code == 400 and b"Met" in response.content


def test_import_sanitized_file_from_linked_allegation(world: World) -> None:
    from section307.allegations.evidence import store_encrypted
    from section307.allegations.models import Attachment

    from .conftest import png_bytes

    allegation = _allegation(world)
    case = open_case(world)
    data = png_bytes()
    attachment = Attachment.objects.create(
        allegation=allegation,
        kind="image",
        mime_type="image/png",
        extension="png",
        size=len(data),
        sha256="a" * 64,
        original_path=store_encrypted(b"original with metadata"),
        sanitized_path=store_encrypted(data),
        sanitization="cleaned",
    )
    client = _client(world.analyst)
    url = reverse("cases:evidence_import", args=[case.reference])
    client.post(url, {"attachment": attachment.pk})
    assert not case.evidence.exists()  # not linked yet
    services.case_link_allegation(actor=world.analyst, case=case, allegation=allegation)
    page = client.get(reverse("cases:evidence_list", args=[case.reference]))
    assert attachment.display_name.encode() in page.content
    assert client.post(url, {"attachment": attachment.pk}).status_code == 302
    evidence = case.evidence.get()
    assert evidence.origin == "allegation" and evidence.content_type == "image/png"
    assert evidence_content(evidence) == data  # the sanitized copy, never the original
    client.post(url, {"attachment": attachment.pk})
    assert case.evidence.count() == 1
    assert client.post(url, {"attachment": "x"}).status_code == 404


def test_junk_input_never_errors(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    task = case.tasks.first()
    analyst, supervisor = _client(world.analyst), _client(world.supervisor)
    ref = case.reference
    junk = ["abc", "-1", "99999999999999999999999", "", "1.5", "<script>"]
    for value in junk:
        for client, url, data in [
            (analyst, reverse("cases:task_action", args=[ref, task.pk]), {"action": "assign", "assignee": value}),
            (analyst, reverse("cases:task_action", args=[ref, task.pk]), {"action": value}),
            (analyst, reverse("cases:evidence_detail", args=[ref, ev.pk]), {"action": "withdraw", "tag": value}),
            (analyst, reverse("cases:evidence_detail", args=[ref, ev.pk]), {"action": "tag", "indicator": value}),
            (supervisor, reverse("cases:case_share", args=[ref]), {"revoke": value}),
            (analyst, reverse("cases:case_share", args=[ref]), {"organization": value, "access": value}),
            (analyst, reverse("cases:case_party_add", args=[ref]), {"party": value, "tier": value, "role": value}),
            (analyst, reverse("cases:case_merge", args=[ref]), {"duplicate": value, "note": value}),
            (analyst, reverse("cases:evidence_import", args=[ref]), {"attachment": value}),
            (analyst, reverse("cases:case_transition", args=[ref]), {"transition": value}),
            (analyst, reverse("cases:case_close", args=[ref]), {"outcome": value, "closing_note": value}),
            (analyst, reverse("cases:proposal_edit", args=[ref]), {"order_type": value, "merchandise": value}),
        ]:
            status = client.post(url, data).status_code
            assert status < 500, (url, data, status)
        for path in ("/cases/all/", "/orders/", "/api/v1/orders"):
            params = {"phase": value, "page": value, "priority": value, "q": value, "country": value, "since": value}
            assert analyst.get(path, params).status_code < 500
    case.refresh_from_db()
    assert case.phase == Phase.INITIATION and case.evidence.count() == 1


def test_case_list_filters_with_and_without_htmx(world: World) -> None:
    keep = open_case(world, title="Gloves")
    other = open_case(world, title="Timber")
    client = _client(world.analyst)
    page = client.get(reverse("cases:case_list"), {"q": "Glov"})
    assert keep.reference.encode() in page.content and other.reference.encode() not in page.content
    partial = client.get(reverse("cases:case_list"), {"q": "Timber"}, HTTP_HX_REQUEST="true")
    assert other.reference.encode() in partial.content and b"<html" not in partial.content


def test_related_allegations_on_the_case_page(world: World) -> None:
    allegation = _allegation(world)  # names the spinner, about cotton yarn
    case = open_case(world)
    services.case_party_add(actor=world.analyst, case=case, party=world.spinner)
    page = _client(world.analyst).get(reverse("cases:case_detail", args=[case.reference]))
    assert allegation.reference.encode() in page.content and b"parties: Aksu Mill" in page.content
    services.case_link_allegation(actor=world.analyst, case=case, allegation=allegation)
    from section307.cases.selectors import allegations_related_to_case

    assert allegations_related_to_case(case=case, user=world.analyst) == []
    assert allegations_related_to_case(case=case, user=world.partner) == []


def test_closed_allegation_cannot_be_linked_and_nothing_is_saved(world: World) -> None:
    allegation = _allegation(world)
    Allegation.objects.filter(pk=allegation.pk).update(status=AllegationStatus.CLOSED)
    case = open_case(world)
    client = _client(world.analyst)
    response = client.post(
        reverse("cases:case_attach_allegation", kwargs={"allegation_pk": allegation.pk}), {"case": case.reference}
    )
    assert response.status_code == 400 and b"no longer be linked" in response.content
    assert not CaseAllegation.objects.exists()
    response = client.post(
        reverse("cases:case_open_from_allegation", kwargs={"allegation_pk": allegation.pk}),
        {"title": "New", "origin": "tip", "priority": "low", "risk_rating": "low"},
    )
    assert response.status_code == 400 and Case.objects.count() == 1
