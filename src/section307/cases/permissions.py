"""Object-level rules for cases. Deny by default: a user sees a case only through one of these rules.

- analysts: cases they own or are on the team of;
- supervisors: every case of their agency (and may approve proposals they did not write);
- partner-agency users: cases shared with their organization, read-only or with comment rights;
- trade users, port officers, administrators and the public: no cases.
"""

from __future__ import annotations

import enum

from django.db.models import Q, QuerySet

from section307.accounts.roles import ANALYST, PARTNER_AGENCY, SUPERVISOR, user_roles
from section307.cases.models import Case, CaseShare, OrderProposal
from section307.core.types import Actor, account


class Access(enum.IntEnum):
    NONE = 0
    READ = 1
    COMMENT = 2
    WORK = 3
    SUPERVISE = 4


def _active_share(user: Actor, case: Case) -> CaseShare | None:
    acct = account(user)
    if acct is None or acct.organization_id is None:
        return None
    return CaseShare.objects.filter(case=case, organization_id=acct.organization_id, revoked_at__isnull=True).first()


def case_access(user: Actor, case: Case) -> Access:
    roles = user_roles(user)
    acct = account(user)
    if not roles or acct is None:
        return Access.NONE
    if SUPERVISOR in roles and acct.organization_id is not None and case.agency_id == acct.organization_id:
        return Access.SUPERVISE
    if (ANALYST in roles or SUPERVISOR in roles) and (
        case.owner_id == acct.pk or case.team.filter(pk=acct.pk).exists()
    ):
        return Access.WORK
    if PARTNER_AGENCY in roles:
        share = _active_share(user, case)
        if share is not None:
            return Access.COMMENT if share.access == CaseShare.Access.COMMENT else Access.READ
    return Access.NONE


def visible_cases_filter(user: Actor) -> Q | None:
    """The Q that selects exactly the cases ``case_access`` grants at least READ on; None means none."""
    roles = user_roles(user)
    acct = account(user)
    if acct is None:
        return None
    clauses: list[Q] = []
    if SUPERVISOR in roles and acct.organization_id is not None:
        clauses.append(Q(agency_id=acct.organization_id))
    if ANALYST in roles or SUPERVISOR in roles:
        clauses.append(Q(owner_id=acct.pk) | Q(team__id=acct.pk))
    if PARTNER_AGENCY in roles and acct.organization_id is not None:
        clauses.append(Q(shares__organization_id=acct.organization_id, shares__revoked_at__isnull=True))
    if not clauses:
        return None
    q = clauses[0]
    for clause in clauses[1:]:
        q |= clause
    return q


def visible_cases(user: Actor, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    qs = Case.objects.all() if qs is None else qs
    q = visible_cases_filter(user)
    if q is None:
        return qs.none()
    return qs.filter(pk__in=Case.objects.filter(q).values("pk"))


def can_view(user: Actor, case: Case) -> bool:
    return case_access(user, case) >= Access.READ


def can_comment(user: Actor, case: Case) -> bool:
    return case_access(user, case) >= Access.COMMENT


def can_work(user: Actor, case: Case) -> bool:
    return case_access(user, case) >= Access.WORK


def can_view_evidence(user: Actor, case: Case) -> bool:
    access = case_access(user, case)
    if access >= Access.WORK:
        return True
    if access >= Access.READ:
        share = _active_share(user, case)
        return share is not None and share.include_evidence
    return False


def can_manage(user: Actor, case: Case) -> bool:
    """Share, close, merge, reassign: the owner or a supervisor of the agency."""
    access = case_access(user, case)
    return access == Access.SUPERVISE or (access == Access.WORK and case.owner_id == user.pk)


def can_decide(user: Actor, case: Case, proposal: OrderProposal | None = None) -> bool:
    """Approve or return a proposal: a supervisor of the agency who did not write it (two-person rule)."""
    if case_access(user, case) != Access.SUPERVISE or not user.has_perm("cases.approve_proposal"):
        return False
    return proposal is None or proposal.author_id != user.pk
