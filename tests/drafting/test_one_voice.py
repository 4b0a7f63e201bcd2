"""One voice per delegation (a round's ``counting``): any verified member casts or changes their
organization's one vote, the record keeps who did, and the tally, the quorum and the
multistakeholder rule count delegations; per person stays available."""

import threading

import pytest
from django.db import connection

from drafting import services
from drafting.models import Counting, ItemResult, Round, Vote
from drafting.tally import tally
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.documents.conftest import exported, post, refused
from tests.drafting.factories import DraftMembershipFactory, propose

pytestmark = pytest.mark.django_db


def delegation(draft, size: int, group: str = "government", name: str | None = None) -> list:
    """``size`` verified participants of one organization."""
    organization = OrganizationFactory(stakeholder_group=group, **({"name": name} if name else {}))
    members = []
    for _ in range(size):
        user = UserFactory()
        MembershipFactory(user=user, organization=organization)
        DraftMembershipFactory(draft=draft, user=user, role="participant")
        members.append(user)
    return members


def voting_on(draft, clause, people, **settings):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", **settings)
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    services.round_start_voting(round_id=round_.id, by=moderator)
    return Round.objects.get(pk=round_.pk), proposal


def vote(user, item, choice):
    response = client_for(user).put(f"/api/v1/clauses/{item.id}/vote/", {"choice": choice}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_new_round_counts_one_voice_per_delegation_unless_its_moderator_chooses_per_person(draft, people):
    client = client_for(people["moderator"])
    made = client.post(f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "First reading"}, format="json")
    assert made.status_code == 201 and made.json()["counting"] == "per_delegation"
    chosen = client.post(
        f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "Second", "counting": "per_person"}, format="json"
    )
    assert chosen.status_code == 201 and chosen.json()["counting"] == "per_person"
    wrong = client.post(
        f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "Third", "counting": "per_group"}, format="json"
    )
    assert wrong.status_code == 400 and "counting" in wrong.json()


def test_members_of_one_delegation_share_its_one_vote_and_the_record_keeps_who_cast_it(draft, clause, people):
    round_, proposal = voting_on(draft, clause, people)
    first, second, third = delegation(draft, 3)
    other = delegation(draft, 1)[0]

    assert vote(first, proposal, "yes")["choice"] == "yes"
    assert vote(second, proposal, "no")["choice"] == "no"  # the same vote, changed by a colleague
    vote(other, proposal, "yes")
    votes = Vote.objects.filter(round=round_, clause=proposal)
    assert votes.count() == 2 and all(v.for_delegation for v in votes)
    ours = votes.get(voter=second)
    assert [(h.voter_id, h.choice) for h in ours.history.order_by("history_id")] == [
        (first.id, "yes"),
        (second.id, "no"),
    ]
    assert [h.history_user_id for h in ours.history.order_by("history_id")] == [first.id, second.id]

    # Every member reads the delegation's vote as theirs: the clause, the list and the ballot.
    for member in (first, third):
        assert client_for(member).get(f"/api/v1/clauses/{proposal.id}/").json()["my_vote"] == "no"
        listed = client_for(member).get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"]
        assert {c["id"]: c["my_vote"] for c in listed}[proposal.id] == "no"
        page = client_for(member)
        page.force_login(member)
        ballot = page.get(f"/rounds/{round_.id}/ballot/").content.decode()
        assert "One voice per delegation" in ballot
    # The same choice again by another member changes nothing, and who cast it stays.
    vote(third, proposal, "no")
    assert Vote.objects.get(pk=ours.pk).voter_id == second.id and ours.history.count() == 2

    counted = {t.item.id: t for t in tally(round_)}[proposal.id]
    assert counted.totals == {"yes": 1, "no": 1, "abstain": 0}


def test_per_person_each_member_votes_and_counts(draft, clause, people):
    round_, proposal = voting_on(draft, clause, people, counting="per_person")
    members = delegation(draft, 3)
    for member, choice in zip(members, ("yes", "yes", "no"), strict=True):
        vote(member, proposal, choice)
    assert Vote.objects.filter(round=round_, clause=proposal, for_delegation=False).count() == 3
    assert client_for(members[2]).get(f"/api/v1/clauses/{proposal.id}/").json()["my_vote"] == "no"
    assert client_for(members[0]).get(f"/api/v1/clauses/{proposal.id}/").json()["my_vote"] == "yes"
    counted = {t.item.id: t for t in tally(round_)}[proposal.id]
    assert counted.totals == {"yes": 2, "no": 1, "abstain": 0}


def test_the_quorum_and_the_multistakeholder_rule_count_delegations(draft, clause, people):
    round_, proposal = voting_on(draft, clause, people, voting_rule="multistakeholder", quorum=3)
    governments = delegation(draft, 4, "government")
    industry = delegation(draft, 1, "industry")[0]
    civil = delegation(draft, 1, "civil_society")[0]
    for member in governments:
        vote(member, proposal, "yes")
    vote(industry, proposal, "yes")
    # Five people voted, but two delegations: below the quorum of three.
    counted = {t.item.id: t for t in tally(round_)}[proposal.id]
    assert counted.outcome == "no_quorum" and "2 votes cast" in counted.reason
    vote(civil, proposal, "no")
    counted = {t.item.id: t for t in tally(round_)}[proposal.id]
    # Civil society's one delegation against: the rule needs a majority in every group that voted.
    assert counted.by_group["government"] == {"yes": 1, "no": 0, "abstain": 0}
    assert counted.outcome == "rejected" and "Civil society 0-1" in counted.reason
    services.round_close(round_id=round_.id, by=people["moderator"])
    stored = ItemResult.objects.get(round=round_, clause=proposal)
    assert (stored.yes, stored.no) == (2, 1)


