"""Background reading and screening of large manifests."""

from __future__ import annotations

from django_tasks import task


@task()
def manifest_process_task(manifest_id: int) -> dict[str, int]:
    from section307.parcels.models import Manifest
    from section307.parcels.services import manifest_process

    manifest = Manifest.objects.filter(pk=manifest_id, status=Manifest.Status.RECEIVED).first()
    if manifest is None:
        return {}
    m = manifest_process(manifest=manifest)
    return {"stored": m.rows_stored, "rejected": m.rows_rejected}


@task()
def parcels_rescreen_task(order_event_id: int) -> dict[str, int]:
    """Re-screen the parcels not yet disposed after an order event (``parcels.signals``)."""
    from section307.orders.models import OrderEvent
    from section307.parcels.models import ParcelRescreenRun
    from section307.parcels.services import parcels_rescreen

    event = OrderEvent.objects.select_related("order").filter(pk=order_event_id).first()
    if event is None:
        return {}
    # A list load records many events at once: the first run after them already used the newest
    # watchlist, so later tasks have nothing to add.
    if ParcelRescreenRun.objects.filter(started_at__gte=event.recorded_at).exists():
        return {"screened": 0}
    trigger = f"{event.get_kind_display().lower()} of {event.order.reference}"
    run = parcels_rescreen(actor=None, trigger=trigger, order_reference=event.order.reference)
    if run is None:
        return {"screened": 0}
    return {"screened": run.parcels_screened, "new_hits": run.new_hits, "cleared": run.cleared}


@task()
def protests_tick() -> dict[str, int]:
    """Daily: parcel protests of an exclusion not decided before their 30th day are recorded as denied
    by operation of law (19 U.S.C. 1499(c)(5)(B)), dated that day."""
    from section307.parcels.services import protests_deem_denied

    return {"protests_deemed_denied": len(protests_deem_denied())}
