"""A closed case is read-only in the services, not only in the templates.

Every write in ``cases.services`` is either refused on a closed case (listed in ``REFUSED``
below, each one exercised), allowed on purpose (``cases.lifecycle.WRITES_ON_CLOSED_CASE``,
documented in docs/cases.md), or does not act on an existing case (``NOT_CASE_BOUND``). A new
write that is in none of these lists fails ``test_every_case_write_is_classified``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from section307.cases import services
from section307.cases.ilo import Indicator, Strength
from section307.cases.lifecycle import WRITES_ON_CLOSED_CASE
from section307.cases.models import (
    Case,
    CaseParty,
    CaseShare,
    CaseTask,
    CustodyEvent,
    Evidence,
    IndicatorTag,
    OrderProposal,
    Phase,
)
from section307.core.audit import AuditEvent
from section307.core.errors import Conflict

from .conftest import World, add_evidence, escalated_case, open_case

NOT_CASE_BOUND = frozenset({"case_create", "case_open_from_allegation"})


@dataclass
class Closed:
    case: Case
    evidence: Evidence
    tag: IndicatorTag
    task: CaseTask
    link: CaseParty
    draft: OrderProposal
    submitted: OrderProposal
    other: Case


def closed_case(w: World) -> Closed:
    case = escalated_case(w)
    evidence = Evidence.objects.filter(case=case).first()
    assert evidence is not None
    tag = IndicatorTag.objects.filter(evidence=evidence).first()
    assert tag is not None
    draft = OrderProposal.objects.create(case=case, author=w.analyst, order_type="wro")
    submitted = OrderProposal.objects.create(
        case=case, author=w.analyst, order_type="wro", status=OrderProposal.Status.SUBMITTED
    )
    services.case_share(actor=w.analyst, case=case, organization=w.dol, access=CaseShare.Access.COMMENT)
    services.case_close(actor=w.analyst, case=case, outcome=Case.Outcome.INSUFFICIENT, closing_note="No imports")
    return Closed(
        case=Case.objects.get(pk=case.pk),
        evidence=evidence,
        tag=tag,
        task=CaseTask.objects.filter(case=case).first(),  # type: ignore[arg-type]
        link=CaseParty.objects.filter(case=case).first(),  # type: ignore[arg-type]
        draft=draft,
        submitted=submitted,
        other=open_case(w, title="Another open case"),
    )


def _file() -> io.BytesIO:
    return io.BytesIO(b"A late note.\n")


REFUSED: dict[str, Callable[[World, Closed], Any]] = {
    "case_update": lambda w, c: services.case_update(actor=w.analyst, case=c.case, data={"title": "x"}),
    "case_memo_save": lambda w, c: services.case_memo_save(actor=w.analyst, case=c.case, memo="late"),
    "case_transition": lambda w, c: services.case_transition(actor=w.analyst, case=c.case, transition="escalate"),
    "case_close": lambda w, c: services.case_close(
        actor=w.analyst, case=c.case, outcome=Case.Outcome.OTHER, closing_note="again"
    ),
    "case_party_add": lambda w, c: services.case_party_add(actor=w.analyst, case=c.case, party=w.producer),
    "case_party_remove": lambda w, c: services.case_party_remove(actor=w.analyst, case=c.case, link=c.link),
    "task_create": lambda w, c: services.task_create(actor=w.analyst, case=c.case, title="late", phase=Phase.RESEARCH),
    "task_assign": lambda w, c: services.task_assign(actor=w.analyst, task=c.task, assignee=w.teammate),
    "task_complete": lambda w, c: services.task_complete(actor=w.analyst, task=c.task),
    "task_reopen": lambda w, c: services.task_reopen(actor=w.analyst, task=c.task),
    "task_comment": lambda w, c: services.task_comment(actor=w.analyst, task=c.task, body="late"),
    "tasks_settle": lambda w, c: services.tasks_settle(actor=w.analyst, case=c.case, reason="late"),
    "case_comment_add": lambda w, c: services.case_comment_add(actor=w.partner, case=c.case, body="late"),
    "engagement_record": lambda w, c: services.engagement_record(
        actor=w.analyst,
        case=c.case,
        kind="ngo",
        stakeholder="NGO",
        engaged_on=dt.date(2026, 1, 2),
        summary="late",
    ),
    "evidence_add": lambda w, c: add_evidence(w, c.case),
    "evidence_annotate": lambda w, c: services.evidence_annotate(actor=w.analyst, evidence=c.evidence, body="x"),
    "evidence_tag": lambda w, c: services.evidence_tag(
        actor=w.analyst, evidence=c.evidence, indicator=Indicator.ISOLATION, strength=Strength.STRONG
    ),
    "evidence_tag_withdraw": lambda w, c: services.evidence_tag_withdraw(actor=w.analyst, tag=c.tag),
    "ilo_assessment_record": lambda w, c: services.ilo_assessment_record(actor=w.analyst, case=c.case, conclusion="x"),
    "proposal_save": lambda w, c: services.proposal_save(
        actor=w.analyst, case=c.case, data={"merchandise": "x"}, proposal=c.draft
    ),
    "proposal_submit": lambda w, c: services.proposal_submit(actor=w.analyst, proposal=c.draft),
    "proposal_withdraw": lambda w, c: services.proposal_withdraw(actor=w.analyst, proposal=c.submitted),
    "proposal_decide": lambda w, c: services.proposal_decide(
        actor=w.supervisor, proposal=c.submitted, approve=False, note="x"
    ),
    "case_share": lambda w, c: services.case_share(
        actor=w.analyst, case=c.case, organization=w.state, access=CaseShare.Access.READ
    ),
    "case_merge": lambda w, c: services.case_merge(actor=w.analyst, duplicate=c.other, into=c.case, note="dup"),
    "case_link_allegation": lambda w, c: services.case_link_allegation(actor=w.analyst, case=c.case, allegation=None),
    "evidence_import_from_allegation": lambda w, c: services.evidence_import_from_allegation(
        actor=w.analyst, case=c.case, attachment=None
    ),
}


def _case_writes() -> set[str]:
    """Every public function of cases.services that acts for a user (takes ``actor``)."""
    return {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(fn).parameters
    }


def test_every_case_write_is_classified() -> None:
    unclassified = _case_writes() - set(REFUSED) - WRITES_ON_CLOSED_CASE - NOT_CASE_BOUND
    assert not unclassified, (
        f"Decide whether {sorted(unclassified)} may change a closed case: call require_open (and add it to "
        "REFUSED here) or add it to cases.lifecycle.WRITES_ON_CLOSED_CASE and docs/cases.md."
    )
    assert not set(REFUSED) & WRITES_ON_CLOSED_CASE


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_closed_case_refuses_write(world: World, name: str) -> None:
    closed = closed_case(world)
    audit_rows = AuditEvent.objects.count()
    custody_rows = CustodyEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        REFUSED[name](world, closed)
    assert exc.value.code == "case_closed" and exc.value.status == 409
    assert closed.case.reference in exc.value.message
    assert AuditEvent.objects.count() == audit_rows and CustodyEvent.objects.count() == custody_rows
    case = Case.objects.get(pk=closed.case.pk)
    assert case.phase == Phase.CLOSED and case.title == closed.case.title


def test_refusal_comes_after_the_permission_check(world: World) -> None:
    """Someone with no access learns nothing about the case's state: 403 before 409."""
    from django.core.exceptions import PermissionDenied

    closed = closed_case(world)
    with pytest.raises(PermissionDenied):
        services.case_memo_save(actor=world.outsider, case=closed.case, memo="x")