def test_the_round_pages_say_how_the_round_counts(draft, clause, people):
    round_, _ = voting_on(draft, clause, people)
    client = client_for(people["moderator"])
    client.force_login(people["moderator"])
    rounds = client.get(f"/drafts/{draft.slug}/rounds/").content.decode()
    assert "One voice per delegation" in rounds
    results = client.get(f"/rounds/{round_.id}/results/").content.decode()
    assert "one voice per delegation" in results
    Round.objects.filter(pk=round_.pk).update(counting=Counting.PER_PERSON)
    assert "one vote per person" in client.get(f"/rounds/{round_.id}/results/").content.decode()


def test_the_counting_travels_in_the_export_and_back(draft, clause, people):
    round_, proposal = voting_on(draft, clause, people)
    members = delegation(draft, 2, name="Republic of Ruritania")
    vote(members[0], proposal, "yes")
    vote(members[1], proposal, "abstain")
    services.round_close(round_id=round_.id, by=people["moderator"])
    data = exported(draft, people["moderator"])
    assert [r["counting"] for r in data["record"]["rounds"]] == ["per_delegation"]
    assert [(v["voter"], v["choice"]) for v in data["record"]["votes"]] == [(members[1].username, "abstain")]

    data["draft"]["title"] = "Imported"
    response = post(data, people["admin"])
    assert response.status_code in (200, 201, 202), response.content
    imported = Round.objects.exclude(pk=round_.pk).get()
    assert imported.counting == "per_delegation"
    assert list(Vote.objects.filter(round=imported).values_list("for_delegation", "choice")) == [(True, "abstain")]

    # A file from before the setting counted each person.
    older = exported(draft, people["moderator"])
    older["draft"]["title"] = "Older"
    del older["record"]["rounds"][0]["counting"]
    assert post(older, people["admin"]).status_code in (200, 201, 202)
    assert Round.objects.filter(draft__title="Older").get().counting == "per_person"

    # Two votes of one delegation on one item cannot both stand.
    twice = exported(draft, people["moderator"])
    twice["draft"]["title"] = "Twice"
    again = dict(twice["record"]["votes"][0], voter=members[0].username, choice="no")
    twice["record"]["votes"].append(again)
    refused(twice, people["admin"], "a second vote by Republic of Ruritania on the same item")
    assert not Round.objects.filter(draft__title="Twice").exists()


@pytest.mark.django_db(transaction=True)
def test_members_of_one_delegation_voting_at_the_same_moment_leave_one_vote(draft, clause, people):
    round_, proposal = voting_on(draft, clause, people)
    members = delegation(draft, 4)
    barrier = threading.Barrier(len(members))
    outcomes = [None] * len(members)

    def run(i, member, choice):
        try:
            barrier.wait()
            outcomes[i] = services.vote_cast(by=member, clause_id=proposal.id, choice=choice)
        except Exception as exc:  # asserted on below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, m, c))
        for i, (m, c) in enumerate(zip(members, ("yes", "no", "abstain", "yes"), strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(o, Vote) for o in outcomes), outcomes
    kept = Vote.objects.get(round=round_, clause=proposal)
    last = kept.history.order_by("-history_id").first()
    assert (kept.voter_id, kept.choice) == (last.voter_id, last.choice)


@pytest.mark.parametrize("counting", ["per_delegation", "per_person"])
def test_the_readers_vote_is_the_same_in_the_hot_reads_and_the_orm(draft, clause, people, counting):
    """``reading.reader_vote_joins`` (SQL) and ``results.voice`` (ORM) say the same for every reader:
    the one who voted, a colleague who did not, a member of another delegation, someone of no
    delegation, and anonymous."""
    from django.contrib.auth.models import AnonymousUser

    from drafting.selectors import my_votes, reading

    round_, proposal = voting_on(draft, clause, people, counting=counting)
    voter, colleague = delegation(draft, 2)
    stranger = delegation(draft, 1)[0]
    vote(voter, proposal, "abstain")
    vote(stranger, proposal, "yes")
    expected_colleague = "abstain" if counting == "per_delegation" else None
    for reader, expected in (
        (voter, "abstain"),
        (colleague, expected_colleague),
        (stranger, "yes"),
        (people["observer"], None),
        (AnonymousUser(), None),
    ):
        hot = reading.clause_reading(reader, proposal.id)[3]
        listed = {c.id: c.reader_vote for c in reading.clause_page(reader, draft, round_, limit=50, offset=0)}
        orm = my_votes(reader, round_, clauses=[proposal]).get(("clause", proposal.id))
        assert hot == listed[proposal.id] == orm == expected, reader
