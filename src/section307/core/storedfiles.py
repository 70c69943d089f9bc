"""Stored files: the one way a view hands a stored file out, and the sweep of orphan files.

Files are never served from a public URL: every download goes through a view that checks the
same permission as the page the file belongs to and then calls ``stored_file_response``.

A file on disk that no row points to (a worker killed between writing the file and committing
its row) is an orphan. ``orphans`` finds them from the rows: every ``FileField`` of every model,
plus the path columns a model names in ``stored_path_fields``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_tasks import task

from section307.core.audit import audit_record
from section307.core.types import Actor

_UNSAFE = re.compile(r"[^\w.\- ]+")


def stored_file_response(data: bytes, *, content_type: str, filename: str, as_attachment: bool = True) -> HttpResponse:
    """A decrypted stored file: never cached, never sniffed, a download under a harmless name."""
    response = HttpResponse(data, content_type=content_type or "application/octet-stream")
    safe = _UNSAFE.sub("_", filename.replace("\\", "/").rsplit("/", 1)[-1])[:100].strip() or "file"
    # Non-ASCII names (a Chinese file name) go out as RFC 6266 filename*.
    response["Content-Disposition"] = content_disposition_header(as_attachment, safe) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def media_root() -> Path:
    return Path(getattr(default_storage, "location", settings.MEDIA_ROOT))


def referenced_paths() -> set[str]:
    """Every storage name a row points to."""
    names: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        fields += list(getattr(model, "stored_path_fields", ()))
        for field in fields:
            names.update(n for n in model._default_manager.values_list(field, flat=True) if n)
    return names


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int
    modified: dt.datetime


# The folders uploads are stored in (allegation evidence, case evidence, trade documents, exam photos,
# IPR detention photos, parcel manifests).
# Only these are swept: anything else under the media root is left alone.
SWEPT_FOLDERS = ("allegations", "evidence", "trade", "ports", "ipr", "parcels")


def orphans(*, grace: dt.timedelta = dt.timedelta(hours=1)) -> list[Orphan]:
    """Upload files with no row, older than ``grace`` (an upload may still be committing its row)."""
    root = media_root()
    known = referenced_paths()
    cutoff = (timezone.now() - grace).timestamp()
    found: list[Orphan] = []
    folders = [root / folder for folder in SWEPT_FOLDERS if (root / folder).is_dir()]
    for dirpath, _dirs, files in (step for folder in folders for step in os.walk(folder)):
        for filename in files:
            path = Path(dirpath) / filename
            name = path.relative_to(root).as_posix()
            stat = path.stat()
            if name not in known and stat.st_mtime < cutoff:
                modified = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
                found.append(Orphan(name, stat.st_size, modified))
    return sorted(found, key=lambda o: o.name)


def orphans_delete(found: list[Orphan]) -> int:
    """Remove orphans from disk (directly: write-once storages refuse deletes of files they hold)."""
    root = media_root()
    removed = 0
    for orphan in found:
        path = root / orphan.name
        if path.is_file():
            path.unlink()
            removed += 1
    return removed


def files_sweep(
    *, actor: Actor | None, delete: bool = False, grace: dt.timedelta = dt.timedelta(hours=1)
) -> list[Orphan]:
    """Find orphan files; with ``delete`` remove them and audit how many (names say nothing about content)."""
    found = orphans(grace=grace)
    if delete and found:
        removed = orphans_delete(found)
        audit_record(
            actor=actor,
            action="files.sweep",
            data={"deleted": removed, "bytes": sum(o.size for o in found), "names": [o.name for o in found][:200]},
        )
    return found


@task()
def files_sweep_daily() -> int:
    """Daily job: remove files on disk that no row points to (e.g. after a killed worker)."""
    return len(files_sweep(actor=None, delete=True))


def _write_beside(name: str, content: bytes) -> str:
    """Write content under a new random name in the same folder as ``name`` (never over a file)."""
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    suffix = Path(name).suffix if Path(name).suffix in {".bin", ".jpg"} else ".bin"
    new_name = f"{folder}/{uuid.uuid4().hex}{suffix}".lstrip("/")
    target = media_root() / new_name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as fh:
        fh.write(content)
    os.chmod(target, 0o440)
    return new_name


def encrypt_stored_file(name: str) -> str | None:
    """Encrypt a file stored in plaintext (data migrations): writes an encrypted copy under a new random
    name in the same folder and returns it; None when the file is already encrypted or missing.
    The caller points the row at the new name, then removes the old file (a crash in between leaves
    only an orphan for the sweep)."""
    from section307.allegations.crypto import DecryptionFailed, decrypt_bytes, encrypt_bytes

    path = media_root() / name
    if not path.is_file():
        return None
    data = path.read_bytes()
    try:
        decrypt_bytes(data)
        return None
    except DecryptionFailed:
        return _write_beside(name, encrypt_bytes(data))


def rotate_stored_file(name: str) -> str | None:
    """Re-encrypt a stored file under the newest key (after a new key is prepended); None if missing."""
    from section307.allegations.crypto import fernet

    path = media_root() / name
    if not path.is_file():
        return None
    return _write_beside(name, fernet().rotate(path.read_bytes()))


def _rotate_segmented(name: str) -> str | None:
    from section307.core.streamcrypt import rotate_file

    return rotate_file(name, root=media_root())


_RANDOM_NAME = re.compile(r"^[0-9a-f]{32}(\.bin|\.jpg)?$")


def rename_stored_file(name: str) -> str | None:
    """Give a file stored under a telling name (a time, an original name) a random one; None if it
    already has one or is missing."""
    path = media_root() / name
    if _RANDOM_NAME.match(path.name) or not path.is_file():
        return None
    return _write_beside(name, path.read_bytes())


def remove_stored_file(name: str) -> None:
    path = media_root() / name
    if path.is_file():
        path.unlink()


def _rewrite_rows(model: type[models.Model], field: str, rewrite: Callable[[str], str | None]) -> int:
    done = 0
    for pk, name in model._default_manager.exclude(**{field: ""}).values_list("pk", field).iterator():
        new_name = rewrite(name)
        if new_name is not None:
            # A queryset update: evidence rows refuse save() once stored.
            model._default_manager.filter(pk=pk).update(**{field: new_name})
            remove_stored_file(name)
            done += 1
    return done


def rename_rows(model: type[models.Model], field: str) -> int:
    """Data migrations: move every file a column points to onto a random name; returns how many."""
    return _rewrite_rows(model, field, rename_stored_file)


def encrypt_plaintext_rows(model: type[models.Model], field: str) -> int:
    """Data migrations: encrypt every file a column points to that is still plaintext; returns how many."""
    return _rewrite_rows(model, field, encrypt_stored_file)


def encrypt_plaintext_segmented_rows(model: type[models.Model], field: str) -> int:
    """Data migrations: encrypt in segments (``core.streamcrypt``) every file a column points to that
    is still plaintext; returns how many."""
    from section307.core.streamcrypt import encrypt_plaintext_file

    return _rewrite_rows(model, field, lambda name: encrypt_plaintext_file(name, root=media_root()))


def files_rotate_keys(*, actor: Actor | None) -> int:
    """Re-encrypt every file of the models that declare ``encrypted_file_fields`` (one token) or
    ``segmented_file_fields`` (``core.streamcrypt``, segment by segment) under the newest key.

    Allegation files are rotated by ``allegations rotate-keys``; run both before dropping an old key.
    """
    done = 0
    for model in apps.get_models():
        for field in getattr(model, "encrypted_file_fields", ()):
            done += _rewrite_rows(model, field, rotate_stored_file)
        for field in getattr(model, "segmented_file_fields", ()):
            done += _rewrite_rows(model, field, _rotate_segmented)
    if done:
        audit_record(actor=actor, action="files.keys_rotated", data={"files": done})
    return done
