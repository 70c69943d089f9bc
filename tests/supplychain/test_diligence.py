"""Due-diligence self-assessment (scoring, versioning, permissions, display beside a detention) and
remediation plans (lifecycle, overdue milestones in the work queue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.queue import queue_for
from section307.supplychain import diligence_services as ds
from section307.supplychain.diligence import ELEMENTS, answer_points, assessment_score
from section307.supplychain.models import Assessment, AssessmentAnswer, Milestone, RemediationPlan
from section307.supplychain.services import map_import
from tests.supplychain.conftest import CHAIN_ROWS, dict_rows

pytestmark = pytest.mark.django_db

TXT = b"Supplier code of conduct: no forced labor at any tier.\n"


def _map(world: dict[str, Any]) -> Any:
    return map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(CHAIN_ROWS))


# ------------------------------------------------------------------------------- scoring


def test_element_list_covers_the_cbp_elements_and_the_oecd_steps() -> None:
    cbp = [e for e in ELEMENTS if e.group == "cbp"]
    oecd = [e for e in ELEMENTS if e.group == "oecd"]
    assert len(cbp) == 8 and len(oecd) == 6
    assert all(e.source for e in ELEMENTS)
    assert len({e.code for e in ELEMENTS}) == len(ELEMENTS)


def test_scoring_rule_in_place_2_partial_1_half_without_evidence() -> None:
    assert answer_points("in_place", has_evidence=True) == 2
    assert answer_points("in_place", has_evidence=False) == 1
    assert answer_points("partial", has_evidence=True) == 1
    assert answer_points("partial", has_evidence=False) == 0.5
    assert answer_points("not_started", has_evidence=True) == 0
    assert assessment_score([("in_place", True)] * len(ELEMENTS)) == 100
    assert assessment_score([]) == 0
    # 14 elements, max 28 points: 2 + 1 + 0.5 = 3.5 points -> 12%
    assert assessment_score([("in_place", True), ("in_place", False), ("partial", False)]) == 12


def test_answers_update_the_draft_score_and_evidence_counts(world: dict[str, Any]) -> None:
    importer = world["importer"]
    chain_map = _map(world)
    draft = ds.assessment_draft(actor=importer)
    ds.answer_save(actor=importer, assessment=draft, element="cbp_assess", status="in_place", narrative="n")
    draft.refresh_from_db()
    assert draft.score == assessment_score([("in_place", False)])
    ds.answer_save(actor=importer, assessment=draft, element="cbp_assess", status="in_place", map_id=chain_map.pk)
    ds.answer_save(
        actor=importer, assessment=draft, element="cbp_code", status="partial", document=TXT, document_name="coc.txt"
    )
    draft.refresh_from_db()
    assert draft.score == assessment_score([("in_place", True), ("partial", True)])
    answer = AssessmentAnswer.objects.get(assessment=draft, element="cbp_code")
    assert answer.sha256 and answer.file.name
    # stored encrypted, read back hash-checked
    with answer.file.open("rb") as fh:
        assert TXT not in fh.read()
    assert ds.answer_document(actor=world["officer"], answer=answer) == TXT


def test_bad_answers_are_refused_with_their_field(world: dict[str, Any]) -> None:
    importer = world["importer"]
    draft = ds.assessment_draft(actor=importer)
    with pytest.raises(InvalidInput) as exc:
        ds.answer_save(actor=importer, assessment=draft, element="nope", status="in_place")
    assert exc.value.field == "element"
    with pytest.raises(InvalidInput) as exc:
        ds.answer_save(actor=importer, assessment=draft, element="cbp_code", status="done")
    assert exc.value.field == "status"
    with pytest.raises(InvalidInput):
        ds.answer_save(actor=importer, assessment=draft, element="cbp_code", status="partial", document=b"\x00\x01bin")
    assert not AssessmentAnswer.objects.filter(assessment=draft).exists()


# ------------------------------------------------------------------------------- versioning


def test_submitting_freezes_the_version_and_the_next_edit_opens_a_new_one(world: dict[str, Any]) -> None:
    importer = world["importer"]
    v1 = ds.assessment_draft(actor=importer)
    assert ds.assessment_draft(actor=importer).pk == v1.pk  # one draft at a time
    with pytest.raises(InvalidInput):
        ds.assessment_submit(actor=importer, assessment=v1)  # nothing answered
    ds.answer_save(actor=importer, assessment=v1, element="cbp_code", status="partial", narrative="first")
    ds.assessment_submit(actor=importer, assessment=v1)
    v1.refresh_from_db()
    assert v1.status == Assessment.Status.SUBMITTED and v1.submitted_at and v1.version == 1
    with pytest.raises(Conflict):
        ds.answer_save(actor=importer, assessment=v1, element="cbp_code", status="in_place")
    with pytest.raises(Conflict):
        ds.assessment_submit(actor=importer, assessment=v1)

    v2 = ds.assessment_draft(actor=importer)
    assert v2.pk != v1.pk and v2.version == 2
    assert v2.answers.get(element="cbp_code").narrative == "first"  # copied forward
    ds.answer_save(actor=importer, assessment=v2, element="cbp_code", status="in_place", narrative="second")
    assert v1.answers.get(element="cbp_code").narrative == "first"  # the submitted version is untouched
    assert ds.latest_submitted(world["org"].pk) == v1
    ds.assessment_submit(actor=importer, assessment=v2)
    assert ds.latest_submitted(world["org"].pk) == Assessment.objects.get(pk=v2.pk)


# ------------------------------------------------------------------------------- permissions


def test_only_the_organizations_trade_users_edit_and_staff_read(world: dict[str, Any]) -> None:
    importer, other = world["importer"], world["other_importer"]
    draft = ds.assessment_draft(actor=importer)
    for actor in (other, world["analyst"], world["officer"], world["hq"]):
        with pytest.raises(NotPermitted):
            ds.answer_save(actor=actor, assessment=draft, element="cbp_code", status="partial")
    with pytest.raises(NotPermitted):
        ds.assessment_draft(actor=world["officer"])
    assert not ds.assessments_visible_to(other).filter(pk=draft.pk).exists()
    assert not ds.assessments_visible_to(world["partner"]).exists()
    for staff in (world["analyst"], world["officer"], world["hq"], world["supervisor"]):
        assert ds.assessments_visible_to(staff).filter(pk=draft.pk).exists()


def test_cross_organization_pages_answer_not_found(world: dict[str, Any]) -> None:
    importer = world["importer"]
    draft = ds.assessment_draft(actor=importer)
    plan = ds.plan_create(actor=importer, title="Plan")
    client = Client()
    client.force_login(world["other_importer"])
    assert client.get(reverse("supplychain:assessment", args=[draft.pk])).status_code == 404
    assert client.get(reverse("supplychain:plan", args=[plan.pk])).status_code == 404
    r = client.post(reverse("supplychain:answer_save", args=[draft.pk]), {"element": "cbp_code", "status": "in_place"})
    assert r.status_code == 404
    assert not draft.answers.exists()


def test_evidence_must_be_the_organizations_own(world: dict[str, Any]) -> None:
    importer = world["importer"]
    chain_map = _map(world)
    draft = ds.assessment_draft(actor=world["other_importer"])
    with pytest.raises(InvalidInput) as exc:
        ds.answer_save(
            actor=world["other_importer"],
            assessment=draft,
            element="cbp_assess",
            status="in_place",
            map_id=chain_map.pk,
        )
    assert exc.value.field == "map"
    with pytest.raises(InvalidInput):
        ds.plan_create(actor=world["other_importer"], title="x", map_id=chain_map.pk)
    assert ds.plan_create(actor=importer, title="ok", map_id=chain_map.pk).map_id == chain_map.pk


# ------------------------------------------------------------------------------- display


def _detention(org: Any) -> Any:
    from section307.ports.models import Detention, Entry, Regime

    entry = Entry.objects.create(
        entry_number="DIL-0000001",
        port="2704",
        mode=Entry.Mode.OCEAN,
        importer_name=org.name,
        organization=org,
        date_of_import=dt.date(2026, 1, 2),
        status=Entry.Status.DETAINED,
        source=Entry.Source.DEMO,
    )
    return Detention.objects.create(
        entry=entry,
        regime=Regime.UFLPA,
        order_reference="UFLPA",
        scope="Cotton",
        reasons="Xinjiang cotton",
        notice_date=dt.date(2026, 1, 3),
    )


def test_latest_submitted_assessment_shows_beside_the_detention(world: dict[str, Any]) -> None:
    importer = world["importer"]
    detention = _detention(world["org"])
    client = Client()
    client.force_login(world["officer"])
    url = reverse("ports:detention_detail", args=[detention.pk])
    assert "No due-diligence self-assessment submitted" in client.get(url).content.decode()

    draft = ds.assessment_draft(actor=importer)
    ds.answer_save(
        actor=importer, assessment=draft, element="cbp_code", status="in_place", document=TXT, document_name="coc.txt"
    )
    ds.assessment_submit(actor=importer, assessment=draft)
    draft.refresh_from_db()
    ds.assessment_draft(actor=importer)  # a newer draft is not shown: only submitted versions are
    html = client.get(url).content.decode()
    assert f"Self-assessment score {draft.score}% (version 1, submitted" in html
    assert reverse("supplychain:assessment", args=[draft.pk]) in html
    # the officer reads it
    assert client.get(reverse("supplychain:assessment", args=[draft.pk])).status_code == 200


# ------------------------------------------------------------------------------- remediation plans


def test_plan_lifecycle_to_its_outcome(world: dict[str, Any]) -> None:
    importer = world["importer"]
    chain_map = _map(world)
    ginner = chain_map.nodes.get(name="Aksu Golden Field Cotton Ginnery")
    plan = ds.plan_create(actor=importer, title="Drop Xinjiang cotton", node_id=ginner.pk)
    assert plan.map_id == chain_map.pk and plan.status == "open"
    m = ds.milestone_add(actor=importer, plan=plan, title="Segregated lots", due_date=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput):
        ds.plan_close(actor=importer, plan=plan, transition="remediate", note="")
    with pytest.raises(Conflict):  # a pending milestone blocks "remediated"
        ds.plan_close(actor=importer, plan=plan, transition="remediate", note="done")
    with pytest.raises(NotPermitted):
        ds.milestone_complete(actor=world["officer"], milestone=m)
    ds.milestone_complete(actor=importer, milestone=m, note="lots confirmed")
    plan = ds.plan_close(actor=importer, plan=plan, transition="remediate", note="segregated since March")
    assert plan.status == "remediated" and plan.closed_at
    with pytest.raises(TransitionNotAllowed):
        ds.plan_close(actor=importer, plan=plan, transition="abandon", note="x")
    with pytest.raises(Conflict):
        ds.milestone_add(actor=importer, plan=plan, title="late", due_date=dt.date(2026, 4, 1))
    from section307.core.models import AuditEvent

    actions = set(AuditEvent.objects.filter(action__startswith="supplychain.").values_list("action", flat=True))
    assert {
        "supplychain.plan_create",
        "supplychain.milestone_add",
        "supplychain.milestone_complete",
        "supplychain.plan_remediate",
    } <= actions


def test_other_organization_cannot_close_a_plan(world: dict[str, Any]) -> None:
    plan = ds.plan_create(actor=world["importer"], title="p")
    with pytest.raises(NotPermitted):
        ds.plan_close(actor=world["other_importer"], plan=plan, transition="abandon", note="x")
    assert RemediationPlan.objects.get(pk=plan.pk).status == "open"


def test_overdue_milestones_are_in_the_importers_work_queue(world: dict[str, Any]) -> None:
    importer = world["importer"]
    plan = ds.plan_create(actor=importer, title="Drop Xinjiang cotton")
    today = timezone.localdate()
    late = ds.milestone_add(actor=importer, plan=plan, title="Late step", due_date=today - dt.timedelta(days=2))
    ds.milestone_add(actor=importer, plan=plan, title="Future step", due_date=today + dt.timedelta(days=10))
    items = [i for i in queue_for(importer) if i.kind == "supplychain.milestone_overdue"]
    assert [i.ref for i in items] == [f"supplychain.milestone:{late.pk}"]
    assert items[0].due == late.due_date and "overdue" in items[0].why
    assert items[0].url == reverse("supplychain:plan", args=[plan.pk])
    assert not [i for i in queue_for(world["other_importer"]) if i.kind == "supplychain.milestone_overdue"]
    ds.milestone_complete(actor=importer, milestone=late)
    assert not [i for i in queue_for(importer) if i.kind == "supplychain.milestone_overdue"]
    assert Milestone.objects.filter(plan=plan, status="pending").count() == 1


def test_importer_walks_the_pages(world: dict[str, Any]) -> None:
    importer = world["importer"]
    client = Client()
    client.force_login(importer)
    r = client.post(reverse("supplychain:assessment_edit"))
    draft = Assessment.objects.get(organization=world["org"], status="draft")
    assert r.status_code == 302 and r["Location"] == reverse("supplychain:assessment", args=[draft.pk])
    assert "Engage stakeholders and partners" in client.get(r["Location"]).content.decode()
    client.post(
        reverse("supplychain:answer_save", args=[draft.pk]),
        {"element": "oecd_embed", "status": "in_place", "narrative": "Policy"},
    )
    client.post(reverse("supplychain:assessment_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    r = client.post(reverse("supplychain:plan_new"), {"title": "Plan A"})
    plan = RemediationPlan.objects.get(title="Plan A")
    assert r["Location"] == reverse("supplychain:plan", args=[plan.pk])
    client.post(reverse("supplychain:milestone_add", args=[plan.pk]), {"title": "Step", "due_date": "2026-05-01"})
    client.post(reverse("supplychain:milestone_add", args=[plan.pk]), {"title": "No date", "due_date": "bad"})
    assert [m.title for m in plan.milestones.all()] == ["Step"]
    client.post(reverse("supplychain:plan_close", args=[plan.pk]), {"outcome": "abandon", "note": "supplier exited"})
    plan.refresh_from_db()
    assert plan.status == "abandoned"
    assert "Plan A" in client.get(reverse("supplychain:diligence")).content.decode()


def test_summary_tag_for_petitions_and_requests_shows_staff_and_the_importer_only(world: dict[str, Any]) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    importer = world["importer"]
    draft = ds.assessment_draft(actor=importer)
    ds.answer_save(actor=importer, assessment=draft, element="oecd_embed", status="in_place", narrative="Policy")
    ds.assessment_submit(actor=importer, assessment=draft)
    tpl = Template("{% load diligence %}{% diligence_summary org_id %}")

    def render(user: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return tpl.render(Context({"request": request, "org_id": world["org"].pk}))

    assert "(version 1, submitted" in render(world["hq"])
    assert "(version 1, submitted" in render(importer)
    assert render(world["other_importer"]).strip() == ""
    assert render(world["partner"]).strip() == ""
