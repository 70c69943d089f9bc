"""Shared imports and helpers of section307.cases.views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases import selectors
from section307.cases.models import (
    Case,
)
from section307.core.types import Actor


def _case(request: HttpRequest, reference: str) -> Case:
    """The case, or 404 when it does not exist or this user may not see it (existence is not revealed)."""
    case = selectors.case_for(user=request.user, reference=reference)
    if case is None:
        raise Http404("No such case")
    return case


def _work(request: HttpRequest, reference: str) -> Case:
    case = _case(request, reference)
    if not perms.can_work(request.user, case):
        raise PermissionDenied(gettext("You have read-only access to this case."))
    return case


def _pk(value: str | None) -> int | None:
    """A primary key from form input, or None: junk and out-of-range numbers never reach the database."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {msg}" for field, msgs in exc.message_dict.items() for msg in msgs]
    return list(exc.messages)


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors on their fields, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


def _nav(case: Case, user: Actor) -> dict[str, Any]:
    return {
        "case": case,
        "access": perms.case_access(user, case),
        "can_work": perms.can_work(user, case),
        "can_comment": perms.can_comment(user, case),
        "can_manage": perms.can_manage(user, case),
        "can_view_evidence": perms.can_view_evidence(user, case),
    }
