"""The one place a form label says whether its field must be filled: the field's own ``required`` rule.

Labels never carry a hand-written "(optional)"; every field partial calls ``field_marker``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


def field_is_required(field: Any) -> bool:
    """``field`` is a bound field or a form field."""
    return bool(getattr(getattr(field, "field", field), "required", False))


@register.simple_tag
def optional_marker() -> SafeString:
    """The marker itself, for the few inputs written out by hand rather than rendered from a form field."""
    return format_html(' <span class="text-base-dark">{}</span>', gettext("(optional)"))


@register.simple_tag
def field_marker(field: Any) -> SafeString:
    """ " (optional)" after the label of a field that may be left empty; nothing for a required one."""
    if field_is_required(field):
        return SafeString("")
    return optional_marker()
