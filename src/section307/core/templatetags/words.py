"""Template filters that turn codes into words (see ``core.words`` and ``core.auditwords``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext, gettext_lazy

from section307.core import words
from section307.core.auditwords import AuditLine, audit_event_line

register = template.Library()

SIGNAL_LEVELS = {
    "hit": gettext_lazy("Match on an enforced order"),
    "review": gettext_lazy("Needs review"),
    "info": gettext_lazy("For information"),
}


@register.filter
def code_words(value: Any) -> str:
    """A code that is not a model choice (``uflpa_entity``) in plain words."""
    return words.value_words(value)


@register.filter
def good_name(key: str) -> str:
    return words.good_name(str(key))


@register.filter
def plain_words(text: Any) -> str:
    """System-written text (screening reasons) with its codes and watchlist ids turned into words."""
    return words.plain_words(str(text or ""))


@register.filter
def signal_sentence(signal: Any) -> str:
    """One line of a screening evidence trail as a sentence: how strong, what was found, which order."""
    if not isinstance(signal, dict):
        return words.plain_words(str(signal))
    level = str(SIGNAL_LEVELS.get(signal.get("level", ""), words.humanize_code(str(signal.get("level", "")))))
    detail = words.plain_words(str(signal.get("detail", ""))).replace("watchlist party ", "the party named in ")
    sentence = f"{level}: {detail.rstrip('.')}."
    order = signal.get("order_id")
    if order and str(order) not in detail:
        sentence += " " + gettext("Order: %(order)s.") % {"order": order}
    return sentence


@register.filter
def audit_line(event: Any) -> AuditLine:
    """``{% with line=e|audit_line %}{{ line.sentence }}{% for label, value in line.details %}…``"""
    return audit_event_line(event)
