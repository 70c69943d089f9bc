from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per state change (and per sensitive read), written by the service that made it.

    Rows are append-only: services create them, nothing updates or deletes them. Each row carries
    the hash of the row before it (``prev_hash``) and its own ``hash`` over both, so an edit or a
    deletion made behind the application's back is found by ``section307 audit verify``.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept even if the user is later removed; "system" or "public" when there is no account.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"


class ScheduledRun(models.Model):
    """One row per daily job and day: the claim that makes the scheduler enqueue each job once a day."""

    job = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"


class AuditChainHead(models.Model):
    """The single row (pk 1) holding the newest audit row's id and hash.

    Writers lock it (``select_for_update``) before appending, so two transactions can never both
    chain onto the same row; verification also compares it with the last row, so a deleted tail
    is found too.
    """

    last_id = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit chain head at {self.last_id}"
