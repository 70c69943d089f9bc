"""Shared imports and helpers of section307.cases.services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, gettext_noop

from section307.cases.lifecycle import (
    require_open,
)
from section307.cases.models import (
    Case,
)
from section307.core.errors import Conflict


class GateNotPassed(Conflict, ValidationError):  # type: ignore[misc]
    """A move was refused because the case is not ready; ``messages`` lists what is missing."""

    default_code = "gate_not_passed"

    def __init__(self, problems: list[str]) -> None:
        listed = [str(p) for p in problems]
        Conflict.__init__(self, " ".join(listed), extra={"errors": [{"message": p} for p in listed]})
        # Then the list form, so ``messages`` and form errors keep one entry per problem.
        ValidationError.__init__(self, problems)


def _require(allowed: bool, message: str = gettext_noop("You may not do this on this case.")) -> None:
    if not allowed:
        raise PermissionDenied(gettext(message))


def _open(case_id: int) -> Case:
    """Lock the case row and refuse if it is closed, so a write cannot race the case's closing."""
    case = Case.objects.select_for_update().get(pk=case_id)
    require_open(case)
    return case


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: gettext("This field is required.")})
    return value
