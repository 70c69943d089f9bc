"""Piratical articles under 19 CFR 133.42-133.43 as amended by CBP Dec. 24-03 (effective 23 August 2024).

The statuses of the replaced procedure go: a detention the importer had denied ("denied") is back to
"noticed" with the importer's information on file for the officer to read; one where the copyright owner
had been shown the photos and filed a demand ("demanded") is "disclosed". The columns of the replaced
procedure stay (owner_notified_on, demand_on, demand_bond_reference) so nothing recorded is lost.
"""

import datetime as dt

from django.db import migrations


def forwards(apps, schema_editor):
    IprDetention = apps.get_model("ipr", "IprDetention")
    IprDetention.objects.filter(status="denied").update(status="noticed")
    for d in IprDetention.objects.filter(status="demanded"):
        d.status = "disclosed"
        if d.disclosed_at is None and d.owner_notified_on is not None:
            d.disclosed_at = dt.datetime.combine(d.owner_notified_on, dt.time(12), tzinfo=dt.UTC)
        d.save(update_fields=["status", "disclosed_at"])


class Migration(migrations.Migration):
    dependencies = [("ipr", "0002_procedures_and_forfeiture")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
