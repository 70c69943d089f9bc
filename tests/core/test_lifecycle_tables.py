"""Every edge of every lifecycle table, for every role, against an expected table kept here.

``EXPECTED[machine][transition] = (edges, roles)``: ``edges`` is "source1|source2 -> target"
and ``roles`` the callers whose ``allowed`` predicate says yes ("system" is the background
actor ``None``, "anonymous" a visitor without an account, the others the groups of
``accounts.roles.ROLE_LABELS``). A new machine, transition, source or role without a line
here fails; add the line that says who may make the move.

Object rules (own case, own organization, the two-person rule's ``subject_rule``) are not
in these predicates; their services' tests cover them.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from section307.accounts import roles
from section307.core.lifecycle import StateMachine, all_machines

SYSTEM, ANONYMOUS = "system", "anonymous"
EVERYONE = "*"  # allowed is None: any caller the service admits
CASE_STAFF = {roles.ANALYST, roles.SUPERVISOR}
SUPERVISOR = {roles.SUPERVISOR}
HQ = {roles.HQ_REVIEWER}

EXPECTED: dict[str, dict[str, tuple[str, set[str] | str]]] = {
    "allegation": {
        "start_triage": ("new -> in_triage", {SYSTEM, *CASE_STAFF}),
        "request_info": ("in_triage|info_requested|new -> info_requested", {SYSTEM, *CASE_STAFF}),
        "reporter_replied": ("info_requested -> in_triage", {SYSTEM, ANONYMOUS}),
        "mark_duplicate": ("in_triage|info_requested|new -> duplicate", {SYSTEM, *CASE_STAFF}),
        "escalate": ("escalated|in_triage|info_requested|new -> escalated", {SYSTEM, *CASE_STAFF}),
        "close": ("escalated|in_triage|info_requested|new -> closed", {SYSTEM, *CASE_STAFF}),
        "reopen": ("closed|duplicate -> in_triage", SUPERVISOR),
    },
    "case": {
        "begin_research": ("initiation -> research", CASE_STAFF),
        "escalate": ("research -> escalation", CASE_STAFF),
        "return_to_research": ("escalation -> research", CASE_STAFF),
        "submit_proposal": ("escalation -> decision", CASE_STAFF),
        "return_proposal": ("decision -> escalation", SUPERVISOR),
        "withdraw_proposal": ("decision -> escalation", CASE_STAFF),
        "issue": ("decision -> enforcement", SUPERVISOR),
        "close": ("decision|enforcement|escalation|initiation|research -> closed", CASE_STAFF),
        "reopen": ("closed -> research", SUPERVISOR),
    },
    # Parcels (docs/parcels.md): the officer decides a whole group, then its detention.
    "parcel_group": {
        "release": ("pending -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "detain": ("pending -> detained", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    "parcel_detention": {
        # An allowed protest releases excluded parcels (19 U.S.C. 1515).
        "release": ("detained|excluded -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "exclude": ("detained -> excluded", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "export": ("detained|excluded -> exported", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "seize": ("detained -> seized", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    # Headquarters on parcel detentions: a second reviewer concurs or returns (two-person rule).
    "parcel_review": {
        "concur": ("awaiting -> effective", {roles.HQ_REVIEWER}),
        "return": ("awaiting -> returned", {roles.HQ_REVIEWER}),
    },
    # A protest of an exclusion (entries and parcels): headquarters decides it before the 30th day,
    # after which the system records its denial by operation of law (19 U.S.C. 1499(c)(5)(B)).
    "protest": {
        "allow": ("pending -> allowed", HQ),
        "deny": ("pending -> denied", HQ),
        "deem_denied": ("pending -> deemed", {SYSTEM, *HQ}),
    },
    "detention": {
        "submit": ("detained|under_review -> under_review", {roles.TRADE_USER}),
        # A protest allowed by headquarters releases excluded goods (19 U.S.C. 1515).
        "release": ("detained|excluded|under_review -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        # The system records the deemed exclusion of 19 U.S.C. 1499(c)(5)(A).
        "exclude": ("detained|under_review -> excluded", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "export": ("detained|excluded|under_review -> exported", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "seize": ("detained|under_review -> seized", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "abandon": ("excluded -> abandoned", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    "entry": {
        "release": ("exam|targeted -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "exam": ("targeted -> exam", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "detain": ("cleared|exam|targeted -> detained", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "retarget": ("cleared|released -> targeted", EVERYONE),
    },
    "order": {
        # Headquarters modifies or revokes an order when it grants a petition (docs/adr/0013).
        "modify": ("active|modified -> modified", {SYSTEM, roles.SUPERVISOR, roles.HQ_REVIEWER}),
        "revoke": ("active|modified -> revoked", {SYSTEM, roles.SUPERVISOR, roles.HQ_REVIEWER}),
        "inactivate": ("active|modified -> inactive", {SYSTEM, roles.SUPERVISOR}),
        "reinstate": ("inactive|revoked -> active", {SYSTEM, roles.SUPERVISOR}),
    },
    "case_task": {
        "complete": ("open -> done", {SYSTEM, *CASE_STAFF}),
        "cancel": ("open -> cancelled", {SYSTEM, *CASE_STAFF}),
        "reopen": ("cancelled|done -> open", {SYSTEM, *CASE_STAFF}),
    },
    "petition": {
        "review": ("filed -> under_review", HQ),
        "request_info": ("filed|under_review -> info_requested", HQ),
        # The petitioner answers or withdraws: an object rule the services check (_is_petitioner).
        "answer": ("info_requested -> under_review", EVERYONE),
        "grant_modification": ("filed|under_review -> granted_modification", HQ),
        "grant_revocation": ("filed|under_review -> granted_revocation", HQ),
        "deny": ("filed|info_requested|under_review -> denied", HQ),
        "withdraw": ("filed|info_requested|under_review -> withdrawn", EVERYONE),
    },
    # Who acts on which package is an object rule (trade.permissions, checked in trade.services):
    # the importer or its broker submits, answers and withdraws; the port or headquarters asks and decides.
    "trade_request": {
        "submit": ("draft|info_requested|submitted -> submitted", EVERYONE),
        "ask": ("info_requested|submitted -> info_requested", EVERYONE),
        "answer": ("info_requested -> submitted", EVERYONE),
        "withdraw": ("draft|info_requested|submitted -> withdrawn", EVERYONE),
        "grant": ("draft|info_requested|submitted -> granted", EVERYONE),
        "deny": ("draft|info_requested|submitted -> denied", EVERYONE),
    },
    # Supply chains (docs/supplychain.md): the importer's trade users record a remediation plan's outcome.
    "remediation_plan": {
        "remediate": ("open -> remediated", {roles.TRADE_USER}),
        "not_remediated": ("open -> not_remediated", {roles.TRADE_USER}),
        "abandon": ("open -> abandoned", {roles.TRADE_USER}),
    },
    # Counterfeit marks, 19 CFR 133.21: disclosure only after the importer's 7 business days (service rule).
    "ipr_detention": {
        "send_notice": ("detained -> noticed", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "disclose": ("noticed -> disclosed", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "release": ("detained|disclosed|noticed -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "seize": ("disclosed -> seized", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "exclude": ("detained|disclosed|noticed -> excluded", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    # 19 CFR 133.25: restricted articles (copying or simulating marks, gray-market goods).
    "ipr_restricted": {
        "send_notice": ("detained -> noticed", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "release": ("detained|noticed -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "seize": ("noticed -> seized", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    # 19 CFR 133.42-133.43 as amended by CBP Dec. 24-03: piratical articles, on the 133.21 pattern.
    "ipr_piratical": {
        "send_notice": ("detained -> noticed", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "disclose": ("noticed -> disclosed", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "release": ("detained|disclosed|noticed -> released", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "seize": ("disclosed -> seized", {roles.PORT_OFFICER, roles.ADMINISTRATOR}),
        "exclude": ("detained|disclosed|noticed -> excluded", {SYSTEM, roles.PORT_OFFICER, roles.ADMINISTRATOR}),
    },
    # Metrics (docs/metrics.md): only the background task that builds a quarterly report ends it.
    "quarterly_report": {
        "build": ("queued -> ready", {SYSTEM}),
        "fail": ("queued -> failed", {SYSTEM}),
    },
    "proposal": {
        "edit": ("draft -> draft", CASE_STAFF),
        "submit": ("draft -> submitted", CASE_STAFF),
        "withdraw": ("submitted -> withdrawn", CASE_STAFF),
        "approve": ("submitted -> approved", SUPERVISOR),
        "return": ("submitted -> rejected", SUPERVISOR),
    },
}


def _load_lifecycles() -> list[StateMachine]:
    for config in apps.get_app_configs():
        if config.name.startswith("section307.") and importlib.util.find_spec(f"{config.name}.lifecycle"):
            importlib.import_module(f"{config.name}.lifecycle")
    return all_machines()


def _edges(machine: StateMachine, name: str) -> str:
    t = machine.transition(name)
    return f"{'|'.join(sorted(t.sources))} -> {t.target}"


def test_every_machine_and_transition_has_an_expectation() -> None:
    machines = {m.name: m for m in _load_lifecycles()}
    assert set(machines) == set(EXPECTED), (
        "Add an EXPECTED entry in tests/core/test_lifecycle_tables.py for each new lifecycle table "
        f"(missing: {sorted(set(machines) - set(EXPECTED))}; stale: {sorted(set(EXPECTED) - set(machines))})"
    )
    for name, machine in machines.items():
        actual = {t.name: _edges(machine, t.name) for t in machine.transitions}
        expected = {t: edges for t, (edges, _) in EXPECTED[name].items()}
        assert actual == expected, f"{name}: the edges changed; update EXPECTED to say who may make them"


@pytest.fixture
def actors(make_user: Callable[..., Any]) -> dict[str, Any]:
    people: dict[str, Any] = {SYSTEM: None, ANONYMOUS: AnonymousUser()}
    for role in roles.ROLE_LABELS:
        people[role] = make_user(role)
    return people


def _cases() -> list[tuple[str, str]]:
    return [(m, t) for m, transitions in sorted(EXPECTED.items()) for t in transitions]


@pytest.mark.parametrize(("machine_name", "transition"), _cases())
def test_who_may_make_each_move(machine_name: str, transition: str, actors: dict[str, Any]) -> None:
    machine = {m.name: m for m in _load_lifecycles()}[machine_name]
    t = machine.transition(transition)
    _edges_text, expected = EXPECTED[machine_name][transition]
    wanted = set(actors) if expected == EVERYONE else set(expected)
    allowed = {who for who, actor in actors.items() if t.allowed is None or t.allowed(actor)}
    assert allowed == wanted, f"{machine_name}.{transition}"
    # What the page offers (available) agrees with the predicate on every source of the edge.
    for source in t.sources:
        for who, actor in actors.items():
            if actor is not None:
                assert (t in machine.available(source, actor)) == (who in allowed), (transition, source, who)


def test_proposal_decisions_follow_the_two_person_rule(actors: dict[str, Any]) -> None:
    from types import SimpleNamespace

    from section307.cases.lifecycle import PROPOSAL_LIFECYCLE
    from section307.core.lifecycle import TransitionNotAllowed

    supervisor = actors[roles.SUPERVISOR]
    for name in ("approve", "return"):
        with pytest.raises(TransitionNotAllowed, match="on this record"):
            PROPOSAL_LIFECYCLE.check(
                name, state="submitted", actor=supervisor, subject=SimpleNamespace(author_id=supervisor.pk)
            )
        with pytest.raises(TransitionNotAllowed):
            PROPOSAL_LIFECYCLE.check(name, state="submitted", actor=supervisor)
        other = SimpleNamespace(author_id=actors[roles.ANALYST].pk)
        assert PROPOSAL_LIFECYCLE.check(name, state="submitted", actor=supervisor, subject=other).name == name
