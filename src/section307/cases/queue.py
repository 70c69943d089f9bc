"""Work-queue providers of case management: tasks, proposals awaiting approval, petitions.

Items are computed from the records' dates when the queue is read (``core.queue``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.accounts.models import User
from section307.cases import permissions as perms
from section307.cases.models import CaseTask, OrderChangeRequest, OrderProposal, Phase
from section307.core.queue import WorkItem, register

PETITION_RULE = "CBP WRO Modification/Revocation Processes Overview (2021)"


def tasks_due(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Analysts and supervisors: their open tasks on open cases that are due within the soon-due
    window (``SECTION307_CLOCK_SOON_DAYS``) or overdue, have no date, or approve a proposal that
    awaits it; computed from ``now``."""
    if not user.has_perm("cases.work_case"):
        return
    from django.conf import settings
    from django.db.models import Q

    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=int(getattr(settings, "SECTION307_CLOCK_SOON_DAYS", 7)))
    tasks = (
        CaseTask.objects.filter(assignee=user, status=CaseTask.Status.OPEN)
        # An approval task is actionable as soon as the proposal awaits approval, whatever its date.
        .filter(Q(due_date__isnull=True) | Q(due_date__lte=horizon) | Q(gate="approval", case__phase=Phase.DECISION))
        .exclude(case__phase=Phase.CLOSED)
        .filter(case__in=perms.visible_cases(user))
        .select_related("case")
    )
    for task in tasks:
        overdue = task.due_date is not None and task.due_date < today
        why = _("Overdue task on the case") if overdue else _("Task assigned to you")
        if task.gate == "approval":
            why = _("Approve or return the proposal (two-person rule)")
        yield WorkItem(
            kind="case.task",
            title=f"{task.case.reference}: {task.title}",
            why=why,
            url=reverse("cases:case_detail", args=[task.case.reference]) + "#tasks",
            due=task.due_date,
            priority=1 if overdue else 0,
            ref=f"cases.casetask:{task.pk}",
        )


def proposals_awaiting(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Supervisors: submitted proposals of their agency they may decide, never their own."""
    if not (user.has_perm("cases.approve_proposal") and getattr(user, "organization_id", None)):
        return
    proposals = (
        OrderProposal.objects.filter(status=OrderProposal.Status.SUBMITTED, case__agency_id=user.organization_id)
        .exclude(author=user)
        .select_related("case", "author")
    )
    for proposal in proposals:
        if not perms.can_decide(user, proposal.case, proposal):
            continue
        submitted = proposal.submitted_at or proposal.created_at
        yield WorkItem(
            kind="case.proposal_approval",
            title=f"{proposal.case.reference}: {proposal.get_order_type_display()} proposal",
            why=_("Awaiting your approval; written by %(author)s") % {"author": proposal.author.get_username()},
            url=reverse("cases:proposal_decide", args=[proposal.case.reference, proposal.pk]),
            due=timezone.localdate(submitted),
            priority=2,
            ref=f"cases.orderproposal:{proposal.pk}",
        )


def petitions_to_decide(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Headquarters: every open petition, in the queue's priority order; an answered question first."""
    if not user.has_perm("cases.decide_petition"):
        return
    from section307.cases.selectors import petition_queue

    rows = petition_queue(user=user)
    for position, row in enumerate(rows):
        p = row.petition
        if p.status == OrderChangeRequest.Status.INFO_REQUESTED:
            continue  # waiting for the petitioner, who has it in their own queue
        why = _("%(kind)s petition; %(n)s shipment(s) detained under the order, USD %(value).2f") % {
            "kind": p.get_kind_display(),
            "n": row.detained,
            "value": row.value_usd,
        }
        if p.info_answer and p.status == OrderChangeRequest.Status.UNDER_REVIEW:
            why = _("The petitioner answered your question. ") + why
        yield WorkItem(
            kind="petition.decide",
            title=_("Petition %(pk)s against %(order)s") % {"pk": p.pk, "order": p.order.reference},
            why=why,
            url=reverse("petitions:detail", args=[p.pk]),
            due=None,
            rule=PETITION_RULE,
            priority=len(rows) - position,
            ref=f"cases.orderchangerequest:{p.pk}",
        )


def petition_answers_due(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Petitioners (importers, brokers, analysts): questions from headquarters to answer by a date."""
    from django.db.models import Q

    q = Q(submitted_by=user)
    if user.has_perm("trade.use_portal") and getattr(user, "organization_id", None):
        q |= Q(organization_id=user.organization_id)
    for p in OrderChangeRequest.objects.filter(q, status=OrderChangeRequest.Status.INFO_REQUESTED).select_related(
        "order"
    ):
        yield WorkItem(
            kind="petition.answer",
            title=_("Petition %(pk)s against %(order)s") % {"pk": p.pk, "order": p.order.reference},
            why=_("Headquarters asked: %(q)s") % {"q": p.info_question[:200]},
            url=reverse("petitions:detail", args=[p.pk]),
            due=p.info_due_date,
            rule=PETITION_RULE,
            ref=f"cases.orderchangerequest:{p.pk}",
        )


def register_providers() -> None:
    for provider in (tasks_due, proposals_awaiting, petitions_to_decide, petition_answers_due):
        register(provider)
