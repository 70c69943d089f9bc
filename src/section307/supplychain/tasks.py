"""Background work: large uploads (with progress) and monitoring after order or reference-list changes."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def job_run(job_id: int) -> str:
    """Parse and import (or self-screen) a queued upload, saving progress as it goes."""
    from section307.allegations.crypto import decrypt_bytes
    from section307.core.errors import ServiceError
    from section307.supplychain import selfscreen, services
    from section307.supplychain.imports import ImportFailed
    from section307.supplychain.models import ImportJob

    job = ImportJob.objects.select_related("organization", "user").filter(pk=job_id).first()
    if job is None or job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return "skipped"
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status", "updated_at"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        data = decrypt_bytes(bytes(job.payload))
        if job.kind == ImportJob.Kind.ENTRIES:
            rows = selfscreen.entry_rows(data, job.filename)
            job.total = len(rows)
            job.results = selfscreen.screen_entry_rows(rows, progress=progress)
        else:
            job.map = services.map_import_file(
                actor=job.user,
                organization=job.organization,
                title=job.title,
                data=data,
                filename=job.filename,
                progress=progress,
            )
            job.total = job.map.nodes.count()
        job.done = job.total
        job.status = ImportJob.Status.DONE
    except ImportFailed as exc:
        job.errors, job.status = exc.errors, ImportJob.Status.FAILED
    except ServiceError as exc:
        job.errors = list(exc.extra.get("errors") or [{"row": "", "column": exc.field or "", "reason": exc.message}])
        job.status = ImportJob.Status.FAILED
    job.payload = b""
    job.save()
    return str(job.status)


@task()
def maps_rescreen_task(trigger: str) -> dict[str, int]:
    """Re-screen every importer's map after an order or list change; owners of changed maps are alerted."""
    from section307.supplychain.services import maps_rescreen

    outcome = maps_rescreen(trigger=trigger)
    return {"screened": outcome.screened, "changed": len(outcome.changed)}
