"""How pages show a refused request: one way for every ``core.errors.ServiceError``.

A form shows each problem next to its field when the form has that field, otherwise at the top;
a redirecting view shows it as an error message. Either way the text names the rule applied.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from section307.core.errors import ServiceError


def service_error_text(exc: ServiceError, message: str | None = None) -> str:
    """The refusal as people read it, with the rule it applies: "... (19 CFR 12.43(a))"."""
    text = message if message is not None else exc.message
    return f"{text} ({exc.rule})" if exc.rule else text


def _problems(exc: ServiceError) -> list[tuple[str | None, str]]:
    listed: Any = exc.extra.get("errors")
    if isinstance(listed, list) and listed:
        return [(item.get("field"), item.get("message") or item.get("reason") or "") for item in listed]
    return [(exc.field, exc.message)]


def service_error_to_form(form: forms.BaseForm, exc: ServiceError) -> None:
    for field, text in _problems(exc):
        form.add_error(field if field in form.fields else None, service_error_text(exc, text))


def service_error_message(request: HttpRequest, exc: ServiceError, prefix: str = "") -> None:
    """``prefix`` says what did not happen ("Request not opened: ")."""
    messages.error(request, prefix + "; ".join(service_error_text(exc, text) for _, text in _problems(exc)))
