"""What changed since a moment, and marking it seen, through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from drafting import services
from drafting.models import DraftVisit, Visibility
from tests.conftest import client_for
from tests.drafting.test_changes import build_changes

pytestmark = pytest.mark.django_db


def _url(draft, since=None):
    url = f"/api/v1/drafts/{draft.slug}/changes/"
    return url if since is None else f"{url}?since={since.isoformat().replace('+00:00', 'Z')}"


def test_changes_since_a_moment_with_counts_and_redlines(draft, clause, people):
    scene = build_changes(draft, clause, people)
    answer = client_for(None).get(_url(draft, scene["since"]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 8 and body["since"].startswith(scene["since"].strftime("%Y-%m-%dT%H:%M"))
    changed = body["clauses_changed"]
    assert changed["count"] == 1 and changed["items"][0]["clause"] == clause.id
    assert {"op": "insert", "text": "malicious"} in changed["items"][0]["redline"]
    assert body["clauses_added"]["items"][0]["clause"] == scene["added"].id
    assert body["clauses_removed"]["items"][0]["status"] == "withdrawn"
    assert body["amendments_new"]["items"][0]["amendment"] == scene["new_amendment"].id
    assert body["amendments_decided"]["items"][0]["status"] == "withdrawn"
    # The anonymous reader never sees the hidden comment.
    assert [c["comment"] for c in body["comments"]["items"]] == [scene["remark"].id, scene["reply"].id]
    assert body["rounds"]["items"][0]["events"][0]["event"] == "voting"
    assert "who" not in changed["items"][0]  # the page's wording; the API gives `by`
    # The moderator's edit is the Chair's act, not their delegation's.
    assert changed["items"][0]["by"]["name"] == "the Chair" and changed["items"][0]["by"]["speaking_for"]["chair"]


def test_since_defaults_to_the_callers_last_visit(draft, clause, people):
    scene = build_changes(draft, clause, people)
    participant = client_for(people["participant"])
    refused = participant.get(_url(draft))
    assert refused.status_code == 400 and "since" in refused.json()
    assert "last visit" in refused.json()["since"][0]
    anonymous = client_for(None).get(_url(draft))
    assert anonymous.status_code == 400 and "since" in anonymous.json()
    DraftVisit.objects.create(
        user=people["participant"], draft=draft, seen_at=scene["since"], last_viewed_at=timezone.now()
    )
    answer = participant.get(_url(draft))
    assert answer.status_code == 200 and answer.json()["total"] == 8


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "1"])
def test_a_bad_since_is_a_400_naming_it(draft, people, bad):
    answer = client_for(people["participant"]).get(f"/api/v1/drafts/{draft.slug}/changes/", {"since": bad})
    assert answer.status_code == 400 and list(answer.json()) == ["since"]


def test_a_members_only_draft_is_not_there_for_outsiders(draft, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    since = timezone.now() - timedelta(days=1)
    for who in ("anonymous", "non_member"):
        assert client_for(people[who]).get(_url(draft, since)).status_code == 404, who
        seen = client_for(people[who]).post(f"/api/v1/drafts/{draft.slug}/changes/seen/", {}, format="json")
        assert seen.status_code == (401 if who == "anonymous" else 404), who
    assert client_for(people["observer"]).get(_url(draft, since)).status_code == 200


def test_marking_seen_up_to_until_empties_the_list_and_keeps_what_came_after(draft, clause, people):
    participant, moderator = client_for(people["participant"]), people["moderator"]
    url = f"/api/v1/drafts/{draft.slug}/changes/seen/"
    first = participant.post(url, {}, format="json")  # no `until`: seen up to now
    assert first.status_code == 201
    services.comment_post(by=moderator, clause_id=clause.id, body="Please read OP1 again.")
    listed = participant.get(_url(draft)).json()
    assert listed["total"] == 1
    # Something arrives while the delegate reads; marking seen up to the list's `until` keeps it.
    services.comment_post(by=moderator, clause_id=clause.id, body="And OP2.")
    again = participant.post(url, {"until": listed["until"]}, format="json")
    assert again.status_code == 200 and again.json()["seen_at"] == listed["until"]
    left = participant.get(_url(draft)).json()
    assert left["total"] == 1 and left["comments"]["items"][0]["body"] == "And OP2."
    assert participant.post(url, {}, format="json").status_code == 200
    assert participant.get(_url(draft)).json()["total"] == 0
    bad = participant.post(url, {"until": "soon"}, format="json")
    assert bad.status_code == 400 and "until" in bad.json()


def test_viewing_the_draft_through_the_api_records_a_visit(draft, people):
    client_for(people["observer"]).get(f"/api/v1/drafts/{draft.slug}/")
    assert DraftVisit.objects.filter(user=people["observer"], draft=draft).exists()
    client_for(None).get(f"/api/v1/drafts/{draft.slug}/")
    assert DraftVisit.objects.count() == 1


def test_the_next_page_keeps_the_moment_and_holds_the_rest(draft, clause, people, monkeypatch):
    from drafting.selectors import changes as changes_selector

    monkeypatch.setattr(changes_selector, "CAP", 2)
    since = timezone.now()
    for i in range(3):
        services.comment_post(by=people["observer"], clause_id=clause.id, body=f"Remark {i}")
    client = client_for(people["participant"])
    first = client.get(_url(draft, since)).json()
    assert (first["page"], first["previous"], first["comments"]["count"]) == (1, None, 3)
    assert [c["body"] for c in first["comments"]["items"]] == ["Remark 0", "Remark 1"]
    # Something arrives between the pages: the second page still starts from the same moment.
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Remark 3")
    second = client.get(first["next"]).json()
    assert [c["body"] for c in second["comments"]["items"]] == ["Remark 2", "Remark 3"]
    assert second["since"] == first["since"] and second["page"] == 2 and second["next"] is None
    assert second["previous"].endswith("page=1")
    past = client.get(_url(draft, since) + "&page=9")
    assert past.status_code == 404 and "fills 2" in past.json()["detail"]
    for bad in ("0", "-1", "x", "99999"):
        refused = client.get(_url(draft, since) + f"&page={bad}")
        assert refused.status_code == 400 and list(refused.json()) == ["page"], bad


def test_an_edited_comment_and_a_moved_clause_are_in_the_answer(draft, clause, people):
    from tests.drafting.factories import SectionFactory

    remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="First thought.")
    other = SectionFactory(draft=draft, position=9, title="Capacity building")
    since = timezone.now() + timedelta(seconds=1)
    import time_machine

    with time_machine.travel(since + timedelta(minutes=1)):
        services.comment_edit(comment_id=remark.id, by=people["observer"], body="Second thought.")
        services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], section_id=other.id)
    body = client_for(people["participant"]).get(_url(draft, since)).json()
    (edited,) = body["comments"]["items"]
    assert (edited["change"], edited["body"]) == ("edited", "Second thought.") and edited["edited_at"]
    (moved,) = body["clauses_changed"]["items"]
    assert (moved["previous_section"], moved["section"]) == (clause.section.title, "Capacity building")
