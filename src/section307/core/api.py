"""How the JSON API reports errors: one body (``ErrorOut``) for every status, from one set of handlers.

A service refuses with a ``core.errors.ServiceError``; the handler answers with the subclass's
status and ``as_dict()``. Validation, authentication and permission errors raised by django-ninja
or Django take the same shape, so a client reads ``detail`` and ``code`` (and ``rule``, ``field``,
``errors`` when present) whatever went wrong. Operations declare the errors they can answer with
``error_responses(...)`` so the OpenAPI schema says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Choices
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext

from section307.core.errors import ServiceError
from section307.core.lifecycle import TransitionNotAllowed

# The ``code`` of errors not raised by a service, by status.
STATUS_CODES: dict[int, str] = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


class UnsupportedMediaType(ServiceError):
    status = 415
    default_code = "unsupported_media_type"


class ErrorOut(Schema):
    """Every error the API answers with."""

    detail: str = Field(description="What went wrong, for people")
    code: str = Field(description="What went wrong, for programs (see docs/api.md)", min_length=1)
    rule: str | None = Field(None, description="The legal or business rule applied (a citation), when one is")
    field: str | None = Field(None, description="The input at fault (dotted path), when one is")
    errors: list[dict[str, str]] | None = Field(
        None, description="Field-level problems, each naming its `field` and why (`message` or `reason`)"
    )


class SectionApi(NinjaAPI):
    """The API: a body read into one schema names its fields as the client sent them."""

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        exc = super().validation_error_from_error_contexts(error_contexts)
        # django-ninja nests a single body schema under its parameter's name; the client never sent it.
        wrappers = {getattr(c.model, "__read_from_single_attr__", None) for c in error_contexts} - {None}
        for error in exc.errors:
            loc = tuple(error.get("loc", ()))
            if len(loc) > 1 and loc[0] == "body" and loc[1] in wrappers:
                error["loc"] = (loc[0], *loc[2:])
        return exc


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response={200: Out, **error_responses(401, 404)}``: the errors an operation answers with."""
    return dict.fromkeys(statuses, ErrorOut)


def choices(values: type[Choices] | Iterable[str], *, blank: bool = False) -> dict[str, Any]:
    """``Field(json_schema_extra=choices(Entry.Status))``: the values an output field takes, as an enum."""
    listed = list(values.values if isinstance(values, type) else values)
    return {"enum": [*listed, ""] if blank else listed}


@contextmanager
def lifecycle_rule(rule: str) -> Iterator[None]:
    """A state-machine refusal without a rule of its own names ``rule``, so its 409 always carries one."""
    try:
        yield
    except TransitionNotAllowed as exc:
        if exc.rule:
            raise
        raise TransitionNotAllowed(exc.message, rule=rule) from exc


def inline_schema(model: type[Schema]) -> dict[str, Any]:
    """A model's JSON schema with pydantic's local $defs resolved, to sit inline in an operation."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(deepcopy(defs[ref.rsplit("/", 1)[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def error_body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": STATUS_CODES.get(status, "error"), **extra}


def _validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    problems = []
    for error in exc.errors:
        # ninja prefixes the location with the source ("body", "query", "path"); keep the field.
        location = [str(part) for part in error.get("loc", ())][1:]
        problems.append({"field": ".".join(location) or "body", "message": str(error.get("msg", ""))})
    return problems


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return respond(request, exc.status, exc.as_dict())

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = _validation_errors(exc)
        field = problems[0]["field"] if problems else None
        return respond(request, 422, error_body(422, "The request is invalid.", field=field, errors=problems))

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(exc.status_code, str(exc)))

    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = "Sign in or send an API token (Authorization: Bearer ...)."
        return respond(request, 401, error_body(401, detail))

    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body(403, str(exc) or "You may not do this."))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(404, "Not found."))

    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            problems = [{"field": f, "message": " ".join(m)} for f, m in exc.message_dict.items()]
        else:
            problems = [{"field": "body", "message": m} for m in exc.messages]
        body = error_body(422, " ".join(p["message"] for p in problems), errors=problems)
        if problems and problems[0]["field"] != "body":
            body["field"] = problems[0]["field"]
        return respond(request, 422, body)

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body(413, HTTPStatus(413).phrase + "."))

    handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
        ServiceError: service_error,
        ValidationError: validation_error,
        AuthenticationError: authentication_error,
        HttpError: http_error,
        PermissionDenied: permission_denied,
        Http404: not_found,
        DjangoValidationError: django_validation_error,
        RequestDataTooBig: too_big,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
