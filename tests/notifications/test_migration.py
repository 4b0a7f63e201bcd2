"""Moving the notification tables from drafting to notifications loses no row, in both directions.

Runs the real migrations on the test database: back to before the move, rows
written through the old models, forward again, and the same rows under the new table names.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Event, Notification, Subscription

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("drafting", "0005_export_jobs")]
OLD_TABLES = {"drafting_subscription", "drafting_event", "drafting_notification"}
NEW_TABLES = {"notifications_subscription", "notifications_event", "notifications_notification"}


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def write_old_rows() -> dict:
    """A follow, an event and a notification through drafting's models as they were before the move."""
    loader = MigrationExecutor(connection).loader
    apps = loader.project_state(list(loader.applied_migrations)).apps
    user = apps.get_model("accounts", "User").objects.create(username="mover", email="mover@example.org")
    draft = apps.get_model("drafting", "Draft").objects.create(title="Moved", slug="moved", created_by=user)
    section = apps.get_model("drafting", "Section").objects.create(draft=draft, title="Norms", position=1)
    clause = apps.get_model("drafting", "Clause").objects.create(
        draft=draft, section=section, number=1, title="One", text="Text.", text_html="<p>Text.</p>"
    )
    # Older events first, so the ids are not all 1: the move must keep each id, not renumber.
    for n in range(3):
        apps.get_model("drafting", "Event").objects.create(kind="earlier", message=f"{n}", url="/")
    subscription = apps.get_model("drafting", "Subscription").objects.create(user=user, clause=clause)
    event = apps.get_model("drafting", "Event").objects.create(
        kind="comment_posted", draft=draft, followers_of_clause=clause, message="Someone commented.", url="/c/"
    )
    notification = apps.get_model("drafting", "Notification").objects.create(
        recipient=user, event=event, kind="comment_posted", draft=draft, message="Someone commented.", url="/c/"
    )
    content_types = apps.get_model("contenttypes", "ContentType").objects
    content_types.filter(app_label__in=["drafting", "notifications"], model="event").delete()
    old_type = content_types.create(app_label="drafting", model="event")
    content_types.create(app_label="notifications", model="event")  # as post_migrate could have made
    return {
        "user": user.pk,
        "clause": clause.pk,
        "subscription": subscription.pk,
        "event": event.pk,
        "notification": notification.pk,
        "event_type": old_type.pk,
    }


def test_the_move_keeps_every_row_and_id_and_can_be_undone():
    try:
        migrate(BEFORE_THE_MOVE)
        assert OLD_TABLES <= tables() and not NEW_TABLES & tables()
        ids = write_old_rows()

        migrate(latest())
        ContentType.objects.clear_cache()
        assert NEW_TABLES <= tables() and not OLD_TABLES & tables()
        subscription = Subscription.objects.get(pk=ids["subscription"])
        assert (subscription.user_id, subscription.clause_id) == (ids["user"], ids["clause"])
        notification = Notification.objects.select_related("event").get(pk=ids["notification"])
        assert notification.event.pk == ids["event"] and notification.event.message == "Someone commented."
        assert Event.objects.count() == 4
        # The content type (and so permissions and admin log entries) moved with its id.
        moved = ContentType.objects.get(app_label="notifications", model="event")
        assert moved.pk == ids["event_type"] and moved.model_class() is Event
        assert not ContentType.objects.filter(app_label="drafting", model="event").exists()
        # New rows get new ids after the rename (PostgreSQL's identity sequence came along).
        fresh = Event.objects.create(kind="later", message="After the move.", url="/")
        assert fresh.pk > ids["event"]
        again = Notification.objects.create(recipient_id=ids["user"], event=fresh, kind="later", message="m", url="/")
        assert again.pk > ids["notification"]

        migrate(BEFORE_THE_MOVE)
        assert OLD_TABLES <= tables() and not NEW_TABLES & tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM drafting_notification ORDER BY id")
            assert [row[0] for row in cursor.fetchall()] == [ids["notification"], again.pk]
            cursor.execute("SELECT id FROM drafting_subscription")
            assert [row[0] for row in cursor.fetchall()] == [ids["subscription"]]
            cursor.execute("SELECT app_label FROM django_content_type WHERE id = %s", [ids["event_type"]])
            assert cursor.fetchone()[0] == "drafting"
    finally:
        migrate(latest())
        ContentType.objects.clear_cache()
    assert NEW_TABLES <= tables()
    assert Notification.objects.filter(pk=ids["notification"]).exists()
