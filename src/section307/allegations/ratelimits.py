"""Per-client rate limits for the public portal and API, without storing who the client is.

The client key is a keyed digest of the address, used only as a cache key that expires with the
rate window (django-ratelimit hashes it again). Nothing about the client reaches the database.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited

from section307.allegations.crypto import keyed_digest
from section307.core.clientip import client_ip


def client_key(group: str, request: HttpRequest) -> str:
    return keyed_digest(client_ip(request), purpose="client")


def _rate(name: str) -> str:
    return str(settings.SECTION307_ALLEGATION_LIMITS[name])


def submission_limited(request: HttpRequest) -> bool:
    """Count one submission (or reporter message) and say whether the client is over its limit."""
    return is_ratelimited(
        request,
        group="allegations.submit",
        key=client_key,
        rate=_rate("submit_rate"),
        method=is_ratelimited.ALL,
        increment=True,
    )


def receipt_blocked(request: HttpRequest) -> bool:
    """Whether the client has used up its wrong-code attempts (checking does not count as an attempt)."""
    usage = get_usage(
        request, group="allegations.receipt", key=client_key, rate=_rate("receipt_rate"), method=is_ratelimited.ALL
    )
    return usage is not None and usage["count"] >= usage["limit"]


def receipt_failed(request: HttpRequest) -> None:
    is_ratelimited(
        request,
        group="allegations.receipt",
        key=client_key,
        rate=_rate("receipt_rate"),
        method=is_ratelimited.ALL,
        increment=True,
    )
