"""The company values a new installation offers until HR words its own."""

from django.db import migrations

STARTING_VALUES = [
    ("customer-first", "客户第一", "Customer first"),
    ("teamwork", "团队协作", "Teamwork"),
    ("ownership", "主动担当", "Ownership"),
    ("professional", "专业高效", "Professional and efficient"),
    ("integrity", "诚信正直", "Integrity"),
]


def add_values(apps, schema_editor):
    value = apps.get_model("recognition", "CompanyValue")
    for order, (code, zh, en) in enumerate(STARTING_VALUES, 1):
        value.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_thanks_and_values")]

    operations = [migrations.RunPython(add_values, migrations.RunPython.noop)]
