from django.db import migrations


def load_countries(apps, schema_editor):
    from section307.geo.countries import iso_countries

    Country = apps.get_model("geo", "Country")
    for code, alpha3, name, official in iso_countries():
        Country.objects.update_or_create(
            code=code, defaults={"alpha3": alpha3, "name": name, "official_name": official}
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
