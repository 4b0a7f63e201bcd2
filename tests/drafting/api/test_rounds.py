"""The rounds API: creating, moving, one active at a time, schedules."""

import pytest

from drafting import services
from tests.conftest import client_for
from tests.drafting.conftest import HUMAN, SCHEDULES

pytestmark = pytest.mark.django_db


def test_round_lifecycle_and_wrong_moves(draft, people):
    mod = client_for(people["moderator"])
    created = mod.post(
        f"/api/v1/drafts/{draft.slug}/rounds/",
        {
            "title": "First reading",
            "voting_rule": "multistakeholder",
            "quorum": 3,
            "eligible_groups": ["government", "industry"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["phase"], body["voting_rule"], body["quorum"], body["hide_tallies_until_close"]) == (
        "scheduled",
        "multistakeholder",
        3,
        True,
    )
    rid = body["id"]
    wrong = mod.post(f"/api/v1/rounds/{rid}/close/")
    assert wrong.status_code == 409 and wrong.json()["phase"] == "scheduled"
    assert mod.post(f"/api/v1/rounds/{rid}/open/").json()["phase"] == "open"
    assert mod.post(f"/api/v1/rounds/{rid}/open/").status_code == 409
    assert mod.post(f"/api/v1/rounds/{rid}/start-voting/").json()["phase"] == "voting"
    closed = mod.post(f"/api/v1/rounds/{rid}/close/").json()
    assert closed["phase"] == "closed" and closed["closed_at"]
    assert mod.get(f"/api/v1/rounds/{rid}/").json()["phase"] == "closed"


def test_only_one_round_open_at_a_time(draft, people, round_):
    second = services.round_create(draft=draft, by=people["moderator"], title="Second reading")
    response = client_for(people["moderator"]).post(f"/api/v1/rounds/{second.id}/open/")
    assert response.status_code == 409 and "Another round" in response.json()["detail"]


def test_round_schedule_and_groups_are_checked(draft, people):
    mod = client_for(people["moderator"])
    url = f"/api/v1/drafts/{draft.slug}/rounds/"
    backwards = mod.post(
        url, {"title": "R", "opens_at": "2026-12-02T10:00Z", "voting_opens_at": "2026-12-01T10:00Z"}, format="json"
    )
    assert backwards.status_code == 400 and "voting_opens_at" in backwards.json()
    assert "eligible_groups" in mod.post(url, {"title": "R", "eligible_groups": ["military"]}, format="json").json()
    assert "voting_rule" in mod.post(url, {"title": "R", "voting_rule": "dictator"}, format="json").json()
    assert "quorum" in mod.post(url, {"title": "R", "quorum": -1}, format="json").json()


def test_a_quorum_too_large_to_store_is_a_400_naming_it(draft, people):
    """The fuzz pass found 2**31 votes answered 500: the column holds a 32-bit number."""
    response = client_for(people["moderator"]).post(
        f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "R", "quorum": 2**31}, format="json"
    )
    assert response.status_code == 400 and "quorum" in response.json()


@pytest.mark.parametrize(("times", "wrong"), SCHEDULES)
def test_round_api_keys_every_schedule_error_by_field(draft, people, times, wrong):
    response = client_for(people["moderator"]).post(
        f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "R", **{k: v + "Z" for k, v in times.items()}}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert wrong <= set(body), body
    for field in wrong:
        expected = HUMAN[field] if isinstance(HUMAN[field], tuple) else (HUMAN[field],)
        assert body[field][0] in expected
