"""The rate limit on the public statistics (page, downloads and ``GET /api/v1/statistics``).

The same facility as the public allegation forms (``allegations.ratelimits``): django-ratelimit counting
per client in the shared cache, the client named only by a keyed digest of its address. Requests the
public page cache answers (anonymous visitors, figures unchanged) never reach the view and are not
counted: only the figures actually computed are.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from section307.allegations.ratelimits import client_key


def statistics_limited(request: HttpRequest) -> bool:
    """Count one request for the statistics and say whether the client is over its limit."""
    return is_ratelimited(
        request,
        group="metrics.statistics",
        key=client_key,
        rate=str(settings.METRICS_STATISTICS_RATE),
        method=is_ratelimited.ALL,
        increment=True,
    )
