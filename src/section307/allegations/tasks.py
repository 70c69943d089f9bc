"""Background work: sanitize uploaded files after the receipt is issued; drop draft files never submitted."""

from __future__ import annotations

from django_tasks import task


@task()
def purge_expired_drafts() -> int:
    from section307.allegations.services import drafts_purge_expired

    return drafts_purge_expired(actor=None)


@task()
def sanitize_attachment(attachment_id: int) -> str:
    """Derive the metadata-free copy of one uploaded file; returns the outcome."""
    from section307.allegations.services import attachment_sanitize

    done = attachment_sanitize(actor=None, attachment_id=attachment_id)
    return done.sanitization if done is not None else "nothing to do"
