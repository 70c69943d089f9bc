"""Parties: organizations, facilities, vessels and persons, with script-aware names and identifiers."""
