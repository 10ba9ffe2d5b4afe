from django.db import migrations


def load(apps, schema_editor):
    from denials.catalog import catalog_sync

    catalog_sync(apps.get_model("denials", "ReasonCode"), apps.get_model("denials", "RemarkCode"))


class Migration(migrations.Migration):
    dependencies = [("denials", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
