from __future__ import annotations

from django.conf import settings
from django.db import models


class RefdataLoad(models.Model):
    """A successful load of a public list: what file, what changed. Rejected files leave no row."""

    source = models.CharField(max_length=30, db_index=True)
    location = models.CharField(max_length=1000, help_text="Path or URL the list was read from")
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(default=dict)
    changes = models.JSONField(default=list, help_text="One line per change, for people to read")

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.loaded_at:%Y-%m-%d %H:%M}"
