"""Load ISO 3166-1 countries (plus Kosovo, which CBP and State use) from pycountry."""

from django.db import migrations

EXTRA = [("XK", "XKX", "Kosovo", "Republic of Kosovo")]


def load_countries(apps, schema_editor):
    import pycountry

    Country = apps.get_model("geo", "Country")
    rows = [
        (c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name, getattr(c, "official_name", ""))
        for c in pycountry.countries
    ]
    for code, alpha3, name, official in rows + EXTRA:
        Country.objects.update_or_create(
            code=code, defaults={"alpha3": alpha3, "name": name, "official_name": official or ""}
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
