"""Encrypt manifest files stored before manifests were encrypted at rest (idempotent: encrypted files are skipped)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    from section307.core.storedfiles import encrypt_plaintext_segmented_rows

    encrypt_plaintext_segmented_rows(apps.get_model("parcels", "Manifest"), "file")


class Migration(migrations.Migration):
    dependencies = [
        ("parcels", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop, elidable=True),
    ]
