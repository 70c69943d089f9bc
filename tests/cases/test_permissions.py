"""The permissions matrix: each role against each case view and action, plus the list selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.cases import permissions as perms
from section307.cases import services
from section307.cases.models import Case, CaseTask
from section307.cases.selectors import case_list
from section307.core.models import AuditEvent

from .conftest import World, add_evidence, draft_proposal, escalated_case, open_case

# Who each principal is to the case: hidden principals get 404 (existence is not revealed).
PRINCIPALS = {
    "owner": "owner",
    "teammate": "work",
    "supervisor": "supervise",
    "partner_read": "read",
    "partner_comment": "comment",
    "outsider_analyst": "hidden",
    "foreign_supervisor": "hidden",
    "unshared_partner": "hidden",
    "port_officer": "hidden",
    "trade_user": "hidden",
    "administrator": "hidden",
    "anonymous": "anonymous",
}

OK, RO = 200, 403
EXPECTED: dict[str, dict[str, int]] = {
    #               read  comment work  owner supervise
    "detail": dict(read=OK, comment=OK, work=OK, owner=OK, supervise=OK),
    "ilo": dict(read=OK, comment=OK, work=OK, owner=OK, supervise=OK),
    "evidence": dict(read=RO, comment=RO, work=OK, owner=OK, supervise=OK),
    "download": dict(read=RO, comment=RO, work=OK, owner=OK, supervise=OK),
    "edit": dict(read=RO, comment=RO, work=OK, owner=OK, supervise=OK),
    "comment": dict(read=RO, comment=302, work=302, owner=302, supervise=302),
    "task": dict(read=RO, comment=RO, work=302, owner=302, supervise=302),
    "tag": dict(read=RO, comment=RO, work=302, owner=302, supervise=302),
    "memo": dict(read=RO, comment=RO, work=302, owner=302, supervise=302),
    "move": dict(read=RO, comment=RO, work=302, owner=302, supervise=302),
    # A proposal awaits approval here, so the proposal form sends workers to it (no empty form).
    "proposal_form": dict(read=RO, comment=RO, work=302, owner=302, supervise=302),
    "evidence_view": dict(read=RO, comment=RO, work=OK, owner=OK, supervise=OK),
    "share": dict(read=RO, comment=RO, work=RO, owner=302, supervise=302),
    "merge": dict(read=RO, comment=RO, work=RO, owner=400, supervise=400),
    "close": dict(read=RO, comment=RO, work=RO, owner=OK, supervise=OK),
    "audit": dict(read=RO, comment=RO, work=RO, owner=OK, supervise=OK),
    # The owner wrote the proposal: the two-person rule refuses them.
    "decide": dict(read=RO, comment=RO, work=RO, owner=RO, supervise=302),
}


@pytest.fixture
def setup(world: World, make_user: Callable[..., User]) -> dict[str, Any]:
    hsi = Organization.objects.create(name="HSI", kind=Organization.Kind.PARTNER)
    case = escalated_case(world)
    evidence = case.evidence.get()
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    services.case_share(actor=world.analyst, case=case, organization=world.dol, access="read")
    services.case_share(actor=world.supervisor, case=case, organization=hsi, access="comment")
    users = {
        "owner": world.analyst,
        "teammate": world.teammate,
        "supervisor": world.supervisor2,
        "partner_read": world.partner,
        "partner_comment": make_user(roles.PARTNER_AGENCY, organization=hsi),
        "outsider_analyst": world.outsider,
        "foreign_supervisor": world.foreign_supervisor,
        "unshared_partner": world.partner_other,
        "port_officer": world.officer,
        "trade_user": world.trader,
        "administrator": world.admin,
    }
    return {"case": Case.objects.get(pk=case.pk), "evidence": evidence, "proposal": proposal, "users": users}


def _request(client: Client, action: str, case: Case, evidence: Any, proposal: Any) -> int:
    ref = case.reference
    task = case.tasks.filter(status=CaseTask.Status.OPEN).first()
    calls: dict[str, tuple[str, str, dict[str, Any]]] = {
        "detail": ("get", reverse("cases:case_detail", args=[ref]), {}),
        "ilo": ("get", reverse("cases:ilo_matrix", args=[ref]), {}),
        "evidence": ("get", reverse("cases:evidence_list", args=[ref]), {}),
        "download": ("get", reverse("cases:evidence_download", args=[ref, evidence.pk]), {}),
        "edit": ("get", reverse("cases:case_edit", args=[ref]), {}),
        "comment": ("post", reverse("cases:comment_add", args=[ref]), {"body": "Seen"}),
        "task": ("post", reverse("cases:task_action", args=[ref, task.pk]), {"action": "complete"}),
        "tag": (
            "post",
            reverse("cases:evidence_detail", args=[ref, evidence.pk]),
            {"action": "tag", "indicator": "isolation", "strength": "weak"},
        ),
        "memo": ("post", reverse("cases:case_memo", args=[ref]), {"memo": case.validity_memo}),
        "move": ("post", reverse("cases:case_transition", args=[ref]), {"transition": "escalate"}),
        "proposal_form": ("get", reverse("cases:proposal_edit", args=[ref]), {}),
        "evidence_view": ("get", reverse("cases:evidence_detail", args=[ref, evidence.pk]), {}),
        "share": ("post", reverse("cases:case_share", args=[ref]), {"organization": "", "access": "read"}),
        "merge": ("post", reverse("cases:case_merge", args=[ref]), {"duplicate": "", "note": ""}),
        "close": ("get", reverse("cases:case_close", args=[ref]), {}),
        "audit": ("get", reverse("cases:case_audit", args=[ref]), {}),
        "decide": (
            "post",
            reverse("cases:proposal_decide", args=[ref, proposal.pk]),
            {"decision": "approve", "note": "ok"},
        ),
    }
    method, url, data = calls[action]
    return getattr(client, method)(url, data).status_code


def _expected(level: str, action: str) -> int:
    if level == "anonymous":
        return 302  # to the sign-in page
    if level == "hidden":
        return 404
    if action == "share" and level in {"owner", "supervise"}:
        return 400  # allowed, but the empty organization is refused with a field error
    return EXPECTED[action][level]


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_permissions_matrix(setup: dict[str, Any], principal: str) -> None:
    """One principal against every action; "decide" runs last because approving changes the case."""
    level = PRINCIPALS[principal]
    client = Client()
    if principal != "anonymous":
        client.force_login(setup["users"][principal])
    got = {}
    for action in EXPECTED:
        case = Case.objects.get(pk=setup["case"].pk)
        got[action] = _request(client, action, case, setup["evidence"], setup["proposal"])
    assert got == {action: _expected(level, action) for action in EXPECTED}


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_lists_show_exactly_what_detail_allows(setup: dict[str, Any], principal: str) -> None:
    if principal == "anonymous":
        return
    user = setup["users"][principal]
    visible = case_list(user=user).filter(pk=setup["case"].pk).exists()
    assert visible == (PRINCIPALS[principal] != "hidden")
    assert visible == perms.can_view(user, setup["case"])


def test_revoking_a_share_hides_the_case(setup: dict[str, Any], world: World) -> None:
    share = setup["case"].shares.get(organization=world.dol, revoked_at__isnull=True)
    services.case_share_revoke(actor=world.analyst, share=share)
    client = Client()
    client.force_login(world.partner)
    assert client.get(reverse("cases:case_detail", args=[setup["case"].reference])).status_code == 404


def test_sharing_evidence_lets_partner_open_files(setup: dict[str, Any], world: World) -> None:
    services.case_share(
        actor=world.analyst, case=setup["case"], organization=world.dol, access="read", include_evidence=True
    )
    client = Client()
    client.force_login(world.partner)
    ref, ev = setup["case"].reference, setup["evidence"]
    assert client.get(reverse("cases:evidence_download", args=[ref, ev.pk])).status_code == 200
    assert ev.custody.filter(action="downloaded", actor=world.partner).exists()
    # Still read-only: no tagging.
    assert (
        client.post(
            reverse("cases:evidence_detail", args=[ref, ev.pk]), {"action": "annotate", "body": "x"}
        ).status_code
        == 403
    )


def test_partner_sees_only_the_shared_case(setup: dict[str, Any], world: World) -> None:
    other = services.case_create(actor=world.analyst, title="Another case")
    add_evidence(world, other)
    client = Client()
    client.force_login(world.partner)
    page = client.get(reverse("cases:dashboard"))
    assert setup["case"].reference.encode() in page.content and other.reference.encode() not in page.content
    assert client.get(reverse("cases:case_detail", args=[other.reference])).status_code == 404


def test_every_view_is_audited(setup: dict[str, Any], world: World) -> None:
    client = Client()
    client.force_login(world.partner)
    client.get(reverse("cases:case_detail", args=[setup["case"].reference]))
    assert AuditEvent.objects.filter(action="case.view", actor=world.partner, target_id=str(setup["case"].pk)).exists()


def test_case_pages_are_closed_to_roles_without_cases(world: World) -> None:
    for user in (world.officer, world.trader, world.admin):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("cases:dashboard")).status_code == 403
        assert client.get(reverse("cases:case_create")).status_code == 403


def test_case_api_follows_the_same_rules(setup: dict[str, Any], world: World) -> None:
    ref = setup["case"].reference
    partner = Client()
    partner.force_login(world.partner)
    assert [c["reference"] for c in partner.get("/api/v1/cases").json()] == [ref]
    detail = partner.get(f"/api/v1/cases/{ref}").json()
    assert detail["reference"] == ref and len(detail["ilo"]) == 11 and detail["penalty_shown"]
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get("/api/v1/cases").json() == []
    assert outsider.get(f"/api/v1/cases/{ref}").status_code == 404
    assert Client().get("/api/v1/cases").status_code == 401
    trader = Client()
    trader.force_login(world.trader)
    assert trader.get("/api/v1/cases").status_code == 403


def test_case_workers_follow_the_work_permission_not_role_names(world: World) -> None:
    """Team members and assignees are whoever holds cases.work_case in the agency, whatever the group's name."""
    from django.contrib.auth.models import Group, Permission

    from section307.cases.selectors import case_workers

    case = open_case(world)
    detailee = User.objects.create_user(username="detailee", organization=world.agency)
    group = Group.objects.create(name="detailed investigators")
    group.permissions.add(Permission.objects.get(content_type__app_label="cases", codename="work_case"))
    detailee.groups.add(group)
    names = set(case_workers(case=case).values_list("username", flat=True))
    assert {"ana", "tea", "sup", "detailee"} <= names
    assert not names & {"off", "adm", "dolu", "fsup"}
