"""Move exam photos stored under telling names (entry number, upload time, file name) onto random names."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def rename_existing(apps: Any, schema_editor: Any) -> None:
    from section307.core.storedfiles import rename_rows

    model = apps.get_model("ports", "ExamImage")
    rename_rows(model, "image")
    rename_rows(model, "redacted")


class Migration(migrations.Migration):
    dependencies = [
        ("ports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rename_existing, migrations.RunPython.noop, elidable=True),
    ]
