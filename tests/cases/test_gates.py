"""Each gate of the phase lifecycle, the two-person rule and closing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from section307.cases import gates, services
from section307.cases.models import Case, CaseTask, OrderProposal, Phase
from section307.core.errors import Conflict
from section307.core.lifecycle import TransitionNotAllowed
from section307.orders.models import EnforcementOrder, OrderSource

from .conftest import World, draft_proposal, escalated_case, map_and_memo, open_case


def test_opening_from_template_creates_tasks_per_phase_with_due_dates(world: World) -> None:
    case = open_case(world)
    tasks = list(case.tasks.all())
    assert len(tasks) == world.template.tasks.count() == 14
    assert {t.phase for t in tasks} == {"initiation", "research", "escalation", "decision"}
    assert all(t.due_date is not None and t.assignee == world.analyst for t in tasks)
    assert case.reference.startswith("CASE-") and case.agency == world.agency and case.phase == Phase.INITIATION


def test_cannot_leave_phase_2_without_map_and_memo(world: World) -> None:
    case = open_case(world)
    services.case_transition(actor=world.analyst, case=case, transition="begin_research")
    with pytest.raises(services.GateNotPassed) as exc:
        services.case_transition(actor=world.analyst, case=case, transition="escalate")
    assert gates.MSG_MAP in exc.value.messages and gates.MSG_MEMO in exc.value.messages
    assert Case.objects.get(pk=case.pk).phase == Phase.RESEARCH


def test_map_needs_tiers_and_links(world: World) -> None:
    case = open_case(world)
    services.case_transition(actor=world.analyst, case=case, transition="begin_research")
    services.case_party_add(actor=world.analyst, case=case, party=world.producer, tier=2)
    services.case_party_add(actor=world.analyst, case=case, party=world.spinner, tier=1)  # not linked
    case = services.case_memo_save(actor=world.analyst, case=case, memo="Valid.")
    assert gates.gate_leave_research(case) == [gates.MSG_MAP]
    map_and_memo(world, case)
    assert gates.gate_leave_research(case) == []
    case = services.case_transition(actor=world.analyst, case=case, transition="escalate")
    assert case.phase == Phase.ESCALATION


def test_cannot_skip_phases(world: World) -> None:
    case = open_case(world)
    with pytest.raises(TransitionNotAllowed):
        services.case_transition(actor=world.analyst, case=case, transition="escalate")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"basis": ""}, gates.MSG_BASIS),
        ({"merchandise": " "}, gates.MSG_MERCH),
        ({"importer_due_diligence": True}, gates.MSG_GRACE),
        ({"order_type": "finding"}, gates.MSG_PROBABLE),
        ({"order_type": "finding", "probable_cause": "Audit + testimony"}, gates.MSG_CITATION),
    ],
)
def test_proposal_gate_items(world: World, change: dict, message: str) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case, **change)
    with pytest.raises(services.GateNotPassed) as exc:
        services.proposal_submit(actor=world.analyst, proposal=proposal)
    assert message in exc.value.messages
    assert Case.objects.get(pk=case.pk).phase == Phase.ESCALATION


def test_proposal_needs_ilo_assessment_and_engagement_with_referral(world: World) -> None:
    case = open_case(world)
    map_and_memo(world, case)
    services.case_transition(actor=world.analyst, case=case, transition="begin_research")
    case = services.case_transition(actor=world.analyst, case=case, transition="escalate")
    proposal = draft_proposal(world, case)
    problems = gates.gate_proposal(case, proposal=proposal)
    assert gates.MSG_ILO in problems and gates.MSG_ENGAGED in problems
    services.engagement_record(
        actor=world.analyst, case=case, kind="agency", stakeholder="DOL", engaged_on=case.created_at.date(), summary="x"
    )
    assert gates.MSG_REFERRAL in gates.gate_proposal(case, proposal=proposal)


def test_grace_period_answer_satisfies_gate(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(
        world, case, importer_due_diligence=True, grace_period="offered", grace_period_note="Alert sent 1 Dec; 60 days"
    )
    assert services.proposal_submit(actor=world.analyst, proposal=proposal).status == OrderProposal.Status.SUBMITTED


def test_finding_with_probable_cause_and_citation_passes(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case, order_type="finding", probable_cause="Audit", citation="91 FR 1234")
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    proposal = services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True)
    assert proposal.order.order_type == "finding" and proposal.order.citation == "91 FR 1234"


def test_two_person_rule(world: World) -> None:
    case = escalated_case(world)
    services.case_update(actor=world.supervisor, case=case, data={}, team=[world.teammate, world.supervisor])
    proposal = services.proposal_save(
        actor=world.supervisor,
        case=case,
        data={"order_type": "wro", "merchandise": "Yarn", "basis": "Reasonable", "country": world.country},
        goods=[world.good],
    )
    services.proposal_submit(actor=world.supervisor, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True)
    assert not EnforcementOrder.objects.exists()
    # An analyst cannot approve either, whoever wrote it.
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=world.analyst, proposal=proposal, approve=True)
    # A supervisor of another agency cannot.
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=world.foreign_supervisor, proposal=proposal, approve=True)
    done = services.proposal_decide(actor=world.supervisor2, proposal=proposal, approve=True, note="Agreed")
    assert done.status == OrderProposal.Status.APPROVED and done.decided_by == world.supervisor2
    assert Case.objects.get(pk=case.pk).phase == Phase.ENFORCEMENT


def test_issue_gate_refuses_author_even_when_called_directly(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    assert gates.MSG_TWO_PERSON in gates.gate_issue(case, proposal=proposal, actor=world.analyst)
    assert gates.gate_issue(case, proposal=proposal, actor=world.supervisor) == []


def test_return_sends_case_back_to_phase_3(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=False, note="Need more audits")
    assert Case.objects.get(pk=case.pk).phase == Phase.ESCALATION
    assert OrderProposal.objects.get(pk=proposal.pk).status == OrderProposal.Status.REJECTED
    assert not EnforcementOrder.objects.exists()


def test_issuing_creates_the_order_with_scope_and_link(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case, hts_prefixes=["5205"])
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    proposal = services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True)
    order = proposal.order
    assert order.source == OrderSource.CASE and order.order_type == "wro" and order.status == "active"
    assert [(op.party, op.qualifiers) for op in order.order_parties.all()] == [
        (world.spinner, ["and its subsidiaries"])
    ]
    assert list(order.goods.all()) == [world.good] and order.hts_prefixes == ["5205"]
    assert order.country == world.country and order.proposal == proposal
    assert order.events.get().kind == "issued"


def test_closing_needs_outcome_and_note_and_cancels_open_tasks(world: World) -> None:
    case = open_case(world)
    with pytest.raises(services.GateNotPassed) as exc:
        services.case_close(actor=world.analyst, case=case, outcome="", closing_note="")
    assert set(exc.value.messages) == {gates.MSG_OUTCOME, gates.MSG_NOTE}
    assert gates.open_task_warning(case) == 14
    case, cancelled = services.case_close(
        actor=world.analyst, case=case, outcome=Case.Outcome.INSUFFICIENT, closing_note="No US imports found"
    )
    assert cancelled == 14 and case.phase == Phase.CLOSED
    assert not CaseTask.objects.filter(case=case, status="open").exists()
    with pytest.raises(Conflict):
        services.case_update(actor=world.analyst, case=case, data={"title": "x"})


def test_only_owner_or_supervisor_closes(world: World) -> None:
    case = open_case(world)
    with pytest.raises(PermissionDenied):
        services.case_close(actor=world.teammate, case=case, outcome="other", closing_note="x")
    services.case_close(actor=world.supervisor, case=case, outcome="other", closing_note="x")
    services.case_reopen(actor=world.supervisor, case=case, note="New facts")
    assert Case.objects.get(pk=case.pk).phase == Phase.RESEARCH
