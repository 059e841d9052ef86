"""Loads the shipped vocabularies (GB/T 2260 regions, GB/T 4754-2017 industries) and creates the
curators group. Re-running after the data files change updates names in place."""

from django.db import migrations


def load(apps, schema_editor):
    from registry.vocabularies import industries, regions

    Region = apps.get_model("registry", "Region")
    Industry = apps.get_model("registry", "Industry")
    for term in regions():
        Region.objects.update_or_create(
            code=term["code"], defaults={"name": term["name"], "name_en": term["name_en"]}
        )
    for term in industries():
        Industry.objects.update_or_create(
            code=term["code"], defaults={"name": term["name"], "name_en": term["name_en"]}
        )
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="curators")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
