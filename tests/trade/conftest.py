from tests.ports.conftest import file_entry, importers, officer, orgs, registry, reviewers  # noqa: F401
