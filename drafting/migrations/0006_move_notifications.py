"""Subscription, Event and Notification move to the notifications app.

Only Django's idea of the models changes here; the tables and every row stay where they are.
``notifications.0001_initial`` takes the same tables over, then renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0005_export_jobs'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Notification first: it points at Event.
                migrations.DeleteModel(name='Notification'),
                migrations.DeleteModel(name='Event'),
                migrations.DeleteModel(name='Subscription'),
            ],
            database_operations=[],
        ),
    ]
