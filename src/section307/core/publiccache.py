"""A per-process cache of public pages for anonymous visitors.

Public pages (the published order list, an order, their API) are the same for every anonymous
visitor in a language, and change only when the registry does. An app registers a URL prefix with a
cheap *version* function (a few indexed aggregates); the key holds the version, so a change to the
registry is visible on the next request, with no expiry to wait for. Signed-in users always get a
fresh page. Every page carries the language form's CSRF token: the stored copy keeps no cookie, and
each hit gets the visitor's own token put back in place (CsrfViewMiddleware then sets its cookie).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

CACHE_ALIAS = "public"
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_VERSIONS: dict[str, Callable[[], object]] = {}
_EXACT: dict[str, Callable[[], object]] = {}


def register(prefix: str, version: Callable[[], object], *, exact: bool = False) -> None:
    (_EXACT if exact else _VERSIONS)[prefix] = version


def _version_for(path: str) -> Callable[[], object] | None:
    if path in _EXACT:
        return _EXACT[path]
    for prefix, version in _VERSIONS.items():
        if path.startswith(prefix):
            return version
    return None


_checked: dict[int, tuple[float, object]] = {}
_checked_lock = threading.Lock()


def _current(version: Callable[[], object]) -> object:
    """The version, asked at most once every SECTION307_PUBLIC_VERSION_SECONDS per process."""
    every = float(getattr(settings, "SECTION307_PUBLIC_VERSION_SECONDS", 0))
    now = time.monotonic()
    with _checked_lock:
        seen = _checked.get(id(version))
        if every > 0 and seen is not None and now - seen[0] < every:
            return seen[1]
    value = version()
    with _checked_lock:
        _checked[id(version)] = (now, value)
    return value


def _anonymous_without_state(request: HttpRequest) -> bool:
    # No session and no pending messages: nothing about this visitor can be on the page.
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
        and not request.user.is_authenticated
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        version = _version_for(request.path) if request.method in ("GET", "HEAD") else None
        if version is None or CACHE_ALIAS not in settings.CACHES or not _anonymous_without_state(request):
            return self.get_response(request)
        raw = "|".join(
            [
                request.get_full_path(),
                get_language() or "",
                request.headers.get("Accept", ""),
                request.headers.get("HX-Request", ""),
                repr(_current(version)),
            ]
        )
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        cache = caches[CACHE_ALIAS]
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            if CSRF_FIELD.search(content):
                token = get_token(request).encode()
                content = CSRF_FIELD.sub(lambda m: m.group(1) + token + m.group(2), content)
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        other_cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        if response.status_code == 200 and not response.streaming and not other_cookies:
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            cache.set(key, (response.content, headers))
        return response
