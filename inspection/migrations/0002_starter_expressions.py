from django.db import migrations


def load(apps, schema_editor):
    from inspection.expressions import STARTER_LIST

    ExpressionRule = apps.get_model("inspection", "ExpressionRule")
    for wrong, right in STARTER_LIST:
        ExpressionRule.objects.get_or_create(wrong=wrong, defaults={"right": right})


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_site_inspection")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
