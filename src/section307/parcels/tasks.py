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
