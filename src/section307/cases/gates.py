"""Gates: what a case needs before it may move. Each returns the unmet conditions, empty when ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from section307.cases.models import Case, CaseParty, CaseTask, OrderProposal, StakeholderEngagement
from section307.core.types import Actor
from section307.orders.models import OrderType

MSG_MAP = gettext_noop("Draft the supply-chain map: at least two parties with tiers, linked supplier to buyer.")
MSG_MEMO = gettext_noop("Write the validity memo.")
MSG_BASIS = gettext_noop("Write the basis against the 'reasonably but not conclusively' standard (19 CFR 12.42(e)).")
MSG_ILO = gettext_noop("Record the ILO assessment.")
MSG_ENGAGED = gettext_noop("Record at least one stakeholder engagement.")
MSG_REFERRAL = gettext_noop("Record the protection referral made for affected workers (or why none could be made).")
MSG_GRACE = gettext_noop(
    "The importer showed due diligence and remediation: say whether a grace period with an alert was offered."
)
MSG_PROBABLE = gettext_noop("Set out the probable-cause evidence for the Finding (19 CFR 12.42(f)).")
MSG_CITATION = gettext_noop("Give the Finding's Federal Register / Customs Bulletin citation.")
MSG_SCOPE = gettext_noop("Name the scope: at least one party, region or good.")
MSG_MERCH = gettext_noop("Describe the merchandise.")
MSG_SUBMITTED = gettext_noop("The proposal must be submitted for approval.")
MSG_TWO_PERSON = gettext_noop("The approver cannot be the proposal's author (two-person rule).")
MSG_OUTCOME = gettext_noop("Choose an outcome.")
MSG_NOTE = gettext_noop("Write a closing note.")


def gate_leave_research(case: Case, **_: Any) -> list[str]:
    problems: list[str] = []
    tiered = CaseParty.objects.filter(case=case, tier__isnull=False)
    linked = tiered.filter(supplies_to__isnull=False, supplies_to__tier__isnull=False).exists()
    if tiered.count() < 2 or not linked:
        problems.append(MSG_MAP)
    if not case.validity_memo.strip():
        problems.append(MSG_MEMO)
    return problems


def gate_proposal(case: Case, *, proposal: OrderProposal | None = None, **_: Any) -> list[str]:
    if proposal is None:
        return [gettext_noop("Draft a proposal first.")]
    problems: list[str] = []
    if not proposal.merchandise.strip():
        problems.append(MSG_MERCH)
    has_scope = proposal.pk is not None and (
        proposal.scope_parties.exists() or proposal.regions.exists() or proposal.goods.exists()
    )
    if not has_scope:
        problems.append(MSG_SCOPE)
    if not proposal.basis.strip():
        problems.append(MSG_BASIS)
    assessment = getattr(case, "ilo_assessment", None)
    if assessment is None or not assessment.conclusion.strip():
        problems.append(MSG_ILO)
    engagements = StakeholderEngagement.objects.filter(case=case)
    if not engagements.exists():
        problems.append(MSG_ENGAGED)
    elif not engagements.filter(protection_referral=True).exclude(referral_details="").exists():
        problems.append(MSG_REFERRAL)
    if proposal.importer_due_diligence and (
        proposal.grace_period == OrderProposal.GracePeriod.NOT_APPLICABLE or not proposal.grace_period_note.strip()
    ):
        problems.append(MSG_GRACE)
    if proposal.order_type == OrderType.FINDING:
        if not proposal.probable_cause.strip():
            problems.append(MSG_PROBABLE)
        if not proposal.citation.strip():
            problems.append(MSG_CITATION)
    return problems


def gate_issue(case: Case, *, proposal: OrderProposal | None = None, actor: Actor | None = None, **_: Any) -> list[str]:
    if proposal is None or proposal.status != OrderProposal.Status.SUBMITTED:
        return [MSG_SUBMITTED]
    problems = gate_proposal(case, proposal=proposal)
    if actor is not None and proposal.author_id == getattr(actor, "pk", None):
        problems.append(MSG_TWO_PERSON)
    return problems


def gate_close(case: Case, *, outcome: str = "", closing_note: str = "", **_: Any) -> list[str]:
    problems: list[str] = []
    if outcome not in Case.Outcome.values:
        problems.append(MSG_OUTCOME)
    if not closing_note.strip():
        problems.append(MSG_NOTE)
    return problems


def open_task_warning(case: Case) -> int:
    """Closing is allowed with open tasks, but the person closing is told how many (and they are cancelled)."""
    return CaseTask.objects.filter(case=case, status=CaseTask.Status.OPEN).count()


def gate_problems(transition: str, case: Case, **kwargs: Any) -> list[str]:
    from section307.cases.lifecycle import GATES

    name = GATES.get(transition)
    if name is None:
        return []
    # The conditions are written once in English and shown in the reader's language.
    return [gettext(problem) for problem in globals()[name](case, **kwargs)]
