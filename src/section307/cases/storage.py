"""Write-once storage for evidence: a stored name is never overwritten, and files are read-only on disk."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import FileSystemStorage, default_storage


class WriteOnceStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o440)
        super().__init__(**kwargs)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        if self.exists(name):
            raise FileExistsError(f"evidence file {name} already exists; stored files are never replaced")
        return name

    def delete(self, name: str) -> None:
        raise PermissionError("evidence files are never deleted through the application")


def evidence_storage() -> WriteOnceStorage:
    """Called by the model field (a callable keeps migrations free of paths)."""
    # Same location as the default storage (which the test settings point at a temporary folder).
    location = getattr(default_storage, "location", None)
    return WriteOnceStorage(location=location) if location else WriteOnceStorage()
