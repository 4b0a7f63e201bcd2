"""The notifications API (API.md "Notifications"): list, mark read, preferences, follows."""

import pytest

from drafting import services
from notifications import services as notifications
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_in_app_list_unread_count_and_mark_read(clause, people, deliver, client):
    notifications.follow(user=people["observer"], clause=clause)
    for body in ("a", "b", "c"):
        deliver(lambda body=body: services.comment_post(by=people["participant"], clause_id=clause.id, body=body))
    api = client_for(people["observer"])
    listed = api.get("/api/v1/notifications/").json()
    assert listed["unread"] == 3 and [n["read"] for n in listed["results"]] == [False] * 3
    assert set(listed["results"][0]) == {"id", "kind", "message", "url", "created_at", "read"}
    first = listed["results"][0]["id"]
    assert api.post("/api/v1/notifications/mark-read/", {"ids": [first]}, format="json").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/").json()["unread"] == 2
    assert api.post("/api/v1/notifications/mark-read/", {}, format="json").status_code == 400
    client.force_login(people["observer"])
    header = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in header
    client.post("/notifications/read/", {"all": "1"})
    assert api.get("/api/v1/notifications/").json()["unread"] == 0
    assert client_for(None).get("/api/v1/notifications/").status_code == 401


def test_preferences_and_subscriptions_api(draft, clause, people):
    api = client_for(people["observer"])
    assert api.get("/api/v1/me/preferences/").json() == {"email": "immediate", "time_zone": "", "language": ""}
    assert api.put("/api/v1/me/preferences/", {"email": "daily"}, format="json").json()["email"] == "daily"
    assert api.put("/api/v1/me/preferences/", {"email": "hourly"}, format="json").status_code == 400
    followed = api.post("/api/v1/subscriptions/", {"draft": draft.slug}, format="json")
    assert followed.status_code == 201 and followed.json()["draft"] == draft.slug
    clause_follow = api.post("/api/v1/subscriptions/", {"clause": clause.id}, format="json").json()
    listed = [s["id"] for s in api.get("/api/v1/subscriptions/").json()["results"]]
    assert set(listed) == {followed.json()["id"], clause_follow["id"]}
    assert api.delete(f"/api/v1/subscriptions/{clause_follow['id']}/").status_code == 204
    assert (
        client_for(people["participant"]).delete(f"/api/v1/subscriptions/{followed.json()['id']}/").status_code == 404
    )
    assert api.post("/api/v1/subscriptions/", {}, format="json").status_code == 400
    draft.visibility = "members"
    draft.save()
    outsider = client_for(people["non_member"])
    assert outsider.post("/api/v1/subscriptions/", {"draft": draft.slug}, format="json").status_code == 404
