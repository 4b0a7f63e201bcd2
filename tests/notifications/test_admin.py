"""Admins send a failed email again from the admin; the admin changes nothing else by hand."""

import pytest

from notifications.models import EmailStatus, Notification
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_send_again_resets_a_failed_email_and_sends_it(
    client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(email_status=EmailStatus.FAILED, email_attempts=5, email_error="SMTP down")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/notification/",
            {"action": "retry_email", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.email_status, failed.email_error) == (EmailStatus.SENT, "")
    assert [m.to for m in mailoutbox] == [[failed.recipient.email]]


def test_the_admin_does_not_edit_notifications_or_follows(client, admin_user):
    notification = NotificationFactory()
    client.force_login(admin_user)
    assert client.get(f"/admin/notifications/notification/{notification.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/notifications/notification/{notification.pk}/change/", {}).status_code == 403
    assert client.get("/admin/notifications/subscription/add/").status_code == 403
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_the_admin_shows_whom_a_notice_went_to_not_what_it_said(client, admin_user):
    """ "Your amendment 4 was accepted" beside its recipient told administrators who wrote an amendment
    the Chatham House rule keeps unnamed; the admin needs only the delivery to send it again."""
    notification = NotificationFactory(message="Your amendment 4 to clause OP1 was accepted and merged.")
    client.force_login(admin_user)
    for url in ("/admin/notifications/notification/", f"/admin/notifications/notification/{notification.pk}/change/"):
        page = client.get(url).content.decode()
        assert notification.recipient.username in page and "Your amendment" not in page, url
