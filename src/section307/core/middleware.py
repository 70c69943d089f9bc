from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from section307.core.errors import ServiceError
from section307.core.inputs import NUL, json_body_nul_field, pairs_nul_field


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a strict Content Security Policy and a permissions policy."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The interactive API docs load their own inline scripts.
            return response
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        return response


def _error_response(
    request: HttpRequest, status: int, message: str, code: str, field: str | None = None
) -> HttpResponse:
    """The API's JSON error body, or a page for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse(ServiceError(message, code=code, field=field).as_dict(), status=status)
    if code == "nul_character" and field == "cookie":
        # The session cookie is unusable: render nothing that would read it.
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "core/bad_request.html", {"status": status, "message": message}, status=status)


class InputRulesMiddleware:
    """Refuses input no view can store or handle, before any view runs, the same way everywhere.

    - NUL characters (``\\u0000``) in the path, the query string, cookies, form fields and JSON
      or text bodies: 400 naming the field (see ``core.inputs``).
    - A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (files in multipart excepted): 413.
    - Too many form fields or files, or a malformed multipart body: 400.
    """

    BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self.check(request)
        return refused if refused is not None else self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view that reads a body the middleware did not (an unusual content type).
        if isinstance(exception, RequestDataTooBig):
            return self._too_big(request)
        return None

    def _too_big(self, request: HttpRequest) -> HttpResponse:
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _error_response(
            request, 413, _("The request is larger than %(mb)s MB.") % {"mb": limit_mb}, "request_too_large"
        )

    def check(self, request: HttpRequest) -> HttpResponse | None:
        try:
            return self._check_inputs(request)
        except RequestDataTooBig:
            return self._too_big(request)
        except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError) as exc:
            return _error_response(request, 400, str(exc) or _("The form could not be read."), "malformed_request")

    def _check_inputs(self, request: HttpRequest) -> HttpResponse | None:
        if NUL in request.path:
            return self._nul(request, "path", _("The address contains a NUL character."))
        if any(NUL in k or NUL in v for k, v in request.COOKIES.items()):
            return self._nul(request, "cookie", _("A cookie contains a NUL character."))
        field = pairs_nul_field(request.GET.lists())
        if field is not None:
            return self._nul(request, field, _("The query parameter “%(field)s” contains a NUL character."))
        if request.method not in self.BODY_METHODS:
            return None
        content_type = request.content_type or ""
        if content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            if request.method != "POST":
                return None
            field = pairs_nul_field(request.POST.lists())
            if field is not None:
                return self._nul(request, field, _("The form field “%(field)s” contains a NUL character."))
        elif content_type == "" or "json" in content_type or content_type.startswith("text/"):
            field = json_body_nul_field(request.body)
            if field is not None:
                return self._nul(request, field, _("The field “%(field)s” contains a NUL character."))
        return None

    def _nul(self, request: HttpRequest, field: str, template: str) -> HttpResponse:
        message = template % {"field": field} + " " + _("Remove it and send the request again.")
        return _error_response(request, 400, message, "nul_character", field)


# Pages that show the same public information to every anonymous visitor; browsers and proxies may
# keep them. Every other response (receipt codes, follow-up status, allegation, case and evidence
# pages, entries, every file download, anything shown to a signed-in user) is never stored.
CACHEABLE_PUBLIC_VIEWS = frozenset(
    {
        "core:home",
        "orders_public:list",
        "orders_public:detail",
        "api:api-root",
        "api:health",
        "api:openapi-json",
        "api:openapi-view",
        "api:list_orders",
        "api:get_order",
    }
)


def may_be_stored(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or match.view_name not in CACHEABLE_PUBLIC_VIEWS:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated) and "Authorization" not in request.headers


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response but the public pages listed above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", "") and not may_be_stored(request):
            response["Cache-Control"] = "no-store"
        return response
