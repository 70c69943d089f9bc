"""section307.cases.services: cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.accounts.models import User
from section307.cases import permissions as perms
from section307.cases.gates import gate_problems, open_task_warning
from section307.cases.lifecycle import (
    CASE_LIFECYCLE,
)
from section307.cases.models import (
    Case,
    CaseParty,
    CaseTask,
    CaseTemplate,
)
from section307.cases.services import tasks as _tasks
from section307.cases.services._base import GateNotPassed, _clean_text, _open, _require
from section307.core.audit import audit_record
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.types import Actor, signed_in
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.parties.models import Party

# ---------------------------------------------------------------------------------------------- cases


def case_next_reference(*, year: int) -> str:
    prefix = f"CASE-{year}-"
    taken = Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(r.rsplit("-", 1)[1]) for r in taken if r.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    title: str,
    template: CaseTemplate | None = None,
    origin: str = Case.Origin.TIP,
    summary: str = "",
    priority: str = Case.Priority.MEDIUM,
    risk_rating: str = Case.Risk.MEDIUM,
    owner: User | None = None,
    team: Iterable[User] = (),
    parties: Iterable[Party] = (),
    goods: Iterable[Good] = (),
    countries: Iterable[Country] = (),
    regions: Iterable[Region] = (),
    hts_prefixes: Sequence[str] = (),
    opened_on: dt.date | None = None,
) -> Case:
    _require(actor.has_perm("cases.work_case"), gettext("Only analysts and supervisors open cases."))
    owner = owner or signed_in(actor)
    opened_on = opened_on or timezone.localdate()
    case = Case(
        reference=case_next_reference(year=opened_on.year),
        title=_clean_text(title, "title"),
        summary=summary.strip(),
        origin=origin,
        priority=priority,
        risk_rating=risk_rating,
        owner=owner,
        agency=getattr(owner, "organization", None),
        template=template,
        hts_prefixes=list(hts_prefixes),
    )
    case.full_clean()
    case.save()
    case.team.set([u for u in team if u.pk != owner.pk])
    for party in parties:
        CaseParty.objects.get_or_create(case=case, party=party)
    case.goods.set(list(goods))
    case.countries.set(list(countries))
    case.regions.set(list(regions))
    if template is not None:
        CaseTask.objects.bulk_create(
            [
                CaseTask(
                    case=case,
                    phase=t.phase,
                    title=t.title,
                    description=t.description,
                    due_date=opened_on + dt.timedelta(days=t.due_offset_days),
                    assignee=owner,
                    position=t.position,
                    gate=t.gate,
                )
                for t in template.tasks.all()
            ]
        )
    audit_record(
        actor=actor,
        action="case.create",
        target=case,
        data={"template": template.name if template else "", "origin": origin},
    )
    return case


CASE_EDITABLE = ("title", "summary", "origin", "priority", "risk_rating", "hts_prefixes", "labor_type")


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    goods: Iterable[Good] | None = None,
    countries: Iterable[Country] | None = None,
    regions: Iterable[Region] | None = None,
    team: Iterable[Any] | None = None,
) -> dict[str, list[Any]]:
    _require(perms.can_work(actor, case))
    _open(case.pk)
    changes: dict[str, list[Any]] = {}
    for name, value in data.items():
        if name not in CASE_EDITABLE:
            raise ValueError(f"case field {name!r} cannot be changed here")
        old = getattr(case, name)
        if old != value:
            changes[name] = [old, value]
            setattr(case, name, value)
    case.full_clean()
    case.save()
    for name, values in (("goods", goods), ("countries", countries), ("regions", regions)):
        if values is None:
            continue
        wanted: list[Any] = list(values)
        manager = getattr(case, name)
        old_pks = sorted(manager.values_list("pk", flat=True))
        new_pks = sorted(v.pk for v in wanted)
        if old_pks != new_pks:
            changes[name] = [old_pks, new_pks]
            manager.set(wanted)
    if team is not None:
        _require(perms.can_manage(actor, case), gettext("Only the owner or a supervisor changes the team."))
        members = [u for u in team if u.pk != case.owner_id]
        old_pks = sorted(case.team.values_list("pk", flat=True))
        if old_pks != sorted(u.pk for u in members):
            changes["team"] = [old_pks, sorted(u.pk for u in members)]
            case.team.set(members)
    if changes:
        audit_record(actor=actor, action="case.update", target=case, data={"changes": changes})
    return changes


@transaction.atomic
def case_memo_save(*, actor: Actor, case: Case, memo: str) -> Case:
    _require(perms.can_work(actor, case))
    case = _open(case.pk)
    # An empty memo would undo the gate's "Write the validity memo"; the form asks for one too.
    case.validity_memo = _clean_text(memo, "memo")
    case.save(update_fields=["validity_memo", "updated_at"])
    audit_record(actor=actor, action="case.memo", target=case, data={"length": len(case.validity_memo)})
    _tasks.tasks_settle(actor=actor, case=case)
    return case


@transaction.atomic
def case_transition(*, actor: Actor, case: Case, transition: str, note: str = "") -> Case:
    """The simple phase moves (start research, escalate, return to research), gates included."""
    _require(perms.can_work(actor, case))
    case = _open(case.pk)
    step = CASE_LIFECYCLE.check(transition, state=case.phase, actor=actor)
    problems = gate_problems(step.name, case, actor=actor)
    if problems:
        raise GateNotPassed(problems)
    previous = case.phase
    case.phase = step.target
    case.save(update_fields=["phase", "updated_at"])
    audit_record(
        actor=actor,
        action=f"case.{step.name}",
        target=case,
        data={"from": previous, "to": case.phase, "note": note},
    )
    return case


@transaction.atomic
def case_close(*, actor: Actor, case: Case, outcome: str, closing_note: str) -> tuple[Case, int]:
    """Close with an outcome and a note; open tasks are cancelled and their number returned (the warning)."""
    _require(perms.can_manage(actor, case), gettext("Only the owner or a supervisor closes a case."))
    case = _open(case.pk)
    step = CASE_LIFECYCLE.check("close", state=case.phase, actor=actor)
    problems = gate_problems("close", case, outcome=outcome, closing_note=closing_note)
    if problems:
        raise GateNotPassed(problems)
    open_tasks = open_task_warning(case)
    _tasks.tasks_settle(actor=actor, case=case, reason=f"Case closed: {Case.Outcome(outcome).label}")
    previous = case.phase
    case.phase = step.target
    case.outcome = outcome
    case.closing_note = closing_note.strip()
    case.closed_at = timezone.now()
    case.save(update_fields=["phase", "outcome", "closing_note", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="case.close",
        target=case,
        data={"from": previous, "outcome": outcome, "cancelled_tasks": open_tasks},
    )
    return case, open_tasks


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, note: str) -> Case:
    _require(perms.case_access(actor, case) == perms.Access.SUPERVISE, gettext("Only a supervisor reopens a case."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.merged_into_id:
        raise TransitionNotAllowed(gettext("A merged case is not reopened; work the case it was merged into."))
    step = CASE_LIFECYCLE.check("reopen", state=case.phase, actor=actor)
    case.phase = step.target
    case.outcome = ""
    case.closed_at = None
    case.save(update_fields=["phase", "outcome", "closed_at", "updated_at"])
    audit_record(actor=actor, action="case.reopen", target=case, data={"note": _clean_text(note, "note")})
    return case


def case_view_record(*, actor: Actor, case: Case, view: str) -> None:
    """Every view of a case is audited (who looked at what, and when)."""
    audit_record(actor=actor, action="case.view", target=case, data={"view": view})
