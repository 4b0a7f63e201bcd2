"""Proposing, amending, commenting and voting through the API, rule by rule."""

import pytest

from drafting import services
from drafting.models import Amendment, Clause, Comment, Vote
from tests.conftest import client_for
from tests.factories import DraftMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(draft, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


def voting(round_, people):
    return services.round_start_voting(round_id=round_.id, by=people["moderator"])


# Rounds ------------------------------------------------------------------------------------------


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


# Proposing ---------------------------------------------------------------------------------------


def test_participant_proposes_while_open_and_edits_with_version_check(draft, section, people, round_):
    unverified = UserFactory()
    MembershipFactory(user=unverified, status="pending")
    DraftMembershipFactory(draft=draft, user=unverified, role="participant")
    client = client_for(unverified)
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": section.id, "title": "Points of contact", "text": "States should name one."},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["version"], body["round"]) == ("proposed", 1, round_.id)
    cid = body["id"]
    edited = client.patch(f"/api/v1/clauses/{cid}/", {"version": 1, "text": "States should name two."}, format="json")
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.patch(f"/api/v1/clauses/{cid}/", {"version": 1, "text": "Lost?"}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    status_change = client.patch(f"/api/v1/clauses/{cid}/", {"version": 2, "status": "agreed"}, format="json")
    assert status_change.status_code == 403
    other = client_for(people["participant"]).patch(
        f"/api/v1/clauses/{cid}/", {"version": 2, "text": "Mine"}, format="json"
    )
    assert other.status_code == 403
    voting(round_, people)
    frozen = client.patch(f"/api/v1/clauses/{cid}/", {"version": 2, "text": "Late change"}, format="json")
    assert frozen.status_code == 409 and frozen.json()["phase"] == "voting"
    assert Clause.objects.get(pk=cid).text == "States should name two."


def test_proposing_outside_an_open_round_is_409(draft, section, people):
    response = client_for(people["participant"]).post(
        f"/api/v1/drafts/{draft.slug}/clauses/", {"section": section.id, "title": "T", "text": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["phase"] == "none"


# Amendments --------------------------------------------------------------------------------------


def test_amendment_submit_diff_and_withdraw(clause, people, round_):
    client = client_for(people["participant"])
    created = client.post(
        f"/api/v1/clauses/{clause.id}/amendments/",
        {
            "kind": "modify",
            "text": "States must not knowingly allow their territory to be used for wrongful acts.",
            "rationale": "Stronger",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["base_version"], body["author"]) == ("submitted", 1, "a_participant")
    assert {"op": "delete", "text": "should"} in body["diff"] and {"op": "insert", "text": "must"} in body["diff"]
    detail = client.get(f"/api/v1/amendments/{body['id']}/").json()
    assert detail["diff"] == body["diff"] and detail["competes_with"] == []
    assert client_for(people["observer"]).post(f"/api/v1/amendments/{body['id']}/withdraw/").status_code == 403
    withdrawn = client.post(f"/api/v1/amendments/{body['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/amendments/{body['id']}/withdraw/").status_code == 409


def test_delete_amendment_and_bad_input(clause, people, round_):
    client = client_for(people["participant"])
    url = f"/api/v1/clauses/{clause.id}/amendments/"
    deletion = client.post(url, {"kind": "delete", "rationale": "Redundant"}, format="json")
    assert deletion.status_code == 201
    assert "".join(c["text"] for c in deletion.json()["diff"] if c["op"] == "delete") == clause.text
    assert "kind" in client.post(url, {"kind": "rewrite", "text": "x"}, format="json").json()
    empty = client.post(url, {"kind": "modify", "text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    huge = client.post(url, {"kind": "modify", "text": "x" * 20_001}, format="json")
    assert huge.status_code == 413 and "20,000" in huge.json()["text"][0]
    same = client.post(url, {"kind": "modify", "text": clause.text}, format="json")
    assert same.status_code == 400
    assert Amendment.objects.count() == 1


def test_amendments_are_frozen_while_voting(clause, people, round_):
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New")
    voting(round_, people)
    client = client_for(people["participant"])
    late = client.post(f"/api/v1/clauses/{clause.id}/amendments/", {"kind": "modify", "text": "Later"}, format="json")
    assert late.status_code == 409 and late.json()["phase"] == "voting"
    assert client.post(f"/api/v1/amendments/{amendment.id}/withdraw/").status_code == 409


def test_competing_amendments_are_flagged_both_ways(clause, people, round_):
    participant, moderator = people["participant"], people["moderator"]
    # "States should not knowingly allow their territory to be used for wrongful acts."
    first = services.amendment_submit(
        clause_id=clause.id,
        by=participant,
        kind="modify",
        text="States must not knowingly allow their territory to be used for wrongful acts.",
    )
    rival = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="States shall not knowingly allow their territory to be used for wrongful acts.",
    )
    elsewhere = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="States should not knowingly allow their territory to be used for internationally wrongful acts.",
    )
    listed = {
        a["id"]: a["competes_with"]
        for a in client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    }
    assert listed == {first.id: [rival.id], rival.id: [first.id], elsewhere.id: []}
    services.amendment_withdraw(amendment_id=rival.id, by=moderator)
    listed = {
        a["id"]: a["competes_with"]
        for a in client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    }
    assert listed[first.id] == []


def test_amendments_against_different_versions_still_compete(clause, people, round_):
    moderator = people["moderator"]
    early = services.amendment_submit(
        clause_id=clause.id,
        by=people["participant"],
        kind="modify",
        text="States should not knowingly allow their land to be used for wrongful acts.",
    )
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="In all cases, " + clause.text)
    late = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="In all cases, States should not knowingly allow their soil to be used for wrongful acts.",
    )
    amendments = client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    assert {a["id"]: a["competes_with"] for a in amendments} == {early.id: [late.id], late.id: [early.id]}


# Comments ----------------------------------------------------------------------------------------


def test_comment_threads_stance_quote_and_edit(clause, people):
    observer = client_for(people["observer"])
    root = observer.post(
        "/api/v1/comments/",
        {"clause": clause.id, "body": "What counts as knowingly?", "stance": "question", "quote": "knowingly allow"},
        format="json",
    )
    assert root.status_code == 201, root.content
    reply = client_for(people["participant"]).post(
        "/api/v1/comments/",
        {"clause": clause.id, "parent": root.json()["id"], "body": "Actual knowledge.", "stance": "neutral"},
        format="json",
    )
    assert reply.status_code == 201
    listed = observer.get(f"/api/v1/comments/?clause={clause.id}").json()["results"]
    assert [(c["parent"], c["stance"], c["quote"]) for c in listed] == [
        (None, "question", "knowingly allow"),
        (root.json()["id"], "neutral", ""),
    ]
    edited = observer.patch(
        f"/api/v1/comments/{root.json()['id']}/", {"body": "What does knowingly mean?"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    history = observer.get(f"/api/v1/comments/{root.json()['id']}/history/").json()["results"]
    assert [h["body"] for h in history] == ["What counts as knowingly?", "What does knowingly mean?"]
    someone_else = client_for(people["participant"]).patch(
        f"/api/v1/comments/{root.json()['id']}/", {"body": "x"}, format="json"
    )
    assert someone_else.status_code == 403


def test_comment_bad_input(clause, people, amendment_setup=None):
    client = client_for(people["observer"])
    assert (
        client.post(
            "/api/v1/comments/", {"clause": clause.id, "body": "x", "stance": "angry"}, format="json"
        ).status_code
        == 400
    )
    assert client.post("/api/v1/comments/", {"clause": clause.id, "body": " "}, format="json").status_code == 400
    big = client.post("/api/v1/comments/", {"clause": clause.id, "body": "y" * 10_001}, format="json")
    assert big.status_code == 413
    misquote = client.post(
        "/api/v1/comments/", {"clause": clause.id, "body": "x", "quote": "not in the text"}, format="json"
    )
    assert misquote.status_code == 400 and "quote" in misquote.json()
    neither = client.post("/api/v1/comments/", {"body": "x"}, format="json")
    assert neither.status_code == 400
    assert client.get("/api/v1/comments/").status_code == 400
    assert client.post("/api/v1/comments/", {"clause": 999999, "body": "x"}, format="json").status_code == 404
    assert Comment.objects.count() == 0


def test_moderator_hides_a_comment_with_a_reason(clause, people):
    comment = services.comment_post(by=people["observer"], clause_id=clause.id, body="Rude words", stance="oppose")
    mod = client_for(people["moderator"])
    assert mod.post(f"/api/v1/comments/{comment.id}/hide/", {"reason": ""}, format="json").status_code == 400
    hidden = mod.post(f"/api/v1/comments/{comment.id}/hide/", {"reason": "Personal attack"}, format="json")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True

    def seen_by(user):
        return client_for(user).get(f"/api/v1/comments/?clause={clause.id}").json()["results"][0]

    assert seen_by(people["participant"])["body"] is None
    assert seen_by(people["participant"])["hidden_reason"] == "Personal attack"
    assert seen_by(people["observer"])["body"] == "Rude words"  # the author
    assert seen_by(people["moderator"])["body"] == "Rude words"
    assert seen_by(None)["body"] is None
    assert client_for(people["participant"]).get(f"/api/v1/comments/{comment.id}/history/").status_code == 404
    assert Comment.objects.filter(pk=comment.id).exists()  # never deleted
    record = Comment.objects.get(pk=comment.id).history.order_by("-history_id").first()
    assert record.history_user == people["moderator"] and record.history_change_reason == "Hidden: Personal attack"


# Votes -------------------------------------------------------------------------------------------


def test_vote_once_change_it_and_group_is_recorded(draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete")
    client = client_for(people["participant"])
    early = client.put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "yes"}, format="json")
    assert early.status_code == 409 and early.json()["phase"] == "open"
    voting(round_, people)
    assert client.put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "yes"}, format="json").status_code == 200
    changed = client.put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "no"}, format="json")
    assert changed.status_code == 200 and changed.json()["choice"] == "no"
    assert changed.json()["stakeholder_group"] == "government"
    assert (
        client.put(f"/api/v1/amendments/{amendment.id}/vote/", {"choice": "abstain"}, format="json").status_code == 200
    )
    assert client.put(f"/api/v1/amendments/{amendment.id}/vote/", {"choice": "maybe"}, format="json").status_code == 400
    assert Vote.objects.filter(voter=people["participant"]).count() == 2
    vote = Vote.objects.get(clause=proposed)
    assert [h.choice for h in vote.history.order_by("history_id")] == ["yes", "no"]
    # Agreed clauses are not on the ballot.
    assert client.put(f"/api/v1/clauses/{clause.id}/vote/", {"choice": "yes"}, format="json").status_code == 409


