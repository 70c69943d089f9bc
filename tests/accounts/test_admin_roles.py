"""Only superusers change roles and staff/superuser status, never on their own account, always audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from section307.accounts import roles
from section307.accounts.models import User
from section307.accounts.services import user_roles_set
from section307.core.errors import NotPermitted
from section307.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _change_form(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "organization": "",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(overrides)
    return data


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _superuser(make_user: Any) -> User:
    boss = make_user(None, username="root-superuser")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    return boss


def test_administrator_cannot_make_itself_superuser_through_the_admin(make_user: Any) -> None:
    admin_user = make_user(roles.ADMINISTRATOR)
    client = _admin_client(admin_user)
    url = f"/admin/accounts/user/{admin_user.pk}/change/"
    supervisor_group = Group.objects.get(name=roles.SUPERVISOR)
    response = client.post(
        url, _change_form(admin_user, is_superuser="on", groups=[str(supervisor_group.pk)], first_name="Avery")
    )
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Avery"  # the rest of the form is saved
    assert not admin_user.is_superuser
    assert set(admin_user.groups.values_list("name", flat=True)) == {roles.ADMINISTRATOR}
    assert not AuditEvent.objects.filter(action="user.roles_set").exists()


def test_administrator_cannot_grant_roles_to_others(make_user: Any) -> None:
    admin_user = make_user(roles.ADMINISTRATOR)
    analyst = make_user(roles.ANALYST)
    client = _admin_client(admin_user)
    supervisor_group = Group.objects.get(name=roles.SUPERVISOR)
    client.post(
        f"/admin/accounts/user/{analyst.pk}/change/",
        _change_form(analyst, groups=[str(supervisor_group.pk)], is_staff="on", is_superuser="on"),
    )
    analyst.refresh_from_db()
    assert set(analyst.groups.values_list("name", flat=True)) == {roles.ANALYST}
    assert not analyst.is_staff and not analyst.is_superuser


def test_administrator_cannot_change_a_superusers_account(make_user: Any) -> None:
    boss = _superuser(make_user)
    client = _admin_client(make_user(roles.ADMINISTRATOR))
    assert client.post(f"/admin/accounts/user/{boss.pk}/change/", _change_form(boss)).status_code == 403
    password_url = f"/admin/accounts/user/{boss.pk}/password/"
    response = client.post(password_url, {"password1": "x" * 20, "password2": "x" * 20})
    assert response.status_code == 403


def test_superuser_changes_roles_of_another_account_audited(make_user: Any) -> None:
    boss = _superuser(make_user)
    analyst = make_user(roles.ANALYST)
    supervisor_group = Group.objects.get(name=roles.SUPERVISOR)
    client = _admin_client(boss)
    response = client.post(
        f"/admin/accounts/user/{analyst.pk}/change/", _change_form(analyst, groups=[str(supervisor_group.pk)])
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert set(analyst.groups.values_list("name", flat=True)) == {roles.SUPERVISOR}
    event = AuditEvent.objects.get(action="user.roles_set")
    assert event.actor == boss and event.target_id == str(analyst.pk)
    assert event.data["roles"] == {"from": [roles.ANALYST], "to": [roles.SUPERVISOR]}


def test_superuser_cannot_change_its_own_roles(make_user: Any) -> None:
    boss = _superuser(make_user)
    client = _admin_client(boss)
    analyst_group = Group.objects.get(name=roles.ANALYST)
    client.post(
        f"/admin/accounts/user/{boss.pk}/change/",
        _change_form(boss, groups=[str(analyst_group.pk)], is_superuser=""),
    )
    boss.refresh_from_db()
    assert boss.is_superuser and not boss.groups.exists()


def test_service_refuses_non_superusers_and_own_account(make_user: Any) -> None:
    admin_user = make_user(roles.ADMINISTRATOR)
    with pytest.raises(NotPermitted):
        user_roles_set(actor=admin_user, user=admin_user, roles=[], is_staff=True, is_superuser=True)
    boss = _superuser(make_user)
    with pytest.raises(NotPermitted):
        user_roles_set(actor=boss, user=boss, roles=[roles.ANALYST], is_staff=True, is_superuser=True)
    target = make_user(roles.ANALYST)
    with pytest.raises(NotPermitted):
        user_roles_set(actor=admin_user, user=target, roles=[roles.SUPERVISOR], is_staff=False, is_superuser=False)
    user_roles_set(actor=boss, user=target, roles=[roles.SUPERVISOR], is_staff=False, is_superuser=False)
    assert target.groups.get().name == roles.SUPERVISOR
    assert AuditEvent.objects.filter(action="user.roles_set", actor=boss).count() == 1


def test_superuser_flag_does_not_open_allegations(make_user: Any) -> None:
    """docs/allegations.md: identities and originals only for the roles named there."""
    boss = _superuser(make_user)
    for perm in (
        "allegations.triage_allegation",
        "allegations.view_reporter_identity",
        "allegations.view_original_evidence",
    ):
        assert not boss.has_perm(perm)
    assert boss.has_perm("orders.change_enforcementorder")
    assert _admin_client(boss).get("/allegations/").status_code in {403, 302}
    supervisor = make_user(roles.SUPERVISOR)
    assert supervisor.has_perm("allegations.view_reporter_identity")
    analyst = make_user(roles.ANALYST)
    assert analyst.has_perm("allegations.triage_allegation")
    assert not analyst.has_perm("allegations.view_reporter_identity")


def test_change_page_shows_role_fields_read_only_to_administrators(make_user: Any) -> None:
    admin_user = make_user(roles.ADMINISTRATOR)
    analyst = make_user(roles.ANALYST)
    page = _admin_client(admin_user).get(f"/admin/accounts/user/{analyst.pk}/change/")
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content and b'name="groups"' not in page.content
    boss_page = _admin_client(_superuser(make_user)).get(f"/admin/accounts/user/{analyst.pk}/change/")
    assert b'name="is_superuser"' in boss_page.content and b'name="groups"' in boss_page.content
