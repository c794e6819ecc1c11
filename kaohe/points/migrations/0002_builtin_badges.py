from django.db import migrations


def add_builtins(apps, schema_editor):
    from kaohe.points.builtins import ensure_builtin_badges

    ensure_builtin_badges(apps.get_model("points", "Badge"))


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(add_builtins, migrations.RunPython.noop)]
