"""Seed the default case template: the four phases of a forced-labor investigation (19 U.S.C. 1307)."""

from django.db import migrations

NAME = "Forced labor (19 U.S.C. 1307)"
TASKS = [
    # phase, title, description, due offset in days
    ("initiation", "Assess the lead", "Read the allegation or source; note what is alleged, where and by whom.", 5),
    ("initiation", "Check duplicates and related orders", "Search open cases, allegations and the order registry.", 7),
    ("research", "Database and trade-record research", "Bills of lading, entry data, corporate registries.", 30),
    ("research", "Draft the supply-chain map", "Parties by tier, linked supplier to buyer, up to raw inputs.", 35),
    ("research", "Engage stakeholders", "Internal offices, partner agencies, NGOs, worker representatives.", 40),
    ("research", "Write the validity memo", "Why the case meets the threshold to pursue.", 45),
    ("escalation", "In-country engagement", "Embassy, foreign government, on-the-ground sources.", 75),
    ("escalation", "Evidentiary review", "Tag evidence against the ILO indicators; record the assessment.", 90),
    ("escalation", "Legal sufficiency review", "Counsel's review of the basis for a WRO or Finding.", 105),
    ("decision", "Write the WRO or Finding proposal", "Basis, scope, grace period considered.", 115),
    ("decision", "Supervisor approval", "A second person reviews and approves (two-person rule).", 125),
    ("decision", "Publication", "Public list; Federal Register and Customs Bulletin for a Finding.", 130),
    ("decision", "Port notification", "Tell the ports and the trade of the new order.", 132),
    ("decision", "Monitoring", "Watch for detentions, modification requests and remediation.", 220),
]


def seed(apps, schema_editor):
    CaseTemplate = apps.get_model("cases", "CaseTemplate")
    TaskTemplate = apps.get_model("cases", "TaskTemplate")
    template, created = CaseTemplate.objects.get_or_create(
        name=NAME,
        defaults={"description": "Initiation, research and validity, escalation, and issuance with monitoring."},
    )
    if not created:
        return
    TaskTemplate.objects.bulk_create(
        [
            TaskTemplate(
                template=template, phase=phase, title=title, description=desc, due_offset_days=days, position=i
            )
            for i, (phase, title, desc, days) in enumerate(TASKS)
        ]
    )


def unseed(apps, schema_editor):
    apps.get_model("cases", "CaseTemplate").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
