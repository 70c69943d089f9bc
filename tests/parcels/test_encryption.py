"""Manifest files are encrypted at rest in segments, read back as a stream, re-encrypted by
`files rotate-keys`, and encrypted by the data migration when stored before."""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.apps import apps
from django.core.management import call_command

from section307.core import streamcrypt
from section307.core.storedfiles import media_root
from section307.parcels.models import Manifest, Parcel

from .conftest import csv_bytes, listed, row

pytestmark = pytest.mark.django_db


def test_segments_round_trip_and_seek_anywhere(tmp_path: Any) -> None:
    data = bytes(range(256)) * 1000 + b"tail"  # 256,004 bytes: 15 full segments and a short one
    name = streamcrypt.write_encrypted(io.BytesIO(data), folder="x", root=tmp_path, segment=16384)
    stored = (tmp_path / name).read_bytes()
    assert data[:64] not in stored and stored.startswith(b"S307E1 16384\n")
    assert streamcrypt.token_length(16384) + 1 == len(stored.split(b"\n")[1]) + 1
    reader = streamcrypt.DecryptingReader(tmp_path / name)
    assert reader.size == len(data)
    with streamcrypt.open_decrypted(tmp_path / name) as stream:
        assert stream.read() == data
        for at in (0, 16383, 16384, 200_000, len(data) - 3):
            stream.seek(at)
            assert stream.read(10) == data[at : at + 10]
        stream.seek(-4, io.SEEK_END)
        assert stream.read() == b"tail"
    reader.close()


def test_a_stored_manifest_is_not_readable_on_disk_and_is_screened_from_the_encrypted_file(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    data = csv_bytes([row(1), listed(2), row(3)])
    m = receive(data)
    assert m.status == Manifest.Status.SCREENED and m.rows_stored == 3 and m.hits == 1
    on_disk = (media_root() / m.file.name).read_bytes()
    assert b"TRK000000001" not in on_disk and b"Consignee" not in on_disk
    with streamcrypt.open_decrypted(media_root() / m.file.name) as stream:
        assert stream.read() == data


def test_parquet_manifests_are_read_through_the_decrypting_stream(
    registry: Any, receive: Callable[..., Manifest]
) -> None:
    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([row(n) for n in range(1, 40)] + [listed(40)]), out, row_group_size=10)
    m = receive(out.getvalue(), name="m.parquet")
    assert m.file_format == "parquet" and m.rows_stored == 40 and m.hits == 1
    assert Parcel.objects.get(tracking_number="TRK000000040").decision == "hit"


def test_rotate_keys_re_encrypts_manifests_segment_by_segment(
    registry: Any, receive: Callable[..., Manifest], settings: Any, capsys: Any
) -> None:
    from cryptography.fernet import Fernet

    data = csv_bytes([row(1), row(2)])
    m = receive(data)
    old_name, old_keys = m.file.name, list(settings.SECTION307_ENCRYPTION_KEYS)
    settings.SECTION307_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    call_command("files", "rotate-keys")
    assert "files re-encrypted" in capsys.readouterr().out
    settings.SECTION307_ENCRYPTION_KEYS = settings.SECTION307_ENCRYPTION_KEYS[:1]  # the old key is dropped
    m.refresh_from_db()
    assert m.file.name != old_name and not (media_root() / old_name).exists()
    with streamcrypt.open_decrypted(media_root() / m.file.name) as stream:
        assert stream.read() == data


def test_data_migration_encrypts_manifests_stored_in_plaintext(registry: Any, receive: Callable[..., Manifest]) -> None:
    data = csv_bytes([row(1)])
    m = receive(data)
    plain = "parcels/manifests/0123456789abcdef0123456789abcdef"
    (media_root() / plain).parent.mkdir(parents=True, exist_ok=True)
    (media_root() / plain).write_bytes(data)
    Manifest.objects.filter(pk=m.pk).update(file=plain)
    migration = importlib.import_module("section307.parcels.migrations.0002_encrypt_manifests")
    migration.encrypt_existing(apps, None)
    migration.encrypt_existing(apps, None)  # idempotent: an encrypted file is left alone
    m.refresh_from_db()
    assert m.file.name != plain and not (media_root() / plain).exists()
    assert streamcrypt.is_segmented(media_root() / m.file.name)
    with streamcrypt.open_decrypted(media_root() / m.file.name) as stream:
        assert stream.read() == data
