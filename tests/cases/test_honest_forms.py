"""Case forms ask for what the services and gates need; the proposal form behaves as an analyst expects."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from section307.cases import services
from section307.cases.forms import CasePartyForm, MemoForm, ProposalForm
from section307.cases.gates import MSG_MAP, MSG_MEMO, gate_leave_research
from section307.cases.models import CaseParty, OrderProposal
from tests.cases.conftest import World, draft_proposal, escalated_case, open_case

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_validity_memo_is_required_by_form_and_service(world: World) -> None:
    case = open_case(world)
    assert MemoForm.base_fields["memo"].required
    assert not MemoForm({"memo": "  "}).is_valid()
    assert MSG_MEMO in gate_leave_research(case)
    with pytest.raises(ValidationError):
        services.case_memo_save(actor=world.analyst, case=case, memo="   ")


def test_party_tier_is_required_because_the_map_gate_needs_tiers(world: World) -> None:
    case = open_case(world)
    assert CasePartyForm.base_fields["tier"].required
    form = CasePartyForm({"party": world.spinner.pk, "role": CaseParty.Role.PROCESSOR}, case=case)
    assert not form.is_valid() and "tier" in form.errors
    # Without tiers the supply-chain map does not pass the gate.
    a = services.case_party_add(actor=world.analyst, case=case, party=world.spinner)
    services.case_party_add(actor=world.analyst, case=case, party=world.producer, supplies_to=a)
    assert MSG_MAP in gate_leave_research(case)


def test_new_proposal_ticks_no_party_and_marks_the_targets(world: World) -> None:
    case = escalated_case(world)
    page = _client(world.analyst).get(reverse("cases:proposal_edit", args=[case.reference])).content.decode()
    scope = page[page.index('name="scope_parties"') - 200 :]
    assert 'name="scope_parties"' in page and "checked" not in scope.split("</fieldset>")[0]
    target = CaseParty.objects.filter(case=case, is_target=True).first()
    assert target is not None
    labels = dict(ProposalForm(case=case).fields["scope_parties"].choices)  # type: ignore[attr-defined]
    assert any("target of the case" in str(label) for label in labels.values())
    assert f"{target.party} — " in page and "target of the case" in page


def test_withdrawn_proposal_comes_back_filled_and_submitted_one_is_not_offered_again(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case, merchandise="Cotton yarn spun at the Aksu mill")
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    analyst = _client(world.analyst)
    edit = reverse("cases:proposal_edit", args=[case.reference])
    # Submitted: the edit address shows the submitted proposal, not an empty "Submit for approval" form.
    r = analyst.get(edit)
    assert r.status_code == 302 and r["Location"] == reverse(
        "cases:proposal_decide", args=[case.reference, proposal.pk]
    )
    r = analyst.post(r["Location"], {"withdraw": "1"})
    assert r.status_code == 302 and r["Location"] == edit
    assert OrderProposal.objects.get(pk=proposal.pk).status == OrderProposal.Status.WITHDRAWN
    page = analyst.get(edit).content.decode()
    assert "Cotton yarn spun at the Aksu mill" in page
    assert "reasonably but not conclusively indicate forced labor" in page  # the basis too
    spinner = CaseParty.objects.get(case=case, party=world.spinner)
    box = re.search(rf'<input[^>]*name="scope_parties" value="{spinner.pk}"[^>]*>', page)
    assert box is not None and " checked" in box.group(0)  # the withdrawn scope, ticked again
