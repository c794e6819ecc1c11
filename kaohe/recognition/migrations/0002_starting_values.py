"""The company values a new installation offers until HR words its own."""

from django.db import migrations


def add_values(apps, schema_editor):
    from kaohe.recognition.values import ensure_starting_values

    ensure_starting_values(apps.get_model("recognition", "CompanyValue"))


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_thanks_and_values")]

    operations = [migrations.RunPython(add_values, migrations.RunPython.noop)]
