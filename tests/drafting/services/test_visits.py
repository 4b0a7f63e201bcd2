"""Remembering each person's last visit to a draft (drafting/services/visits.py)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from codeofconduct.errors import NotAllowed, NotFound
from drafting.models import Draft, DraftVisit, Visibility
from drafting.services import visits

pytestmark = pytest.mark.django_db


def _visit(user, draft):
    return DraftVisit.objects.get(user=user, draft=draft)


@pytest.fixture
def old_draft(draft):
    """The draft as made two months ago: marks can go back that far."""
    Draft.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=60))
    draft.refresh_from_db()
    return draft


def test_views_within_the_gap_are_one_visit_and_a_later_one_starts_the_next(draft, people, settings):
    settings.VISIT_GAP = timedelta(hours=1)
    reader, t0 = people["observer"], timezone.now() - timedelta(days=7)
    visits.record_visit(reader, draft, now=t0)
    assert (_visit(reader, draft).seen_at, _visit(reader, draft).last_viewed_at) == (t0, t0)
    # Reading on for a while: the catch-up still starts where it did.
    visits.record_visit(reader, draft, now=t0 + timedelta(minutes=40))
    visits.record_visit(reader, draft, now=t0 + timedelta(minutes=90))
    visit = _visit(reader, draft)
    assert (visit.seen_at, visit.last_viewed_at) == (t0, t0 + timedelta(minutes=90))
    # Back a week later: what changed since the end of the last visit is new.
    back = t0 + timedelta(days=7)
    visits.record_visit(reader, draft, now=back)
    visit = _visit(reader, draft)
    assert (visit.seen_at, visit.last_viewed_at) == (t0 + timedelta(minutes=90), back)


def test_the_gap_is_a_setting(draft, people, settings):
    settings.VISIT_GAP = timedelta(minutes=5)
    reader, t0 = people["observer"], timezone.now() - timedelta(hours=1)
    visits.record_visit(reader, draft, now=t0)
    visits.record_visit(reader, draft, now=t0 + timedelta(minutes=10))
    assert _visit(reader, draft).seen_at == t0


def test_anonymous_readers_leave_no_trace(draft):
    visits.record_visit(AnonymousUser(), draft)
    visits.record_visit(None, draft)
    assert not DraftVisit.objects.exists()


def test_mark_seen_moves_the_mark_to_until_never_past_now(old_draft, people):
    draft, reader = old_draft, people["participant"]
    t0 = timezone.now() - timedelta(days=3)
    visits.record_visit(reader, draft, now=t0)
    until = timezone.now() - timedelta(minutes=5)
    visit, created = visits.mark_seen(reader, draft, until)
    assert not created and visit.seen_at == until and visit.last_viewed_at == t0
    visit, _ = visits.mark_seen(reader, draft, timezone.now() + timedelta(days=30))
    assert visit.seen_at <= timezone.now()
    # Asked to, it moves back: those changes are shown again; nothing is hidden unread.
    visit, _ = visits.mark_seen(reader, draft, t0 - timedelta(days=10))
    assert visit.seen_at == t0 - timedelta(days=10)
    # ... but not before the draft existed: everything in it came after that.
    visit, _ = visits.mark_seen(reader, draft, datetime(1, 1, 1, tzinfo=UTC))
    assert visit.seen_at == draft.created_at


def test_mark_seen_without_a_visit_creates_the_record(draft, people):
    visit, created = visits.mark_seen(people["observer"], draft)
    assert created and abs(visit.seen_at - timezone.now()) < timedelta(seconds=5)


def test_a_new_visit_never_moves_a_later_mark_back(old_draft, people, settings):
    settings.VISIT_GAP = timedelta(hours=1)
    draft, reader, t0 = old_draft, people["observer"], timezone.now() - timedelta(days=7)
    visits.record_visit(reader, draft, now=t0)
    marked = t0 + timedelta(minutes=20)  # read the changes page, marked it seen, left
    visits.mark_seen(reader, draft, marked)
    visits.record_visit(reader, draft, now=t0 + timedelta(days=6))
    assert _visit(reader, draft).seen_at == marked


def test_mark_seen_keeps_to_the_draft_rules(draft, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    with pytest.raises(NotFound):
        visits.mark_seen(people["non_member"], draft)
    with pytest.raises(NotAllowed):
        visits.mark_seen(AnonymousUser(), draft)


def test_a_first_view_racing_another_updates_the_record_it_made(draft, people, monkeypatch):
    """The other request inserts between this one's UPDATE (nothing there yet) and its INSERT."""
    reader, t0 = people["observer"], timezone.now() - timedelta(minutes=1)
    real_update = visits._update
    calls = []

    def racing(user, draft_, values):
        calls.append(values)
        if len(calls) == 1:
            DraftVisit.objects.create(user=user, draft=draft_, seen_at=t0, last_viewed_at=t0)
            return 0
        return real_update(user, draft_, values)

    monkeypatch.setattr(visits, "_update", racing)
    now = timezone.now()
    visits.record_visit(reader, draft, now=now)
    assert len(calls) == 2  # refused by the unique constraint, it updated the record instead
    visit = _visit(reader, draft)
    assert (visit.seen_at, visit.last_viewed_at) == (t0, now)


def _view_at_once(reader, draft, n: int = 2) -> list[Exception]:
    """``n`` first views of the draft by the same person, on their own connections, let go together."""
    barrier, errors = threading.Barrier(n), []

    def view():
        try:
            barrier.wait()
            visits.record_visit(reader, draft)
        except Exception as exc:  # recorded and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_first_views_at_once_make_one_record_and_no_error(draft, people):
    reader = people["observer"]
    for attempt in range(5):
        DraftVisit.objects.filter(user=reader).delete()
        errors = _view_at_once(reader, draft)
        assert errors == [], (attempt, errors)
        assert DraftVisit.objects.filter(user=reader, draft=draft).count() == 1


def test_a_view_within_a_minute_of_the_last_writes_nothing(draft, people, django_assert_num_queries):
    reader, t0 = people["observer"], timezone.now() - timedelta(hours=3)
    visits.record_visit(reader, draft, now=t0)
    with django_assert_num_queries(0):
        visits.record_visit(reader, draft, now=t0 + timedelta(seconds=30), last_viewed_at=t0)
    assert _visit(reader, draft).last_viewed_at == t0
    visits.record_visit(reader, draft, now=t0 + timedelta(minutes=2), last_viewed_at=t0)
    assert _visit(reader, draft).last_viewed_at == t0 + timedelta(minutes=2)
    # No record read (None): the first view inserts it.
    other = people["participant"]
    visits.record_visit(other, draft, now=t0, last_viewed_at=None)
    assert _visit(other, draft).last_viewed_at == t0


def test_the_catch_up_starts_where_the_previous_visit_ended(settings):
    settings.VISIT_GAP = timedelta(hours=1)
    now = timezone.now()
    seen, last = now - timedelta(days=7), now - timedelta(days=2)
    assert visits.catch_up_start(None, None, now=now) is None
    assert visits.catch_up_start(seen, last, now=now) == last  # a new visit: since the last one ended
    assert visits.catch_up_start(seen, now - timedelta(minutes=5), now=now) == seen  # still the same visit
