"""The votes API: one vote per person and item, groups, verification, hidden tallies."""

import pytest

from drafting import services
from drafting.models import Vote
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import DraftMembershipFactory, make_voters, propose, voting

pytestmark = pytest.mark.django_db


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
    assert government.status_code == 403 and "Industry" in government.json()["detail"]
    pending = UserFactory()
    MembershipFactory(user=pending, status="pending", organization__stakeholder_group="industry")
    DraftMembershipFactory(draft=draft, user=pending, role="participant")
    refused = client_for(pending).put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": "yes"}, format="json")
    assert refused.status_code == 403 and "verified" in refused.json()["detail"]
    assert not Vote.objects.exists()


def test_tallies_hidden_until_close_from_everyone_moderators_and_administrators_too(draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="N", text="x", by=people["participant"]
    )
    voting(round_, people)
    services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes")
    as_participant = client_for(people["participant"]).get(f"/api/v1/clauses/{proposed.id}/").json()
    assert as_participant["tally"] is None and as_participant["my_vote"] == "yes"
    for reader in ("moderator", "admin"):
        client = client_for(people[reader])
        assert client.get(f"/api/v1/clauses/{proposed.id}/").json()["tally"] is None
        assert client.get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"][-1]["tally"] is None
        refused = client.get(f"/api/v1/rounds/{round_.id}/results/")
        assert refused.status_code == 409 and "moderators included" in refused.json()["detail"]
        preview = client.get(f"/api/v1/rounds/{round_.id}/close-preview/")
        assert preview.status_code == 409 and "hides its tallies" in preview.json()["detail"]
    services.round_close(round_id=round_.id, by=people["moderator"])
    assert client_for(None).get(f"/api/v1/clauses/{proposed.id}/").json()["tally"] == {"yes": 1, "no": 0, "abstain": 0}


def test_one_vote_row_is_guaranteed_by_the_database(draft, clause, people, round_):
    from django.db import IntegrityError, transaction

    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="N", text="x", by=people["participant"]
    )
    voting(round_, people)
    vote = services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes")
    assert vote.for_delegation  # a new round counts one voice per delegation
    colleague = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            round=round_,
            voter=colleague,
            clause=proposed,
            choice="no",
            stakeholder_group=vote.stakeholder_group,
            organization=vote.organization,
            for_delegation=True,
        )
    # A person's own votes (a round counted per person) are one per person and item.
    Vote.objects.filter(pk=vote.pk).update(for_delegation=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            round=round_,
            voter=vote.voter,
            clause=proposed,
            choice="no",
            stakeholder_group=vote.stakeholder_group,
            organization=vote.organization,
        )


def test_each_vote_and_change_is_in_history_as_saving_it_would_record_it(draft, clause, people, round_):
    """Votes are written in two plain statements (drafting/services/votes.py): the history rows and
    the answer are what the ORM's save and VoteResultSerializer give."""
    from drafting.api.votes import VoteResultSerializer

    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    voting(round_, people)
    client = client_for(people["participant"])
    answers = [
        client.put(f"/api/v1/clauses/{proposed.id}/vote/", {"choice": choice}, format="json").json()
        for choice in ("yes", "yes", "abstain")
    ]
    vote = Vote.objects.get(clause=proposed, voter=people["participant"])
    assert answers[-1] == VoteResultSerializer(vote).data
    assert answers[0]["id"] == answers[1]["id"] == vote.id
    history = list(vote.history.order_by("history_id"))
    assert [(h.choice, h.history_type, h.history_change_reason) for h in history] == [
        ("yes", "+", "Vote cast"),
        ("abstain", "~", "Vote changed"),
    ]  # the second "yes" changed nothing and wrote nothing
    assert {h.history_user_id for h in history} == {people["participant"].id}
    assert history[-1].organization_id == vote.organization_id and history[-1].stakeholder_group == "government"
    assert history[0].history_date < history[1].history_date == vote.updated_at
    assert vote.created_at == history[0].history_date


def test_a_refused_vote_names_the_groups_that_vote(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="R", eligible_groups=["civil_society", "academia"])
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    voters = make_voters(draft, industry=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    response = client_for(voters["industry"][0]).put(
        f"/api/v1/clauses/{proposal.id}/vote/", {"choice": "yes"}, format="json"
    )
    assert response.status_code == 403
    message = str(response.json())
    assert "Civil society" in message and "Academia" in message and "civil_society" not in message
