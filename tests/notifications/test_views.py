"""The pages: following from a draft or clause, the notification list and the email preference."""

import pytest

from notifications.models import Notification, Subscription
from tests.conftest import client_for
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_follow_button_on_pages(client, draft, clause, people):
    client.force_login(people["observer"])
    assert "Follow<" in client.get(f"/clauses/{clause.id}/").content.decode()
    client.post("/follow/", {"clause": clause.id, "next": f"/clauses/{clause.id}/"})
    assert "Following · unfollow" in client.get(f"/clauses/{clause.id}/").content.decode()
    client.post("/follow/", {"clause": clause.id})
    assert not Subscription.objects.filter(user=people["observer"], clause=clause).exists()
    client.post("/follow/", {"draft": draft.slug})
    assert Subscription.objects.filter(user=people["observer"], draft=draft).exists()
    page = client.get("/notifications/").content.decode()
    assert draft.title in page and 'value="immediate" checked' in page
    client.post("/notifications/preferences/", {"email": "off"})
    people["observer"].refresh_from_db()
    assert people["observer"].email_preference == "off"


def test_follow_returns_to_the_page_on_this_site_only(client, clause, people):
    client.force_login(people["observer"])
    back = client.post("/follow/", {"clause": clause.id, "next": f"/clauses/{clause.id}/?tab=comments"})
    assert back.status_code == 302 and back.url == f"/clauses/{clause.id}/?tab=comments"
    elsewhere = client.post("/follow/", {"clause": clause.id, "next": "//evil.example/"})
    assert elsewhere.url == f"/clauses/{clause.id}/"


def test_a_draft_or_clause_hidden_from_the_person_cannot_be_followed(client, draft, clause, people):
    draft.visibility = "members"
    draft.save()
    client.force_login(people["non_member"])
    for data in ({"draft": draft.slug}, {"clause": clause.id}, {"clause": "nonsense"}):
        refused = client.post("/follow/", data)
        assert refused.status_code == 404 and "No such" in refused.content.decode()
    assert not Subscription.objects.filter(user=people["non_member"]).exists()


def test_reading_the_page_marks_read_what_it_showed_and_only_that(client, people):
    reader = people["observer"]
    oldest = NotificationFactory(recipient=reader, message="The oldest notice.")
    shown = [NotificationFactory(recipient=reader) for _ in range(30)]  # a page holds 30
    client.force_login(reader)
    page = client.get("/notifications/").content.decode()
    assert page.count("· new</span>") == 30  # shown as new this once, as they were when asked for
    assert 'data-testid="unread-count">1<' in page  # the header counts what is still unread
    assert not Notification.objects.filter(pk__in=[n.pk for n in shown], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=oldest.pk).read_at is None  # on the next page, not shown yet
    later = NotificationFactory(recipient=reader, message="Arrived after the page was read.")
    again = client.get("/notifications/").content.decode()
    assert again.count("· new</span>") == 1 and "Arrived after the page was read." in again
    assert Notification.objects.get(pk=later.pk).read_at is not None
    assert Notification.objects.get(pk=oldest.pk).read_at is None
    second = client.get("/notifications/?page=2").content.decode()
    assert "The oldest notice." in second and second.count("· new</span>") == 1
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_listing_notifications_through_the_api_marks_nothing_read(people):
    reader = people["observer"]
    NotificationFactory(recipient=reader)
    api = client_for(reader)
    assert api.get("/api/v1/notifications/").json()["unread"] == 1
    assert api.get("/api/v1/notifications/").json()["unread"] == 1  # only mark-read marks them
