from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_live_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="liveevent",
            name="horizon",
            field=models.BigIntegerField(default=0),
        ),
        # Events written before keep the horizon 0: any earlier event may have committed after
        # them, so a client resuming after one is told all of them (or to read everything again).
    ]
