"""The hot reads (drafting/selectors/reading.py) answer exactly what the serializers and rules would."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from drafting import selectors, services
from drafting.api.clauses import ClauseDetailSerializer, ClauseSerializer
from drafting.api.common import vote_context
from drafting.models import Visibility
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, RoundFactory, VoteFactory

pytestmark = pytest.mark.django_db

STANDINGS = ["anonymous", "non_member", "observer", "participant", "moderator", "admin"]


def _expected(clause, user, serializer=ClauseSerializer):
    """What ClauseSerializer with the vote context (the ORM path) gives this reader; a clause read
    alone, ``ClauseDetailSerializer`` (with its co-sponsors)."""
    request = APIRequestFactory().get("/")
    request.user = user if user is not None else AnonymousUser()
    clause.refresh_from_db()
    _, standing = selectors.clause_for(request.user, clause.id)
    context = vote_context(request, clause.draft, standing, clauses=[clause])
    return serializer(clause, context=context).data


@pytest.fixture(params=["no round", "open", "voting hidden", "voting shown", "closed"])
def phase_scene(request, draft, clause, people):
    """The draft in each state a reader can meet it in, with votes by the participant."""
    name = request.param
    proposed = ClauseFactory(section=clause.section, status="proposed", proposer=people["participant"])
    if name != "no round":
        phase = name.split()[0]
        round_ = RoundFactory(draft=draft, phase=phase, hide_tallies_until_close=name != "voting shown")
        if phase != "open":
            VoteFactory(round=round_, voter=people["participant"], clause=proposed, choice="no")
            VoteFactory(round=round_, clause=proposed, choice="yes")
    return proposed


@pytest.mark.parametrize("who", STANDINGS)
def test_clause_detail_answers_as_the_serializer_would(who, people, phase_scene):
    user = people[who]
    response = client_for(user).get(f"/api/v1/clauses/{phase_scene.id}/")
    assert response.status_code == 200
    assert response.json() == _expected(phase_scene, user, ClauseDetailSerializer)


@pytest.mark.parametrize("who", ["participant", "moderator", "anonymous"])
def test_clause_list_answers_as_the_serializer_would(who, people, phase_scene, clause):
    user = people[who]
    response = client_for(user).get(f"/api/v1/drafts/{clause.draft.slug}/clauses/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_id = {row["id"]: row for row in body["results"]}
    assert [row["number"] for row in body["results"]] == sorted(row["number"] for row in body["results"])
    for item in (clause, phase_scene):
        assert by_id[item.id] == _expected(item, user)


def test_clause_list_pages_by_number(draft, section, people):
    for number in range(1, 8):
        ClauseFactory(section=section, number=number)
    body = client_for(people["participant"]).get(f"/api/v1/drafts/{draft.slug}/clauses/?page=2&page_size=3").json()
    assert body["count"] == 7
    assert [row["number"] for row in body["results"]] == [4, 5, 6]
    assert client_for(people["participant"]).get(f"/api/v1/drafts/{draft.slug}/clauses/?page=9").status_code == 404


@pytest.mark.parametrize("who, seen", [("anonymous", 404), ("non_member", 404), ("observer", 200)])
def test_members_only_text_stays_hidden(draft, clause, people, who, seen):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    client = client_for(people[who])
    assert client.get(f"/api/v1/clauses/{clause.id}/").status_code == seen
    assert client.get(f"/api/v1/drafts/{draft.slug}/clauses/").status_code == seen


def test_missing_clause_and_draft_are_404(people):
    client = client_for(people["participant"])
    assert client.get("/api/v1/clauses/999999/").json()["detail"] == "No such clause."
    assert client.get("/api/v1/drafts/no-such-draft/clauses/").status_code == 404


def _page(client, draft) -> str:
    response = client.get(f"/drafts/{draft.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_draft_page_text_is_rendered_once_and_never_stale(draft, section, clause, people):
    client = client_for(people["participant"])
    client.force_login(people["participant"])
    assert "Critical infrastructure" in _page(client, draft)
    with CaptureQueriesContext(connection) as first:
        _page(client, draft)
    with CaptureQueriesContext(connection) as again:
        _page(client, draft)
    # Once rendered, the text comes from the shared cache: no query reads the clauses' words again.
    assert len(first) == len(again)
    assert not any('"drafting_clause"."text"' in query["sql"] for query in again.captured_queries)

    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States shall cooperate.")
    assert "States shall cooperate." in _page(client, draft)
    services.section_update(section_id=section.id, by=people["moderator"], title="Voluntary norms")
    assert "Voluntary norms" in _page(client, draft)
    services.clause_create(
        draft=draft, section_id=section.id, title="Supply chains", text="Integrity matters.", by=people["moderator"]
    )
    page = _page(client, draft)
    assert "Supply chains" in page and "Voluntary norms" in page and "States shall cooperate." in page


def test_rows_come_back_converted_as_the_orm_gives_them(draft, clause, people):
    """codeofconduct/statements.py: datetimes, booleans and JSON as the ORM converts them; the page
    shows the round's closing time."""
    from datetime import UTC, datetime

    from drafting.selectors import reading

    closes = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    RoundFactory(draft=draft, phase="open", closes_at=closes, hide_tallies_until_close=False)
    read, standing, round_, _ = reading.clause_reading(people["participant"], clause.id)
    stored = type(clause).objects.get(pk=clause.pk)
    assert (read.created_at, read.updated_at, read.text) == (stored.created_at, stored.updated_at, stored.text)
    assert round_.closes_at == closes and round_.hide_tallies_until_close is False
    assert standing == "participant"
    client = client_for(people["participant"])
    client.force_login(people["participant"])
    assert "closes 4 Dec 2026, 17:30 UTC" in _page(client, draft)