def test_writes_allowed_on_a_closed_case(world: World) -> None:
    closed = closed_case(world)
    share = CaseShare.objects.get(case=closed.case, revoked_at__isnull=True)
    services.case_view_record(actor=world.analyst, case=closed.case, view="detail")
    services.evidence_access_record(actor=world.analyst, evidence=closed.evidence, action=CustodyEvent.Action.VIEWED)
    assert services.evidence_verify(actor=world.analyst, evidence=closed.evidence) is True
    assert services.case_share_revoke(actor=world.analyst, share=share).revoked_at is not None
    reopened = services.case_reopen(actor=world.supervisor, case=closed.case, note="New facts")
    assert reopened.phase == Phase.RESEARCH
    services.task_create(actor=world.analyst, case=reopened, title="Follow up", phase=Phase.RESEARCH)


def test_merged_case_names_the_surviving_case(world: World) -> None:
    survivor = open_case(world, title="Survivor")
    duplicate = open_case(world, title="Duplicate")
    services.case_merge(actor=world.analyst, duplicate=duplicate, into=survivor, note="Same mill")
    with pytest.raises(Conflict) as exc:
        services.evidence_add(
            actor=world.analyst,
            case=duplicate,
            file=_file(),
            filename="late.txt",
            kind=Evidence.Kind.DOCUMENT,
            title="Late",
            source="NGO",
            date_obtained=dt.date(2026, 1, 1),
        )
    assert survivor.reference in exc.value.message


def test_pages_show_the_refusal_instead_of_failing(world: World) -> None:
    """Editing, moving or closing a closed case, or merging one in, shows the reason, not a server error."""
    from django.test import Client
    from django.urls import reverse

    closed = closed_case(world)
    client = Client()
    client.force_login(world.analyst)
    edit = client.post(
        reverse("cases:case_edit", args=[closed.case.reference]),
        {"title": "Changed", "origin": "tip", "priority": "medium", "risk_rating": "medium"},
    )
    assert edit.status_code == 400 and b"is closed" in edit.content
    merge = client.post(
        reverse("cases:case_merge", args=[closed.other.reference]), {"duplicate": closed.case.reference, "note": "x"}
    )
    assert merge.status_code == 400 and b"is closed" in merge.content
    move = client.post(
        reverse("cases:case_transition", args=[closed.case.reference]), {"transition": "escalate"}, follow=True
    )
    assert move.status_code == 200 and b"is closed" in move.content
    close = client.post(
        reverse("cases:case_close", args=[closed.case.reference]), {"outcome": "other", "closing_note": "again"}
    )
    assert close.status_code == 400 and b"is closed" in close.content
    assert Case.objects.get(pk=closed.case.pk).title == closed.case.title