def test_unverified_and_ineligible_participants_cannot_vote(draft, clause, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="R", eligible_groups=["industry"])
    services.round_open(round_id=round_.id, by=people["moderator"])
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="x", by=people["participant"]
    )
    voting(round_, people)
    government = client_for(people["participant"]).put(
        f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "yes"}, format="json"
    )
    assert government.status_code == 403 and "industry" in government.json()["detail"]
    pending = UserFactory()
    MembershipFactory(user=pending, status="pending", organization__stakeholder_group="industry")
    DraftMembershipFactory(draft=draft, user=pending, role="participant")
    refused = client_for(pending).put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "yes"}, format="json")
    assert refused.status_code == 403 and "verified" in refused.json()["detail"]
    assert not Vote.objects.exists()


def test_tallies_hidden_until_close_except_for_moderators(draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="N", text="x", by=people["participant"]
    )
    voting(round_, people)
    services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes")
    as_participant = client_for(people["participant"]).get(f"/api/v1/clauses/{proposed.id}/").json()
    assert as_participant["tally"] is None and as_participant["my_vote"] == "yes"
    assert client_for(people["moderator"]).get(f"/api/v1/clauses/{proposed.id}/").json()["tally"] == {
        "yes": 1,
        "no": 0,
        "abstain": 0,
    }
    services.round_close(round_id=round_.id, by=people["moderator"])
    assert client_for(None).get(f"/api/v1/clauses/{proposed.id}/").json()["tally"] == {"yes": 1, "no": 0, "abstain": 0}


def test_one_vote_row_is_guaranteed_by_the_database(draft, clause, people, round_):
    from django.db import IntegrityError, transaction

    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="N", text="x", by=people["participant"]
    )
    voting(round_, people)
    vote = services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            round=round_,
            voter=vote.voter,
            clause=proposed,
            choice="no",
            stakeholder_group=vote.stakeholder_group,
            organization=vote.organization,
        )
