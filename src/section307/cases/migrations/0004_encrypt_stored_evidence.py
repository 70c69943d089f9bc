"""Encrypt evidence files stored before evidence was encrypted at rest (idempotent: encrypted files are skipped)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    from section307.core.storedfiles import encrypt_plaintext_rows

    encrypt_plaintext_rows(apps.get_model("cases", "Evidence"), "file")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_allegation"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop, elidable=True),
    ]
