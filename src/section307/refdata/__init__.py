"""Reference data: parsers and downloaders for the official forced-labor lists (no Django)."""
