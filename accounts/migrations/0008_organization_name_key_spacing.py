from django.db import migrations


def refill_keys(apps, schema_editor):
    """Names are now compared without spacing, underscores or Latin letter forms ("TokyoTelecomGroup",
    "Tᴏkyo Telecom Group"): every key is made again. Keys are first set apart (each unique) so that
    no new key meets an old one mid-way; a pair that now reads the same keeps both organizations,
    the later one's key marked with its id, as when keys were first made."""
    from accounts.identity import organization_name_key

    Organization = apps.get_model("accounts", "Organization")
    organizations = list(Organization.objects.order_by("pk"))
    for organization in organizations:
        Organization.objects.filter(pk=organization.pk).update(name_key=f"#{organization.pk}")
    taken = set()
    for organization in organizations:
        key = organization_name_key(organization.name)
        if key in taken or not key:
            key = f"{key[:190]}#{organization.pk}"
        taken.add(key)
        Organization.objects.filter(pk=organization.pk).update(name_key=key)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_organization_name_key")]

    operations = [migrations.RunPython(refill_keys, migrations.RunPython.noop)]
