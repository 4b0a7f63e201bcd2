"""Two people acting at the same moment, with real threads and real transactions.

The database's row locks decide: nobody's words are overwritten unseen and no two clauses share a number.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from codeofconduct.errors import Conflict
from drafting import services
from drafting.models import Clause, DraftVisit
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # recorded and asserted on below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_editors_on_the_same_version_one_wins_one_gets_409(clause, people):
    moderator, admin = people["moderator"], people["admin"]
    outcomes = _race(
        lambda: services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Moderator's wording"),
        lambda: services.clause_update(clause_id=clause.id, version=1, by=admin, text="Admin's wording"),
    )
    winners = [o for o in outcomes if isinstance(o, Clause)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].extra == {"current_version": 2}
    clause.refresh_from_db()
    assert clause.version == 2 and clause.text == winners[0].text
    assert clause.history.count() == 2


def test_clauses_added_at_once_get_distinct_numbers(draft, section, people):
    moderator = people["moderator"]
    outcomes = _race(
        *[
            (
                lambda i=i: services.clause_create(
                    draft=draft, section_id=section.id, title=f"T{i}", text="x", by=moderator
                )
            )
            for i in range(4)
        ]
    )
    assert all(isinstance(o, Clause) for o in outcomes), outcomes
    assert sorted(o.number for o in outcomes) == [1, 2, 3, 4]


@pytest.fixture
def voting_round(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    return round_, proposed


def test_the_same_vote_sent_twice_at_once_is_one_row(voting_round, people):
    from drafting.models import Vote

    round_, proposed = voting_round
    voter = people["participant"]
    outcomes = _race(
        *[
            (lambda choice=choice: services.vote_cast(by=voter, clause_id=proposed.id, choice=choice))
            for choice in ("yes", "no", "yes", "abstain")
        ]
    )
    assert all(isinstance(o, Vote) for o in outcomes), outcomes
    assert Vote.objects.filter(round=round_, voter=voter, clause=proposed).count() == 1


def test_a_vote_racing_the_close_is_counted_or_refused_never_late(voting_round, people):
    from drafting.models import Round, Vote

    round_, proposed = voting_round
    outcomes = _race(
        lambda: services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes"),
        lambda: services.round_close(round_id=round_.id, by=people["moderator"]),
    )
    vote, closed = outcomes
    assert isinstance(closed, Round), outcomes
    round_.refresh_from_db()
    if isinstance(vote, Vote):
        assert Vote.objects.get(pk=vote.pk).updated_at <= round_.closed_at
    else:
        assert isinstance(vote, Conflict) and vote.extra == {"phase": "closed"}
        assert not Vote.objects.exists()


def test_the_schedule_and_a_moderator_closing_at_once_close_exactly_once(voting_round, people):
    from drafting.models import ItemResult, Round, Snapshot

    round_, proposed = voting_round
    services.vote_cast(by=people["participant"], clause_id=proposed.id, choice="yes")
    outcomes = _race(
        lambda: services.round_close(round_id=round_.id, by=people["moderator"]),
        lambda: services.round_close(round_id=round_.id, by=None),  # the schedule
        lambda: services.round_close(round_id=round_.id, by=people["admin"]),
    )
    closed = [o for o in outcomes if isinstance(o, Round)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(closed) == 1 and len(refused) == 2, outcomes
    assert all(c.extra == {"phase": "closed"} for c in refused)
    assert ItemResult.objects.filter(round=round_).count() == 1
    assert Snapshot.objects.filter(round=round_).count() == 1
    proposed.refresh_from_db()
    assert (proposed.status, proposed.version) == ("agreed", 2)


def test_many_votes_racing_the_close_are_each_counted_or_refused(voting_round, people, draft):
    from drafting.models import ItemResult, Vote
    from tests.drafting.factories import make_voters

    round_, proposed = voting_round
    voters = make_voters(draft, government=6)["government"]
    calls = [(lambda v=v: services.vote_cast(by=v, clause_id=proposed.id, choice="yes")) for v in voters] + [
        lambda: services.round_close(round_id=round_.id, by=people["moderator"])
    ]
    outcomes = _race(*calls)
    counted = [o for o in outcomes[:-1] if isinstance(o, Vote)]
    refused = [o for o in outcomes[:-1] if isinstance(o, Conflict)]
    assert len(counted) + len(refused) == len(voters), outcomes
    result = ItemResult.objects.get(round=round_, clause=proposed)
    assert result.yes == len(counted) == Vote.objects.filter(round=round_).count()


def test_a_change_still_being_written_when_the_list_is_made_is_never_marked_seen(draft, clause, people):
    """A comment dated before the catch-up list was made, whose transaction commits after it (a long
    write, as a round's close merging for seconds), stays unseen: the list's ``until`` stops before it."""
    from django.db import transaction

    from tests.conftest import client_for

    participant = client_for(people["participant"])
    url = f"/api/v1/drafts/{draft.slug}/changes/"
    assert participant.post(url + "seen/", {}, format="json").status_code == 201
    written, commit = threading.Event(), threading.Event()
    made = {}

    def slow_comment():
        try:
            with transaction.atomic():
                made["comment"] = services.comment_post(
                    by=people["observer"], clause_id=clause.id, body="Written slowly."
                )
                written.set()
                commit.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_comment)
    writer.start()
    try:
        assert written.wait(timeout=30)
        listed = participant.get(url).json()
        assert listed["total"] == 0  # not committed yet: nobody can read it
        assert participant.post(url + "seen/", {"until": listed["until"]}, format="json").status_code == 200
        # A view of the draft meanwhile (one that writes: the first of a new visit) does not count
        # it as seen either: the view is noted as of when the comment's transaction began.
        visit = DraftVisit.objects.filter(user=people["participant"], draft=draft)
        visit.update(last_viewed_at=timezone.now() - timedelta(hours=2))
        assert participant.get(f"/api/v1/drafts/{draft.slug}/").status_code == 200
        assert visit.get().last_viewed_at <= made["comment"].created_at
    finally:
        commit.set()
        writer.join(timeout=30)
    after = participant.get(url).json()
    assert [c["body"] for c in after["comments"]["items"]] == ["Written slowly."]


def test_two_paragraphs_placed_after_the_same_one_at_once_get_distinct_numbers(draft, section, people):
    """Both ask for the place right after OP1: under the draft's lock one is numbered first (1 bis),
    the other sees it and goes between OP1 and it (1 A); no 500, no number twice."""
    first = ClauseFactory(section=section, number=1, title="Norm 1")
    ClauseFactory(section=section, number=2, title="Norm 2")
    outcomes = _race(
        *[
            (
                lambda who=who: services.clause_create(
                    draft=draft, section_id=section.id, title=f"By {who}", text="x", after=first.id, by=people[who]
                )
            )
            for who in ("moderator", "admin")
        ]
    )
    assert all(isinstance(o, Clause) for o in outcomes), outcomes
    assert sorted(o.label for o in outcomes) == ["1 A", "1 bis"]
    reading = [c.label for c in Clause.objects.filter(draft=draft)]
    assert reading == ["1", "1 A", "1 bis", "2"]


def test_two_delegates_of_one_delegation_asking_for_the_floor_at_once_take_one_place(draft, clause, people):
    from live import room
    from live.models import FloorRequest
    from tests.accounts.factories import MembershipFactory, UserFactory

    participant = people["participant"]
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=participant.memberships.get().organization)
    services.draft_member_set(draft=draft, user_id=colleague.id, role="participant", by=people["admin"])
    room.session_open(slug=draft.slug, by=people["moderator"])
    outcomes = _race(
        lambda: room.floor_ask(slug=draft.slug, by=participant),
        lambda: room.floor_ask(slug=draft.slug, by=colleague),
    )
    places = [o for o in outcomes if isinstance(o, FloorRequest)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(places) == 1 and len(conflicts) == 1, outcomes
    assert FloorRequest.objects.count() == 1


def test_two_chairs_opening_a_live_session_at_once_open_one(draft, clause, people):
    from live import room
    from live.models import LiveSession

    outcomes = _race(
        lambda: room.session_open(slug=draft.slug, by=people["moderator"]),
        lambda: room.session_open(slug=draft.slug, by=people["admin"]),
    )
    opened = [o for o in outcomes if isinstance(o, LiveSession)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(opened) == 1 and len(conflicts) == 1, outcomes
    assert LiveSession.objects.count() == 1
