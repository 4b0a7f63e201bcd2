"""The pages: following from a draft or clause, the notification list and the email preference."""

import pytest

from notifications.models import Subscription

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
