"""Shared fixtures: users in each role, signed-in clients, a seeded world."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from section307.accounts import roles
from section307.accounts.models import Organization, User

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-307"


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """make_user(role, organization=None, username=None) -> a user in that role's group."""
    roles.sync_roles()

    def factory(role: str | None = None, *, organization: Organization | None = None, username: str = "") -> User:
        name = username or f"{role or 'user'}-u{next(_counter)}"
        user = User.objects.create_user(username=name, password=PASSWORD, organization=organization)
        if role == roles.ADMINISTRATOR:
            user.is_staff = True
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return factory


@pytest.fixture
def make_org(db: Any) -> Callable[..., Organization]:
    def factory(name: str = "", kind: str = Organization.Kind.IMPORTER) -> Organization:
        return Organization.objects.create(name=name or f"Org {next(_counter)}", kind=kind, country="US")

    return factory


@pytest.fixture
def client_as(make_user: Callable[..., User]) -> Callable[..., Client]:
    """client_as(role, **user_kwargs) -> a Django test client signed in as a new user in that role."""

    def factory(role: str, **kwargs: Any) -> Client:
        client = Client()
        client.force_login(make_user(role, **kwargs))
        return client

    return factory
