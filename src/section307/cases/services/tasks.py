"""section307.cases.services: tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.accounts.models import User
from section307.cases import permissions as perms
from section307.cases.lifecycle import (
    TASK_LIFECYCLE,
    require_open,
)
from section307.cases.models import (
    Case,
    CaseComment,
    CaseTask,
    OrderProposal,
    TaskComment,
)
from section307.cases.services._base import _clean_text, _open, _require
from section307.core.audit import audit_record
from section307.core.errors import Conflict
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.types import Actor, account, signed_in

# -------------------------------------------------------------------------------------------- tasks


@transaction.atomic
def task_create(
    *, actor: Actor, case: Case, title: str, phase: str, due_date: dt.date | None = None, assignee: User | None = None
) -> CaseTask:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    task = CaseTask(case=case, title=_clean_text(title, "title"), phase=phase, due_date=due_date, assignee=assignee)
    task.full_clean()
    task.save()
    audit_record(actor=actor, action="case.task_create", target=case, data={"task": task.pk, "title": task.title})
    return task


def _assignable(case: Case, user: User | None) -> bool:
    return user is None or perms.can_work(user, case)


@transaction.atomic
def task_assign(*, actor: Actor, task: CaseTask, assignee: User | None) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    if not _assignable(task.case, assignee):
        raise ValidationError(
            {"assignee": gettext("Tasks go to people who work this case (owner, team or supervisor).")}
        )
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=actor,
        action="case.task_assign",
        target=task.case,
        data={"task": task.pk, "assignee": getattr(assignee, "username", None)},
    )
    return task


def _task_move(*, actor: Actor, task: CaseTask, transition: str, reason: str = "") -> CaseTask:
    """Move one task through ``TASK_LIFECYCLE`` and audit it (the caller holds the transaction)."""
    try:
        step = TASK_LIFECYCLE.check(transition, state=task.status, actor=actor)
    except TransitionNotAllowed as exc:
        raise Conflict(str(exc), field="task") from None
    previous = task.status
    task.status = step.target
    if step.target == CaseTask.Status.DONE:
        task.completed_at = timezone.now()
        task.completed_by = account(actor)
    else:
        task.completed_at = None
        task.completed_by = None
    task.cancel_reason = reason[:300] if step.target == CaseTask.Status.CANCELLED else ""
    task.save(update_fields=["status", "completed_at", "completed_by", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=f"case.task_{step.name}",
        target=task.case,
        data={"task": task.pk, "from": previous, "to": task.status, "reason": reason},
    )
    return task


@transaction.atomic
def task_complete(*, actor: Actor, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if task.status != CaseTask.Status.OPEN:
        raise ValidationError({"task": gettext("This task is not open.")})
    return _task_move(actor=actor, task=task, transition="complete")


@transaction.atomic
def task_reopen(*, actor: Actor, task: CaseTask) -> CaseTask:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    return _task_move(actor=actor, task=task, transition="reopen")


def tasks_settle(*, actor: Actor, case: Case, reason: str = "") -> list[CaseTask]:
    """Tasks follow the case: an open task whose condition is met is done; with ``reason``, every
    other open task is cancelled with it (closing a case, issuing its order). Called inside the
    transaction of the service that changed the case; each moved task is audited."""
    from section307.cases.taskgates import task_condition_met

    # Callers settle before they close the case, so a case already closed is a record.
    require_open(case)
    moved: list[CaseTask] = []
    met: dict[str, bool] = {}
    for task in CaseTask.objects.select_for_update().filter(case=case, status=CaseTask.Status.OPEN):
        if task.gate and met.setdefault(task.gate, task_condition_met(case, task.gate)):
            moved.append(_task_move(actor=actor, task=task, transition="complete"))
        elif reason:
            moved.append(_task_move(actor=actor, task=task, transition="cancel", reason=reason))
    return moved


def _approval_assignee(case: Case, proposal: OrderProposal) -> Any:
    """A supervisor of the case's agency who did not write the proposal (two-person rule)."""
    from django.contrib.auth import get_user_model

    if case.agency_id is None:
        return None
    return (
        get_user_model()
        .objects.filter(
            organization_id=case.agency_id,
            is_active=True,
            groups__permissions__content_type__app_label="cases",
            groups__permissions__codename="approve_proposal",
        )
        .exclude(pk=proposal.author_id)
        .order_by("username")
        .first()
    )


@transaction.atomic
def task_comment(*, actor: Actor, task: CaseTask, body: str) -> TaskComment:
    _require(perms.can_work(actor, task.case))
    _open(task.case_id)
    comment = TaskComment.objects.create(task=task, author=signed_in(actor), body=_clean_text(body, "body"))
    audit_record(actor=actor, action="case.task_comment", target=task.case, data={"task": task.pk})
    return comment


@transaction.atomic
def case_comment_add(*, actor: Actor, case: Case, body: str) -> CaseComment:
    _require(perms.can_comment(actor, case), gettext("You have read-only access to this case."))
    _open(case.pk)
    comment = CaseComment.objects.create(case=case, author=signed_in(actor), body=_clean_text(body, "body"))
    audit_record(actor=actor, action="case.comment", target=case, data={"comment": comment.pk})
    return comment
