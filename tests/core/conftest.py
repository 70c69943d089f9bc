"""Fixtures borrowed from the apps whose stored files the core tests exercise."""

from tests.cases.conftest import world  # noqa: F401
from tests.ports.conftest import file_entry, importers, officer, orgs, registry  # noqa: F401
