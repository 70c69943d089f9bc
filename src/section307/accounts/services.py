"""Writes for accounts: an importer's grants of access to a customs broker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from section307.accounts.models import EntryAccessGrant, Organization
from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted


def _importer_user(actor: Any) -> Organization:
    org = getattr(actor, "organization", None)
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.has_perm("trade.use_portal")
        and org is not None
        and org.kind == Organization.Kind.IMPORTER
    ):
        raise NotPermitted("Only an importer of record's trade users grant or revoke a broker's access.")
    return org


@transaction.atomic
def entry_access_grant(
    *, actor: Any, broker: Organization, entry_numbers: Sequence[str] | None = None
) -> EntryAccessGrant:
    """Let ``broker`` act for the actor's importer: on every entry (``entry_numbers`` None) or the
    listed ones, which must be the importer's. Replaces the broker's current grant, if any."""
    importer = _importer_user(actor)
    if broker.kind != Organization.Kind.BROKER:
        raise InvalidInput("Access is granted to a customs broker.", field="broker")
    numbers: list[str] = []
    if entry_numbers is not None:
        numbers = sorted({n.strip() for n in entry_numbers if n.strip()})
        if not numbers:
            raise InvalidInput("List at least one entry number, or grant all entries.", field="entry_numbers")
        entry_model = apps.get_model("ports", "Entry")
        own = set(
            entry_model.objects.filter(organization=importer, entry_number__in=numbers).values_list(
                "entry_number", flat=True
            )
        )
        unknown = [n for n in numbers if n not in own]
        if unknown:
            raise InvalidInput(f"Not your entries: {', '.join(unknown)}.", field="entry_numbers")
    now = timezone.now()
    for old in EntryAccessGrant.objects.select_for_update().filter(
        importer=importer, broker=broker, revoked_at__isnull=True
    ):
        old.revoked_at, old.revoked_by = now, actor
        old.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    grant = EntryAccessGrant.objects.create(
        importer=importer, broker=broker, all_entries=entry_numbers is None, entry_numbers=numbers, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="entry_access.grant",
        target=grant,
        data={"importer": importer.name, "broker": broker.name, "entries": numbers or "all"},
    )
    return grant


@transaction.atomic
def entry_access_revoke(*, actor: Any, grant: EntryAccessGrant) -> EntryAccessGrant:
    importer = _importer_user(actor)
    grant = EntryAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.importer_id != importer.pk:
        raise NotPermitted("This grant belongs to another importer.")
    if grant.revoked_at is not None:
        raise Conflict("This access was already revoked.")
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        actor=actor,
        action="entry_access.revoke",
        target=grant,
        data={"importer": importer.name, "broker": grant.broker.name},
    )
    return grant
