"""The JSON API, documented by its OpenAPI schema at /api/v1/openapi.json (docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Schema

from section307 import __version__
from section307.allegations.api import router as allegations_router
from section307.cases.api import router as cases_router
from section307.cases.petition_api import router as petitions_router
from section307.core.api import SectionApi, install_error_handlers
from section307.core.queue_api import router as queue_router
from section307.ipr.api import router as ipr_router
from section307.metrics.api import router as metrics_router
from section307.orders.api import router as orders_router
from section307.parcels.api import router as parcels_router
from section307.ports.api import router as ports_router
from section307.supplychain.api import router as supplychain_router
from section307.supplychain.diligence_api import router as diligence_router

api = SectionApi(
    title="section307 API",
    version="1",
    description="Forced-labor import ban enforcement: orders, allegations, cases, entries and detentions; "
    "IPR detentions for rights holders.",
    urls_namespace="api",
)
# Every error, from a service or from django-ninja, answers with the body of core.api.ErrorOut.
install_error_handlers(api)


class HealthOut(Schema):
    status: Literal["ok"]
    version: str


@api.get("/health", response=HealthOut, tags=["meta"], summary="Service health and version", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "version": __version__}


api.add_router("/", orders_router)
api.add_router("/", allegations_router)
api.add_router("/", cases_router)
api.add_router("/", ports_router)
api.add_router("/", petitions_router)
api.add_router("/", queue_router)
api.add_router("/", ipr_router)
api.add_router("/", metrics_router)
api.add_router("/", supplychain_router)
api.add_router("/", diligence_router)
api.add_router("/", parcels_router)
