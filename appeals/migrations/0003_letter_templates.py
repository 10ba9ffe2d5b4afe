from django.db import migrations


def install(apps, schema_editor):
    from appeals.defaults import install_letter_templates

    install_letter_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_defaults")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
