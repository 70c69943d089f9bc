"""Shared building blocks: audit trail, lifecycles, base pages, navigation."""
