from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.accounts import roles
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.geo.models import Country
from section307.orders.models import OrderEvent, OrderStatus, OrderType
from section307.orders.services import ScopedParty, order_create, order_transition, order_update
from section307.parties.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(make_user: Any) -> Any:
    party = Party.objects.create(name="Example Gloves Sdn. Bhd.", country_id="MY")
    return order_create(
        actor=make_user(roles.SUPERVISOR),
        order_type=OrderType.WRO,
        merchandise="Disposable gloves",
        effective_date=dt.date(2024, 3, 1),
        country=Country.objects.get(code="MY"),
        parties=[ScopedParty(party, ("and its subsidiaries",))],
    )


def test_create_numbers_the_order_and_records_issue_and_audit(order: Any) -> None:
    assert order.reference == "WRO-2024-0001"
    assert order.status == OrderStatus.ACTIVE
    assert list(order.events.values_list("kind", flat=True)) == [OrderEvent.Kind.ISSUED]
    assert order.order_parties.get().qualifiers == ["and its subsidiaries"]
    assert AuditEvent.objects.filter(action="order.create", target_id=str(order.pk)).exists()


def test_second_order_of_a_year_gets_the_next_number(order: Any) -> None:
    second = order_create(
        actor=None, order_type=OrderType.WRO, merchandise="Gloves", effective_date=dt.date(2024, 9, 1)
    )
    assert second.reference == "WRO-2024-0002"


def test_supervisor_revokes_and_history_keeps_both_steps(order: Any, make_user: Any) -> None:
    supervisor = make_user(roles.SUPERVISOR)
    order_transition(actor=supervisor, order=order, transition="modify", note="Two plants remediated")
    order_transition(actor=supervisor, order=order, transition="revoke", effective_date=dt.date(2025, 1, 2))
    order.refresh_from_db()
    assert order.status == OrderStatus.REVOKED
    steps = list(order.events.values_list("kind", "from_status", "to_status"))
    assert steps[1:] == [("modified", "active", "modified"), ("revoked", "modified", "revoked")]
    assert AuditEvent.objects.filter(action="order.revoke", actor=supervisor).exists()


@pytest.mark.parametrize("role", [roles.ANALYST, roles.PORT_OFFICER, roles.TRADE_USER, roles.PARTNER_AGENCY])
def test_only_publishers_change_status(order: Any, make_user: Any, role: str) -> None:
    with pytest.raises(TransitionNotAllowed):
        order_transition(actor=make_user(role), order=order, transition="revoke")
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    assert order.events.count() == 1


def test_revoked_order_cannot_be_modified_without_reinstating(order: Any) -> None:
    order_transition(actor=None, order=order, transition="revoke")
    with pytest.raises(TransitionNotAllowed, match="cannot modify from 'revoked'"):
        order_transition(actor=None, order=order, transition="modify")
    order_transition(actor=None, order=order, transition="reinstate")
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE


def test_update_records_only_real_changes(order: Any) -> None:
    assert order_update(actor=None, order=order, data={"merchandise": "Disposable gloves"}) == {}
    changes = order_update(actor=None, order=order, data={"merchandise": "Nitrile gloves", "industry": "Rubber"})
    assert changes == {"merchandise": ["Disposable gloves", "Nitrile gloves"], "industry": ["", "Rubber"]}
    amended = order.events.get(kind=OrderEvent.Kind.AMENDED)
    assert amended.changes == changes


def test_update_refuses_fields_that_have_their_own_path(order: Any) -> None:
    with pytest.raises(ValueError, match="status"):
        order_update(actor=None, order=order, data={"status": "revoked"})


@pytest.mark.parametrize("role", [roles.ANALYST, roles.ADMINISTRATOR, roles.PORT_OFFICER, roles.TRADE_USER])
def test_issuing_or_changing_an_order_needs_publish_order(order: Any, make_user: Any, role: str) -> None:
    """orders.publish_order is the one permission that issues or changes an order (the system may too)."""
    from section307.core.errors import NotPermitted

    user = make_user(role)
    with pytest.raises(NotPermitted):
        order_create(actor=user, order_type=OrderType.WRO, merchandise="Gloves", effective_date=dt.date(2024, 9, 1))
    with pytest.raises(NotPermitted):
        order_update(actor=user, order=order, data={"merchandise": "Nitrile gloves"})
    with pytest.raises(TransitionNotAllowed):
        order_transition(actor=user, order=order, transition="revoke")
    order.refresh_from_db()
    assert order.merchandise == "Disposable gloves" and order.status == OrderStatus.ACTIVE


def test_headquarters_publishes_petition_outcomes_but_issues_and_reinstates_no_orders(
    order: Any, make_user: Any
) -> None:
    """Headquarters holds orders.publish_order to modify or revoke on a granted petition (ADR 0013),
    not to issue new orders or mark them inactive: that stays with the registry's supervisors."""
    from section307.core.errors import NotPermitted

    hq = make_user(roles.HQ_REVIEWER)
    with pytest.raises(NotPermitted):
        order_create(actor=hq, order_type=OrderType.WRO, merchandise="Gloves", effective_date=dt.date(2024, 9, 1))
    with pytest.raises(TransitionNotAllowed):
        order_transition(actor=hq, order=order, transition="inactivate")
    assert order_transition(actor=hq, order=order, transition="revoke").status == OrderStatus.REVOKED
