"""Brokers act for importers: an importer grants a broker access to all or some of its entries, the
broker sees the detentions and files for the importer (both organizations recorded), and revocation ends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from section307.accounts import roles
from section307.accounts.models import EntryAccessGrant, Organization, User
from section307.accounts.services import entry_access_grant, entry_access_revoke
from section307.core.audit import audit_trail
from section307.core.errors import InvalidInput, NotPermitted
from section307.ports.models import Entry
from section307.ports.permissions import can_act_for_detention, detentions_visible_to, entries_visible_to
from section307.ports.services import entry_detain
from section307.trade import services
from section307.trade.permissions import can_edit_request, requests_visible_to


@pytest.fixture
def broker(make_user: Callable[..., User]) -> User:
    org = Organization.objects.create(name="Gulf Coast Brokers", kind=Organization.Kind.BROKER)
    return User.objects.get(pk=make_user(roles.TRADE_USER, organization=org).pk)


def _detained(file_entry: Callable[..., Entry], officer: User) -> Entry:
    entry = file_entry()
    entry_detain(actor=officer, entry=entry, reason="WRO manufacturer")
    entry.refresh_from_db()
    return entry


def test_broker_sees_and_acts_only_after_a_grant(
    registry: Any, importers: Any, broker: User, file_entry: Callable[..., Entry], officer: User
) -> None:
    importer = importers[0]
    entry = _detained(file_entry, officer)
    detention = entry.detention
    assert not detentions_visible_to(broker).exists() and not can_act_for_detention(broker, detention)

    grant = entry_access_grant(actor=importer, broker=broker.organization, entry_numbers=None)
    assert detentions_visible_to(broker).get() == detention
    assert can_act_for_detention(broker, detention)

    request = services.request_create(actor=broker, kind="wro_admissibility", detention=detention)
    assert request.organization == importer.organization  # for whom
    assert request.acting_organization == broker.organization  # who acted
    created = audit_trail(request).get(action="trade_request.create")
    assert created.data["acting_organization"] == "Gulf Coast Brokers"
    assert created.data["for_organization"] == importer.organization.name
    assert requests_visible_to(importer).filter(pk=request.pk).exists()  # the importer sees it too

    entry_access_revoke(actor=importer, grant=grant)
    assert not detentions_visible_to(broker).exists()
    # The broker still reads what it filed, but can no longer change it.
    assert requests_visible_to(broker).filter(pk=request.pk).exists()
    assert not can_edit_request(broker, request)
    with pytest.raises(PermissionDenied):
        services.request_update(actor=broker, request=request, statement="after revocation")


def test_grant_for_some_entries_only(
    registry: Any, importers: Any, broker: User, file_entry: Callable[..., Entry], officer: User
) -> None:
    first = _detained(file_entry, officer)
    second = _detained(file_entry, officer)
    entry_access_grant(actor=importers[0], broker=broker.organization, entry_numbers=[first.entry_number])
    assert list(entries_visible_to(broker)) == [first]
    assert not can_act_for_detention(broker, second.detention)


def test_only_the_importer_grants_and_only_its_own_entries(
    registry: Any, importers: Any, broker: User, file_entry: Callable[..., Entry], officer: User
) -> None:
    entry = _detained(file_entry, officer)
    with pytest.raises(InvalidInput):
        entry_access_grant(actor=importers[1], broker=broker.organization, entry_numbers=[entry.entry_number])
    with pytest.raises(NotPermitted):
        entry_access_grant(actor=broker, broker=broker.organization)
    with pytest.raises(InvalidInput):
        entry_access_grant(actor=importers[0], broker=importers[1].organization)  # not a broker
    assert not EntryAccessGrant.objects.exists()


def test_portal_page_grants_and_revokes(registry: Any, importers: Any, broker: User) -> None:
    client = Client()
    client.force_login(importers[0])
    url = reverse("trade:brokers")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"broker": broker.organization_id, "scope": "some", "entry_numbers": "NOPE-1"})
    assert bad.status_code == 400 and b"Not your entries" in bad.content
    assert client.post(url, {"broker": broker.organization_id, "scope": "all"}).status_code == 302
    grant = EntryAccessGrant.objects.get(revoked_at__isnull=True)
    assert client.post(reverse("trade:broker_revoke", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == importers[0]
    other = Client()
    other.force_login(importers[1])
    assert other.post(reverse("trade:broker_revoke", args=[grant.pk])).status_code == 404


def test_broker_queue_shows_the_importers_notices_on_delegated_entries(
    registry: Any, importers: Any, broker: User, file_entry: Callable[..., Entry], officer: User
) -> None:
    from section307.core.queue import queue_for

    _detained(file_entry, officer)  # the detention notice goes to the importer of record
    assert [i.kind for i in queue_for(importers[0])].count("notice.unread") == 1
    assert "notice.unread" not in [i.kind for i in queue_for(broker)]
    entry_access_grant(actor=importers[0], broker=broker.organization)
    assert "notice.unread" in [i.kind for i in queue_for(broker)]
