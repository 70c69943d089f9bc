"""Background work: drop draft files that were never submitted."""

from __future__ import annotations

from django_tasks import task

from section307.allegations.services import drafts_purge_expired


@task()
def purge_expired_drafts() -> int:
    return drafts_purge_expired(actor=None)
