"""``{% load languages %}``: a stored language code shown as the language's name."""

from __future__ import annotations

from django import template

from section307.core.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(code or "")
