from django.db import migrations, models


def fill_keys(apps, schema_editor):
    """Existing names get their key; a pair that already reads the same (made before names were
    compared so) keeps both organizations, the later one's key marked with its id."""
    from accounts.identity import organization_name_key

    Organization = apps.get_model("accounts", "Organization")
    taken = set()
    for organization in Organization.objects.order_by("pk"):
        key = organization_name_key(organization.name)
        if key in taken:
            key = f"{key[:190]} #{organization.pk}"
        taken.add(key)
        organization.name_key = key
        organization.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_api_tokens")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="name_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="name_key",
            field=models.CharField(editable=False, max_length=200, unique=True),
        ),
    ]