def test_the_hot_reads_fetch_the_models_columns_not_the_search_vectors(draft, clause, people):
    """The clause reads name their columns: the search vectors PostgreSQL keeps beside the text
    (drafting/vectors.py) are large, and fetching them made every clause answer slower."""
    from drafting.selectors import reading

    reader = people["participant"]
    read, _, round_, _ = reading.clause_reading(reader, clause.id)
    (listed,) = reading.clause_page(reader, draft, round_, limit=10, offset=0)
    for row in (read, listed):
        assert {"search_vector", "rationale_vector"} <= row.get_deferred_fields()
        assert (row.id, row.text, row.version) == (clause.id, clause.text, clause.version)
    for statement in (reading._CLAUSE, reading._CLAUSE_PAGE, reading._VOTE_CLAUSE, reading._VOTE_AMENDMENT):
        assert ".*" not in statement.split("FROM")[0], statement


# Each rule once: the SQL of the hot reads is the rule's home, and the ORM callers run the same SQL.
# These hold the two doors equal over every case the rule tells apart.

MEMBERSHIP_CASES = {
    "none": [],
    "pending": [("government", "pending")],
    "verified, eligible": [("government", "verified")],
    "verified, not eligible": [("industry", "verified")],
    "rejected then verified": [("government", "rejected"), ("civil_society", "verified")],
    "two eligible, the older votes": [("civil_society", "verified"), ("government", "verified")],
    "ineligible older, eligible newer": [("industry", "verified"), ("government", "verified")],
}


@pytest.mark.parametrize("case", MEMBERSHIP_CASES)
@pytest.mark.parametrize("phase", ["open", "voting"])
def test_who_votes_is_one_rule_for_the_ballot_and_the_vote(case, phase, draft):
    from accounts.models import Membership
    from accounts.selectors import voting_membership
    from drafting.selectors import reading
    from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory

    voter = UserFactory(username="delegate")
    made = []
    for group, status in MEMBERSHIP_CASES[case]:
        organization = OrganizationFactory(stakeholder_group=group)
        made.append(MembershipFactory(user=voter, organization=organization, status=status))
    RoundFactory(draft=draft, phase=phase, eligible_groups=["government", "civil_society"])
    round_, through_the_vote = reading.voting_round(draft, voter)
    through_the_orm = voting_membership(voter, round_.eligible_groups)
    expected = next(
        (
            m
            for m in made
            if m.status == Membership.Status.VERIFIED
            and m.organization.stakeholder_group in ("government", "civil_society")
        ),
        None,
    )
    assert (through_the_orm.pk if through_the_orm else None) == (expected.pk if expected else None)
    if expected is None:
        assert through_the_vote is None
    else:
        assert (through_the_vote.organization_id, through_the_vote.stakeholder_group) == (
            expected.organization_id,
            expected.organization.stakeholder_group,
        )


