"""What the live pages are told: one event per kind of change and transaction, only once it
commits, naming no one; votes told to the open streams only; what a reconnecting client missed."""

import json
import time

import psycopg
import pytest
from django.db import transaction

from drafting import services
from drafting.models import Draft
from live import services as live
from live.bus import conninfo
from live.models import Kind, LiveEvent

pytestmark = pytest.mark.django_db


def kinds(draft: Draft) -> list[str]:
    return list(LiveEvent.objects.filter(draft=draft).order_by("id").values_list("kind", flat=True))


def test_each_change_a_page_shows_is_one_event_of_its_kind(draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    LiveEvent.objects.all().delete()  # the tests' own transaction: every change below is one transaction

    with transaction.atomic():
        services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
    with transaction.atomic():
        services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text=clause.text + " Now.")
    with transaction.atomic():
        services.clause_update(
            clause_id=clause.id, version=clause.version, by=moderator, text=clause.text + " Edited.", reason="Chair"
        )
    # All three changes of the test's one transaction are told once each, in order.
    assert kinds(draft) == [Kind.COMMENTS, Kind.AMENDMENTS, Kind.TEXT]


def test_a_transaction_writing_many_rows_is_one_event(draft, section, people):
    moderator = people["moderator"]
    with transaction.atomic():
        for n in range(5):
            services.clause_create(
                draft=draft, section_id=section.id, by=moderator, title=f"Clause {n}", text="Text.", status="agreed"
            )
    # The fixture made the draft and section in this test's transaction too: still one "text".
    assert kinds(draft) == [Kind.TEXT]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_told_of_a_change_rolled_back(draft, clause, people):
    participant = people["participant"]
    before = kinds(draft)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
        raise RuntimeError("the request failed after the comment")
    assert kinds(draft) == before


@pytest.mark.django_db(transaction=True)
def test_notifications_arrive_when_the_change_commits_and_votes_have_no_row(draft, clause, people):
    participant = people["participant"]
    with psycopg.connect(conninfo(), autocommit=True) as listener:
        listener.execute("LISTEN live")
        with transaction.atomic():
            services.comment_post(by=participant, body="One.", clause_id=clause.id)
            services.comment_post(by=participant, body="Two.", clause_id=clause.id)
            # Not yet: the transaction has not committed.
            assert list(listener.notifies(timeout=0.2, stop_after=1)) == []
        # The draft's pages hear it once; the people the comment notifies hear of their notifications.
        heard = [json.loads(n.payload) for n in listener.notifies(timeout=1)]
        event = LiveEvent.objects.get(draft=draft, kind=Kind.COMMENTS)
        assert [h for h in heard if "draft" in h] == [{"id": event.id, "draft": draft.id, "kind": "comments"}]
        told = {person for h in heard if "people" in h for person in h["people"]}
        assert people["moderator"].id in told and participant.id not in told

        live.changed(draft.id, Kind.VOTES)
        heard = [json.loads(n.payload) for n in listener.notifies(timeout=2, stop_after=1)]
        assert heard == [{"draft": draft.id, "kind": "votes"}]
        assert not LiveEvent.objects.filter(kind=Kind.VOTES).exists()


def test_what_a_reconnecting_client_missed(draft):
    LiveEvent.objects.all().delete()  # making the draft was a change too
    ids = []
    for kind in (Kind.TEXT, Kind.COMMENTS, Kind.ROUND):
        ids.append(LiveEvent.objects.create(draft=draft, kind=kind, txid=len(ids), horizon=len(ids)).id)
    events, complete = live.missed(draft.id, ids[0])
    assert [e.id for e in events] == ids[1:] and complete
    events, complete = live.missed(draft.id, ids[0], limit=1)
    assert [e.id for e in events] == ids[1:2] and not complete
    assert live.latest(draft.id) == ids[-1]
    # A page made now was told nothing it missed but what committed about then (the margin).
    events, complete = live.since(draft.id, time.time())
    assert [e.id for e in events] == ids and complete
    events, _ = live.since(draft.id, time.time() + 3600)
    assert events == []


def test_old_events_are_forgotten_and_a_client_older_than_them_reloads(draft):
    from django.utils import timezone

    LiveEvent.objects.all().delete()
    old = LiveEvent.objects.create(draft=draft, kind=Kind.TEXT, txid=1, created_at=timezone.now() - live.KEPT * 2)
    kept = LiveEvent.objects.create(draft=draft, kind=Kind.TEXT, txid=2)
    assert live.forget_old() == 1
    assert list(LiveEvent.objects.values_list("id", flat=True)) == [kept.id]
    # A client that last heard an event before the forgotten one cannot be told all it missed.
    _, complete = live.missed(draft.id, old.id - 1)
    assert not complete
    # The event it last heard is still kept: so is everything after it.
    _, complete = live.missed(draft.id, kept.id)
    assert complete
    # A page made before the draft had any event was told nothing, and missed nothing.
    assert live.missed(draft.id, 0)[1]


@pytest.mark.django_db(transaction=True)
def test_people_are_told_in_notices_small_enough_for_postgresql(monkeypatch):
    monkeypatch.setattr(live, "PEOPLE_PER_NOTICE", 3)
    with psycopg.connect(conninfo(), autocommit=True) as listener:
        listener.execute("LISTEN live")
        live.told_people([5, 1, 2, 2, 4, 3, 7])
        heard = [json.loads(n.payload) for n in listener.notifies(timeout=1, stop_after=3)]
    assert heard == [
        {"people": [1, 2, 3], "kind": "notifications"},
        {"people": [4, 5, 7], "kind": "notifications"},
    ]


@pytest.mark.django_db(transaction=True)
def test_the_largest_ids_still_fit_a_notice():
    with transaction.atomic():  # PostgreSQL refuses a notice too long at once: this would raise
        live.told_people(range(2**62, 2**62 + 2 * live.PEOPLE_PER_NOTICE))
