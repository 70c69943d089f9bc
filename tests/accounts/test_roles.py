from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from section307.accounts import roles

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate_with_its_permissions() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLE_PERMISSIONS) <= names
    analyst = Group.objects.get(name=roles.ANALYST)
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in analyst.permissions.select_related("content_type")}
    assert "orders.view_enforcementorder" in perms and "orders.publish_order" not in perms
    supervisor = Group.objects.get(name=roles.SUPERVISOR)
    assert supervisor.permissions.filter(codename="publish_order").exists()


def test_sync_is_idempotent_and_removes_stray_permissions() -> None:
    from django.contrib.auth.models import Permission

    trade = Group.objects.get(name=roles.TRADE_USER)
    trade.permissions.add(Permission.objects.get(codename="change_enforcementorder"))
    counts = roles.sync_roles()
    assert counts == roles.sync_roles()
    assert not trade.permissions.filter(codename="change_enforcementorder").exists()


def test_user_roles_follow_groups_and_superuser(make_user: Any) -> None:
    officer = make_user(roles.PORT_OFFICER)
    assert roles.user_has_role(officer, roles.PORT_OFFICER)
    assert not roles.user_has_role(officer, roles.ANALYST)
    boss = make_user(None)
    boss.is_superuser = True
    assert roles.user_has_role(boss, roles.ADMINISTRATOR)


def test_sign_in_is_rate_limited_per_account(make_user: Any, settings: Any) -> None:
    cache.clear()
    user = make_user(roles.ANALYST)
    client = Client()
    codes = [
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}).status_code for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    cache.clear()


def test_good_sign_in_lands_on_the_work_queue(make_user: Any) -> None:
    from tests.conftest import PASSWORD

    cache.clear()
    user = make_user(roles.ANALYST)
    response = Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/queue/"
