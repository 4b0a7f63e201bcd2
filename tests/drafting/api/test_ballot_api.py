"""GET /api/v1/rounds/{id}/ballot/: what the caller votes on, in reading order, with their votes."""

import pytest

from accounts.models import Membership
from drafting import services
from drafting.models import Visibility
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory, make_voters, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(draft, clause, people, round_):
    """Two sections; amendments to agreed clause 1, a "1 bis" and a 9 proposed in the first section,
    and a 2 proposed in the second (a lower number, but later in reading order)."""
    second = SectionFactory(draft=draft, title="Cooperation", position=2)
    late = ClauseFactory(section=clause.section, number=9, status="proposed", title="Late", text="States should act.")
    in_second = ClauseFactory(section=second, number=2, status="proposed", title="Second", text="States should talk.")
    bis = ClauseFactory(section=clause.section, number=1, number_suffix=100, status="proposed", title="Inserted")
    first = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    second_amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete", text="")
    return {
        "order": [
            ("amendment", first.id),
            ("amendment", second_amendment.id),
            ("clause", bis.id),
            ("clause", late.id),
            ("clause", in_second.id),
        ],
        "first": first,
        "bis": bis,
        "late": late,
        "in_second": in_second,
        "round": round_,
    }


def _ballot(user, round_):
    return client_for(user).get(f"/api/v1/rounds/{round_.id}/ballot/")


def test_items_come_in_reading_order_with_number_title_text_and_redline(clause, people, scene):
    voting(scene["round"], people)
    response = _ballot(people["participant"], scene["round"])
    assert response.status_code == 200
    body = response.json()
    assert [(i["item"]["type"], i["item"]["id"]) for i in body["items"]] == scene["order"]
    assert [i["label"] for i in body["items"]] == ["1", "1", "1 bis", "9", "2"]
    assert [i["number"] for i in body["items"]] == [1, 1, 1, 9, 2]
    assert [i["section"]["title"] for i in body["items"]] == ["Norms"] * 4 + ["Cooperation"]
    amendment, deletion, bis = body["items"][0], body["items"][1], body["items"][2]
    assert amendment["title"] == clause.title and amendment["clause"] == clause.id and amendment["text"] is None
    assert {"op": "delete", "text": "should"} in amendment["redline"]
    assert {"op": "insert", "text": "must"} in amendment["redline"]
    assert [c["op"] for c in deletion["redline"]] == ["delete"]
    assert amendment["competes_with"] == [deletion["item"]["id"]] and bis["competes_with"] == []
    assert bis["title"] == "Inserted" and bis["text"] == scene["bis"].text and bis["redline"] is None
    assert body["round"] == {"id": scene["round"].id, "title": "First reading", "phase": "voting"}
    assert (body["voting_open"], body["may_vote"], body["reason"]) == (True, True, None)
    assert (body["voted"], body["total"]) == (0, 5)


def test_my_vote_and_progress_follow_the_callers_votes_only(people, draft, scene):
    voting(scene["round"], people)
    other = make_voters(draft, industry=1)["industry"][0]
    services.vote_cast(by=other, choice="no", clause_id=scene["late"].id)
    participant = people["participant"]
    services.vote_cast(by=participant, choice="yes", clause_id=scene["late"].id)
    services.vote_cast(by=participant, choice="abstain", amendment_id=scene["first"].id)
    services.vote_cast(by=participant, choice="no", amendment_id=scene["first"].id)  # changed
    body = _ballot(participant, scene["round"]).json()
    votes = {(i["item"]["type"], i["item"]["id"]): i["my_vote"] for i in body["items"]}
    assert votes[("clause", scene["late"].id)] == "yes"
    assert votes[("amendment", scene["first"].id)] == "no"
    assert votes[("clause", scene["in_second"].id)] is None
    assert (body["voted"], body["total"]) == (2, 5)
    assert all(i["tally"] is None for i in body["items"])  # the round hides tallies until close
    assert _ballot(other, scene["round"]).json()["voted"] == 1


def test_outside_voting_the_items_are_listed_with_the_reason(people, scene):
    body = _ballot(people["participant"], scene["round"]).json()  # the round is still open
    assert body["total"] == 5 and body["voting_open"] is False and body["may_vote"] is False
    assert "only while a round is voting (now: open)" in body["reason"]
    assert all(i["my_vote"] is None for i in body["items"])


def test_after_the_close_the_ballot_is_what_the_round_voted_on(people, scene):
    voting(scene["round"], people)
    services.vote_cast(by=people["participant"], choice="yes", clause_id=scene["late"].id)
    services.round_close(round_id=scene["round"].id, by=people["moderator"])
    body = _ballot(people["participant"], scene["round"]).json()
    assert [(i["item"]["type"], i["item"]["id"]) for i in body["items"]] == scene["order"]
    assert body["voting_open"] is False and body["voted"] == 1
    late = {"type": "clause", "id": scene["late"].id}  # a clause and an amendment may share an id
    assert next(i for i in body["items"] if i["item"] == late)["tally"] == {
        "yes": 1,
        "no": 0,
        "abstain": 0,
    }


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("observer", "Only participants of this draft vote."),
        ("moderator", "The Chair does not vote: only participants of this draft vote."),
        ("non_member", "Only participants of this draft vote."),
        ("unverified", "must be verified by an administrator"),
        ("other_group", "only these stakeholder groups vote: Government"),
    ],
)
def test_people_who_do_not_vote_see_the_items_and_why(people, draft, scene, who, reason):
    round_ = scene["round"]
    if who == "unverified":
        Membership.objects.filter(user=people["participant"]).update(status=Membership.Status.PENDING)
        user = people["participant"]
    elif who == "other_group":
        services.round_update(round_id=round_.id, by=people["moderator"], eligible_groups=["government"])
        user = make_voters(draft, industry=1)["industry"][0]
    else:
        user = people[who]
    voting(round_, people)
    response = _ballot(user, round_)
    assert response.status_code == 200
    body = response.json()
    assert body["may_vote"] is False and reason in body["reason"]
    assert body["total"] == 5 and body["voted"] == 0


def test_who_may_not_vote_is_told_before_voting_starts(people, scene):
    body = _ballot(people["observer"], scene["round"]).json()
    organization = Membership.objects.get(user=people["observer"]).organization.name
    assert body["reason"] == (
        f"Only participants of this draft vote. You observe this draft. You are a verified member of {organization} "
        "(Government)."
    )


def test_anonymous_is_asked_to_sign_in(scene):
    response = client_for(None).get(f"/api/v1/rounds/{scene['round'].id}/ballot/")
    assert response.status_code == 401


def test_a_members_only_draft_has_no_ballot_for_outsiders(draft, people, scene):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    assert _ballot(people["non_member"], scene["round"]).status_code == 404
    assert _ballot(people["participant"], scene["round"]).status_code == 200
    assert client_for(people["participant"]).get("/api/v1/rounds/999999/ballot/").status_code == 404


def test_an_empty_ballot(people, round_):
    body = _ballot(people["participant"], round_).json()
    assert body["items"] == [] and (body["voted"], body["total"]) == (0, 0)
