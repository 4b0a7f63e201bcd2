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
        # Events written before kept no horizon: their own transaction is the nearest guess (they
        # are forgotten within a day).
        migrations.RunSQL("UPDATE live_liveevent SET horizon = txid", migrations.RunSQL.noop),
    ]
