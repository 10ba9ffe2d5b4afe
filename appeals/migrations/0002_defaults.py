from django.db import migrations


def install(apps, schema_editor):
    from appeals.defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
