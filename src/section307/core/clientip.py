"""The client's address, as every rate limit sees it.

Behind a reverse proxy REMOTE_ADDR is the proxy, so every client would share one limit. When
``SECTION307_TRUSTED_PROXY_HEADER`` names the header the proxies append to (``X-Forwarded-For``)
and ``SECTION307_TRUSTED_PROXY_COUNT`` says how many proxies of ours are in front, the client is
the address that the outermost of them saw: the N-th entry from the right. Entries further left
were written by the client and are ignored, so a forged header cannot choose its own limit.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_key(header: str) -> str:
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") else f"HTTP_{name}"


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = getattr(settings, "SECTION307_TRUSTED_PROXY_HEADER", "")
    hops = int(getattr(settings, "SECTION307_TRUSTED_PROXY_COUNT", 1))
    if not header or hops < 1:
        return remote or "unknown"
    entries = [e.strip() for e in request.META.get(_meta_key(header), "").split(",") if e.strip()]
    if len(entries) < hops:
        # Not every trusted proxy added its entry: the request did not come the configured way.
        return remote or "unknown"
    candidate = entries[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote or "unknown"
