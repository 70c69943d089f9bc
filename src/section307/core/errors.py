"""One family of service errors.

Every service refuses a request by raising a ``ServiceError`` (or a subclass). Views show
it the same way everywhere (a form error or a message, with the rule it names) and the API
turns it into JSON ``{"detail", "code", "rule", "field"}`` with the subclass's HTTP status.
App-specific errors subclass one of these so existing ``except`` clauses keep working.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ServiceError(Exception):
    """A request the service refuses. ``rule`` names the legal or business rule (a citation
    such as "19 CFR 12.44(a)") when one applies; ``field`` names the input at fault."""

    status: int = 400
    default_code: str = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        rule: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        # A lazy translation is rendered now, in the language of the request that raised it.
        message = str(message)
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.rule = rule
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.rule:
            body["rule"] = self.rule
        if self.field:
            body["field"] = self.field
        if self.extra:
            body.update(self.extra)
        return body

    def __str__(self) -> str:
        return self.message


class InvalidInput(ServiceError):
    status = 422
    default_code = "invalid"


class NotPermitted(ServiceError):
    status = 403
    default_code = "forbidden"


class NotFound(ServiceError):
    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    """The request is well-formed and permitted but the record's state or the law does not
    allow it now (a closed case, a clock still running)."""

    status = 409
    default_code = "conflict"