ROUND_CASES = {
    "none": [],
    "scheduled only": ["scheduled"],
    "open": ["closed", "open"],
    "voting beside a scheduled one": ["voting", "scheduled"],
    "two closed, the later counts": ["closed", "closed"],
}


@pytest.mark.parametrize("case", ROUND_CASES)
def test_the_current_round_is_one_rule_for_the_orm_and_the_hot_reads(case, draft, clause, people):
    from datetime import timedelta

    from django.utils import timezone

    from drafting.selectors import reading

    now = timezone.now()
    made = []
    for index, phase in enumerate(ROUND_CASES[case]):
        closed_at = now - timedelta(days=10 - index) if phase == "closed" else None
        made.append(RoundFactory(draft=draft, phase=phase, closed_at=closed_at))
    expected = next((r for r in made if r.phase in ("open", "voting")), None)
    if expected is None:
        closed = [r for r in made if r.phase == "closed"]
        expected = closed[-1] if closed else None
    _, _, through_the_read, _ = reading.clause_reading(people["participant"], clause.id)
    through_the_orm = selectors.current_round(draft)
    assert [getattr(r, "pk", None) for r in (through_the_orm, through_the_read)] == [getattr(expected, "pk", None)] * 2


def test_the_clause_serializer_declares_what_clause_data_writes(people, phase_scene):
    """One clause output: the serializer's fields (the schema) are the keys of every answer."""
    fields = list(ClauseDetailSerializer().fields)
    answer = client_for(people["participant"]).get(f"/api/v1/clauses/{phase_scene.id}/").json()
    assert list(answer) == [name for name in fields if name != "translation"]  # that one with ?lang= only
    answer = client_for(people["participant"]).get(f"/api/v1/clauses/{phase_scene.id}/?lang=fr").json()
    assert list(answer) == fields and answer["translation"]["state"] == "missing"


def test_the_hot_reads_name_the_proposer_by_what_they_spoke_for_when_proposing(draft, clause, people):
    """The clause and clause list answers read the proposer's delegation with the clause, by the
    membership rule at the proposal: a claim verified since is no longer a claim; a later move, or
    leaving, changes nothing said of the earlier act."""
    import time_machine
    from django.utils import timezone

    from accounts.models import Membership
    from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory

    ana, ben = UserFactory(username="ana_reads"), UserFactory(username="ben_reads")
    kenya = OrganizationFactory(name="Kenya", stakeholder_group="government")
    watch = OrganizationFactory(name="Net Watch", stakeholder_group="civil_society")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        claim = MembershipFactory(user=ana, organization=kenya, status=Membership.Status.PENDING)
        left = MembershipFactory(user=ben, organization=watch)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        by_ana = ClauseFactory(section=clause.section, status="proposed", proposer=ana)
        by_ben = ClauseFactory(section=clause.section, status="proposed", proposer=ben)
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        claim.status = Membership.Status.VERIFIED
        claim.save()
        left.delete()
        MembershipFactory(user=ben, organization=kenya)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        ben_later = ClauseFactory(section=clause.section, status="proposed", proposer=ben)
    reader = people["participant"]
    said = {
        by_ana.id: {"organization": "Kenya", "stakeholder_group": "government", "verified": True, "chair": False},
        by_ben.id: {
            "organization": "Net Watch",
            "stakeholder_group": "civil_society",
            "verified": True,
            "chair": False,
        },
        ben_later.id: {"organization": "Kenya", "stakeholder_group": "government", "verified": True, "chair": False},
    }
    rows = {r["id"]: r for r in client_for(reader).get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"]}
    for item in (by_ana, by_ben, ben_later):
        assert client_for(reader).get(f"/api/v1/clauses/{item.id}/").json()["speaking_for"] == said[item.id]
        assert rows[item.id]["speaking_for"] == said[item.id]
        assert rows[item.id] == _expected(item, reader)
