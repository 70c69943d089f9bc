"""Writes to accounts: role and status changes (always audited), staff MFA, broker entry-access grants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from section307.accounts.models import EntryAccessGrant, Organization, User
from section307.accounts.roles import may_change_roles
from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor, signed_in


@transaction.atomic
def user_roles_set(
    *,
    actor: Actor,
    user: User,
    roles: Iterable[Group | str],
    is_staff: bool,
    is_superuser: bool,
) -> User:
    """Set a user's roles (groups) and staff/superuser flags.

    Only a superuser may, and never on its own account (so no one raises their own access).
    Direct per-user permissions are cleared: access is granted through roles only.
    """
    if not may_change_roles(actor, user):
        raise NotPermitted(
            gettext(
                "Only a superuser may change roles, permissions or staff and superuser status, "
                "and not on their own account."
            ),
            code="roles_forbidden",
        )
    names = sorted({r.name if isinstance(r, Group) else str(r) for r in roles})
    groups = list(Group.objects.filter(name__in=names))
    unknown = set(names) - {g.name for g in groups}
    if unknown:
        raise InvalidInput(gettext("Unknown roles: %(value)s.") % {"value": ", ".join(sorted(unknown))}, field="groups")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }
    after = {"roles": names, "is_staff": bool(is_staff), "is_superuser": bool(is_superuser), "permissions": []}
    if before == after:
        return user
    user.is_staff, user.is_superuser = bool(is_staff), bool(is_superuser)
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.set(groups)
    user.user_permissions.clear()
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="user.roles_set", target=user, data=changed)
    return user


# --- multi-factor sign-in (TOTP, recovery codes) ------------------------------------------------

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _signed_in(actor: Actor) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted(gettext("Sign in first."), code="not_authenticated")


@transaction.atomic
def mfa_totp_start(*, actor: Actor) -> TOTPDevice:
    """The actor's pending (unconfirmed) authenticator, created once and reused until confirmed."""
    _signed_in(actor)
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_NAME, confirmed=False)
        audit_record(actor=actor, action="user.mfa_enrolment_started", target=signed_in(actor))
    return device


def _recovery_codes_issue(actor: Actor) -> list[str]:
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def mfa_totp_confirm(*, actor: Actor, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from the app; returns it and new recovery codes."""
    _signed_in(actor)
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        raise InvalidInput(
            gettext("Start the set-up again: no authenticator is waiting for confirmation."), field="token"
        )
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise InvalidInput(gettext("That code is not valid. Enter the 6-digit code the app shows now."), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per account: a new enrolment replaces the old one.
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = _recovery_codes_issue(actor)
    audit_record(actor=actor, action="user.mfa_enrolled", target=signed_in(actor), data={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def mfa_recovery_codes_renew(*, actor: Actor) -> list[str]:
    """New recovery codes (the old ones stop working). Only for an account with a confirmed authenticator."""
    _signed_in(actor)
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise InvalidInput(gettext("Set up an authenticator app first."), field="token")
    codes = _recovery_codes_issue(actor)
    audit_record(actor=actor, action="user.mfa_recovery_codes_renewed", target=signed_in(actor))
    return codes


@transaction.atomic
def mfa_verify(*, actor: Actor, token: str) -> Device:
    """Check a code from the authenticator or a recovery code (used once). Raises InvalidInput if wrong."""
    _signed_in(actor)
    device = match_token(actor, (token or "").strip().replace(" ", ""))
    if device is None:
        raise InvalidInput(gettext("That code is not valid."), field="token")
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        audit_record(actor=actor, action="user.mfa_recovery_code_used", target=signed_in(actor), data={"left": left})
    return device


# -- broker entry-access grants ---------------------------------------------------------------------


def _importer_user(actor: Actor) -> Organization:
    org = getattr(actor, "organization", None)
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.has_perm("trade.use_portal")
        and org is not None
        and org.kind == Organization.Kind.IMPORTER
    ):
        raise NotPermitted(gettext("Only an importer of record's trade users grant or revoke a broker's access."))
    return org


@transaction.atomic
def entry_access_grant(
    *, actor: Actor, broker: Organization, entry_numbers: Sequence[str] | None = None
) -> EntryAccessGrant:
    """Let ``broker`` act for the actor's importer: on every entry (``entry_numbers`` None) or the
    listed ones, which must be the importer's. Replaces the broker's current grant, if any."""
    importer = _importer_user(actor)
    if broker.kind != Organization.Kind.BROKER:
        raise InvalidInput(gettext("Access is granted to a customs broker."), field="broker")
    numbers: list[str] = []
    if entry_numbers is not None:
        numbers = sorted({n.strip() for n in entry_numbers if n.strip()})
        if not numbers:
            raise InvalidInput(gettext("List at least one entry number, or grant all entries."), field="entry_numbers")
        entry_model = apps.get_model("ports", "Entry")
        own = set(
            entry_model.objects.filter(organization=importer, entry_number__in=numbers).values_list(
                "entry_number", flat=True
            )
        )
        unknown = [n for n in numbers if n not in own]
        if unknown:
            raise InvalidInput(
                gettext("Not your entries: %(value)s.") % {"value": ", ".join(unknown)}, field="entry_numbers"
            )
    now = timezone.now()
    for old in EntryAccessGrant.objects.select_for_update().filter(
        importer=importer, broker=broker, revoked_at__isnull=True
    ):
        old.revoked_at, old.revoked_by = now, signed_in(actor)
        old.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    grant = EntryAccessGrant.objects.create(
        importer=importer,
        broker=broker,
        all_entries=entry_numbers is None,
        entry_numbers=numbers,
        granted_by=signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="entry_access.grant",
        target=grant,
        data={"importer": importer.name, "broker": broker.name, "entries": numbers or "all"},
    )
    return grant


@transaction.atomic
def entry_access_revoke(*, actor: Actor, grant: EntryAccessGrant) -> EntryAccessGrant:
    importer = _importer_user(actor)
    grant = EntryAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.importer_id != importer.pk:
        raise NotPermitted(gettext("This grant belongs to another importer."))
    if grant.revoked_at is not None:
        raise Conflict(gettext("This access was already revoked."))
    grant.revoked_at, grant.revoked_by = timezone.now(), signed_in(actor)
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        actor=actor,
        action="entry_access.revoke",
        target=grant,
        data={"importer": importer.name, "broker": grant.broker.name},
    )
    return grant
