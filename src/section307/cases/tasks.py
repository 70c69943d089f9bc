"""Background work: reminders for overdue case tasks (run by the django-tasks database worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_tasks import task

from section307.cases.models import CaseTask
from section307.cases.selectors import overdue_tasks
from section307.core.audit import audit_record


@task()
def remind_overdue_tasks() -> int:
    """Email each assignee about their overdue tasks, at most once a day per task. Returns emails sent."""
    today = timezone.localdate()
    by_user: dict[int, list[CaseTask]] = {}
    pending = overdue_tasks().filter(assignee__isnull=False, assignee__is_active=True).exclude(reminded_on=today)
    for t in pending:
        if t.assignee_id is not None:
            by_user.setdefault(t.assignee_id, []).append(t)
    sent = 0
    for tasks in by_user.values():
        user = tasks[0].assignee
        assert user is not None  # grouped by assignee above
        lines = [
            "- "
            + gettext("%(case)s: %(task)s (due %(due)s)")
            % {"case": t.case.reference, "task": t.title, "due": f"{t.due_date:%Y-%m-%d}"}
            for t in tasks
        ]
        with transaction.atomic():
            if user.email:
                send_mail(
                    subject=ngettext("%(count)d overdue case task", "%(count)d overdue case tasks", len(tasks))
                    % {"count": len(tasks)},
                    message=gettext("These tasks are past their due date:") + "\n\n" + "\n".join(lines),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
                sent += 1
            for t in tasks:
                t.reminded_on = today
                t.save(update_fields=["reminded_on"])
            audit_record(actor=None, action="case.task_reminder", target=user, data={"tasks": [t.pk for t in tasks]})
    return sent
