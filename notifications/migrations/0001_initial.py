"""Take over drafting's notification tables without copying a row, then give them this app's names.

1. Django's state gains Subscription, Event and Notification here, on the tables drafting made
   (``drafting.0006`` dropped them from drafting's state; the database is not touched).
2. ``AlterModelTable`` renames the tables (ALTER TABLE ... RENAME): rows, ids, foreign keys and
   PostgreSQL's identity sequences all go with them.
3. The content types move to this app, so admin log entries and permissions keep pointing at them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("subscription", "event", "notification")


def _move_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.db_manager(schema_editor.connection.alias)
    for model in MOVED:
        moving = content_types.filter(app_label=source, model=model)
        if not moving.exists():
            continue  # a new database: post_migrate makes the content types afterwards
        # post_migrate may already have made an empty one under the new label (e.g. after a
        # migration back and forth); the one with the history wins.
        content_types.filter(app_label=target, model=model).delete()
        moving.update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="drafting", target="notifications")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="notifications", target="drafting")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('drafting', '0006_move_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('recipient_ids', models.JSONField(default=list)),
                        ('exclude_ids', models.JSONField(default=list)),
                        ('followers_of_draft', models.BooleanField(default=False)),
                        ('moderators', models.BooleanField(default=False)),
                        ('message', models.TextField()),
                        ('url', models.CharField(max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('fanned_out_at', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='drafting.draft')),
                        ('followers_of_clause', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='drafting.clause')),
                    ],
                    options={
                        'db_table': 'drafting_event',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['fanned_out_at', 'created_at'], name='event_pending_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('message', models.TextField()),
                        ('url', models.CharField(max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('email_status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('digest', 'Waiting for the daily digest'), ('skipped', 'Not emailed'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('email_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('email_error', models.TextField(blank=True)),
                        ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='drafting.draft')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='notifications.event')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'drafting_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [
                            models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx'),
                            models.Index(fields=['email_status', 'created_at'], name='notification_email_idx'),
                        ],
                        'constraints': [
                            models.UniqueConstraint(fields=('recipient', 'event'), name='one_notification_per_event'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('clause', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='drafting.clause')),
                        ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='drafting.draft')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'drafting_subscription',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(models.Q(('clause__isnull', True), ('draft__isnull', False)), models.Q(('clause__isnull', False), ('draft__isnull', True)), _connector='OR'), name='follow_draft_or_clause'),
                            models.UniqueConstraint(condition=models.Q(('draft__isnull', False)), fields=('user', 'draft'), name='follow_draft_once'),
                            models.UniqueConstraint(condition=models.Q(('clause__isnull', False)), fields=('user', 'clause'), name='follow_clause_once'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # table=None: the default names, notifications_event and so on.
        migrations.AlterModelTable(name='event', table=None),
        migrations.AlterModelTable(name='notification', table=None),
        migrations.AlterModelTable(name='subscription', table=None),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
