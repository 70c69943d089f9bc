from __future__ import annotations

from typing import Any

import pytest

from section307.core.models import AuditEvent
from section307.geo.models import Country
from section307.parties.models import Party, PartyName
from section307.parties.services import party_link, party_resolve

pytestmark = pytest.mark.django_db


def test_resolve_creates_then_finds_by_folded_name_and_adds_aliases() -> None:
    cn = Country.objects.get(code="CN")
    party, created = party_resolve(
        actor=None, name="Hetian Taida Apparel Co., Ltd.", original_names=["和田泰达服装有限公司"], country=cn
    )
    assert created
    again, created_again = party_resolve(
        actor=None, name="HETIAN TAIDA APPAREL CO LTD", aliases=["Hetian Taida"], country=cn
    )
    assert not created_again and again.pk == party.pk
    names = dict(party.names.values_list("name", "kind"))
    assert names["和田泰达服装有限公司"] == PartyName.Kind.ORIGINAL
    assert names["Hetian Taida"] == PartyName.Kind.ALIAS
    # The folded spelling is the same name; it is not stored twice.
    assert "HETIAN TAIDA APPAREL CO LTD" not in names
    assert party.names.get(name="和田泰达服装有限公司").script == "Han"
    assert AuditEvent.objects.filter(action="party.create", target_id=str(party.pk)).count() == 1


def test_same_name_in_another_country_is_another_party() -> None:
    a, _ = party_resolve(actor=None, name="Golden Harvest Trading", country=Country.objects.get(code="CN"))
    b, created = party_resolve(actor=None, name="Golden Harvest Trading", country=Country.objects.get(code="VN"))
    assert created and a.pk != b.pk


def test_identifier_wins_over_names() -> None:
    cn = Country.objects.get(code="CN")
    party, _ = party_resolve(actor=None, name="Alpha Co", country=cn, identifiers=[("MID", "CNALPCO12SHA")])
    found, created = party_resolve(actor=None, name="Completely Different Name", identifiers=[("MID", "cnalpco12sha")])
    assert not created and found.pk == party.pk
    assert "Completely Different Name" in found.aliases()


def test_party_cannot_be_its_own_parent(django_assert_num_queries: Any) -> None:
    from django.db import IntegrityError, transaction

    parent = Party.objects.create(name="Parent Co")
    child = Party.objects.create(name="Child Co")
    assert party_link(actor=None, parent=parent, child=child)
    assert not party_link(actor=None, parent=parent, child=child)  # idempotent
    with pytest.raises(IntegrityError), transaction.atomic():
        party_link(actor=None, parent=parent, child=parent)
