"""Closing a round runs the same number of queries whatever the size of its ballot, and still does
everything closing did item by item: a version and a history entry per merge, each amendment's
status and history, and a notice to each author."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafting import services
from drafting.models import Amendment, Clause, ItemResult, Snapshot
from notifications import services as notifications
from notifications.models import Event, Notification
from tests.drafting.factories import ClauseFactory, cast, make_voters
from tests.support import free_port, publishing

pytestmark = pytest.mark.django_db

BASE = "States should not knowingly allow their territory to be used for wrongful acts."
TITLE = "First reading"


def _ballot(draft, section, people, *, targets: int, voters: int, first_number: int = 100) -> dict:
    """A voting round over two proposals and ``targets`` agreed clauses, amended by a repeating recipe.

    Target 0, 3, 6...: two accepted amendments to different words (merged, then merged three-way)
    and an accepted rival to the first one's words (superseded by it: as many yes, submitted later). Target 1, 4, 7...: a rejected
    rewording and an accepted deletion. Target 2, 5, 8...: one accepted amendment. The adopted
    proposal is amended too, so its new version and the merge land on the same clause.
    """
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title=TITLE)
    services.round_open(round_id=round_.id, by=moderator)
    government = make_voters(draft, government=voters)
    authors = [people["participant"], *government["government"]]
    author = iter(authors * 20)

    def amend(clause, kind="modify", text=""):
        return services.amendment_submit(clause_id=clause.id, by=next(author), kind=kind, text=text)

    adopted = services.clause_create(
        draft=draft, section_id=section.id, title="Contacts", text="Name a point of contact.", by=people["participant"]
    )
    refused = services.clause_create(
        draft=draft, section_id=section.id, title="Sanctions", text="Punish offenders.", by=people["participant"]
    )
    votes = {adopted: "y", refused: "n"}
    scene = {"round": round_, "adopted": adopted, "refused": refused, "twice": [], "deleted": [], "once": []}
    adopted_amendment = amend(adopted, text="Name a point of contact for incidents.")
    votes[adopted_amendment] = "y"
    scene["accepted"], scene["superseded"], scene["rejected"] = [adopted_amendment], [], []
    for i in range(targets):
        target = ClauseFactory(section=section, number=first_number + i, text=BASE)
        if i % 3 == 0:
            first = amend(target, text=BASE.replace("should", "must"))
            elsewhere = amend(target, text=BASE.replace("wrongful", "internationally wrongful"))
            rival = amend(target, text=BASE.replace("should", "shall"))
            votes.update({first: "y", elsewhere: "y", rival: "y"})
            scene["twice"].append((target, first, elsewhere))
            scene["accepted"] += [first, elsewhere]
            scene["superseded"].append((rival, first))
        elif i % 3 == 1:
            rewording = amend(target, text="Other words.")
            deletion = amend(target, kind="delete")
            votes.update({rewording: "n", deletion: "y"})
            scene["deleted"].append((target, deletion))
            scene["rejected"].append(rewording)
            scene["accepted"].append(deletion)
        else:
            single = amend(target, text=BASE.replace("States", "All States"))
            votes[single] = "y"
            scene["once"].append((target, single))
            scene["accepted"].append(single)
    services.round_start_voting(round_id=round_.id, by=moderator)
    for item, letter in votes.items():
        cast(government, item, {"government": letter * voters})
    return scene


def _close(scene, by):
    scene["events_before"] = Event.objects.order_by("-id").values_list("id", flat=True).first()
    with CaptureQueriesContext(connection) as queries:
        services.round_close(round_id=scene["round"].id, by=by)
    return len(queries)


def _merged(amendment, done, moderator=None) -> str:
    """The history reason of a merge: the amendment's author and what they spoke for, and who applied it."""
    organization = amendment.organization
    author = f"{amendment.author.username} ({organization.name}, {organization.get_stakeholder_group_display()})"
    applied = "by the Chair at the close" if moderator else "at the scheduled close"
    return f"Amendment {amendment.id} by {author} {done}, applied {applied} of {TITLE}"


def _changes(clause):
    """The clause's history without the renumbering each Rev.N does (tests/drafting/test_numbering.py)."""
    return clause.history.exclude(history_change_reason__startswith="Renumbered")


def _check(scene, moderator):
    """What a reader of the draft, its history and their notifications sees after the close."""
    round_ = scene["round"]
    round_.refresh_from_db()
    adopted, refused = scene["adopted"], scene["refused"]
    adopted.refresh_from_db()
    refused.refresh_from_db()
    assert (adopted.status, adopted.version, adopted.text) == ("agreed", 3, "Name a point of contact for incidents.")
    assert "for incidents" in adopted.text_html
    assert (refused.status, refused.version) == ("rejected", 2)
    adopted_amendment = scene["accepted"][0]
    assert [
        (h.version, h.status, h.history_change_reason, h.history_user)
        for h in _changes(adopted).order_by("history_id")[1:]
    ] == [
        (2, "agreed", f"Adopted in {TITLE}", moderator),
        (3, "agreed", _merged(adopted_amendment, "merged", moderator), adopted_amendment.author),
    ]

    for target, first, elsewhere in scene["twice"]:
        target.refresh_from_db()
        merged = "States must not knowingly allow their territory to be used for internationally wrongful acts."
        assert (target.version, target.text, target.status) == (3, merged, "agreed")
        assert target.updated_at >= round_.closed_at  # what tells the draft page its text changed
        assert "internationally wrongful" in target.text_html
        history = list(_changes(target).order_by("history_id"))
        assert [(h.version, h.text, h.history_change_reason, h.history_user) for h in history[1:]] == [
            (2, BASE.replace("should", "must"), _merged(first, "merged", moderator), first.author),
            (3, merged, _merged(elsewhere, "merged three-way", moderator), elsewhere.author),
        ]
        assert history[1].history_date < history[2].history_date  # the newest version is the latest entry
        assert _changes(target).first().version == 3
    for target, deletion in scene["deleted"]:
        target.refresh_from_db()
        assert (target.status, target.version, target.text) == ("withdrawn", 2, BASE)
        newest = _changes(target).first()
        assert newest.history_change_reason == _merged(deletion, "deleted the clause", moderator)
        assert newest.history_user == deletion.author
    for target, single in scene["once"]:
        target.refresh_from_db()
        assert (target.version, target.text) == (2, BASE.replace("States", "All States"))
        assert _changes(target).first().history_change_reason == _merged(single, "merged", moderator)

    statuses = dict(Amendment.objects.filter(round=round_).values_list("id", "status"))
    expected = {a.id: "accepted" for a in scene["accepted"]}
    expected |= {a.id: "superseded" for a, _ in scene["superseded"]}
    expected |= {a.id: "rejected" for a in scene["rejected"]}
    assert statuses == expected
    for amendment in Amendment.objects.filter(round=round_):
        newest = amendment.history.first()
        assert newest.status == amendment.status
        assert (newest.history_change_reason, newest.history_user) == (
            f"{amendment.get_status_display()} in {TITLE}",
            moderator,
        )
    effects = dict(ItemResult.objects.filter(round=round_, amendment__isnull=False).values_list("amendment", "effect"))
    assert all(effects[a.id] == f"superseded by amendment {by.id}" for a, by in scene["superseded"])
    assert all(effects[deletion.id] == "deleted" for _, deletion in scene["deleted"])
    assert all((effects[a.id], effects[b.id]) == ("merged", "merged three-way") for _, a, b in scene["twice"])

    # Each author hears of each of their items, then everyone of the round's close.
    events = list(Event.objects.filter(id__gt=scene["events_before"]).order_by("id"))
    told = [(e.kind, tuple(e.recipient_ids), e.url) for e in events[:-1]]
    expected_told = [
        ("clause_accepted", (adopted.proposer_id,), f"/clauses/{adopted.id}/"),
        ("clause_rejected", (refused.proposer_id,), f"/clauses/{refused.id}/"),
    ]
    for amendment in Amendment.objects.filter(round=round_).order_by("created_at", "id"):
        expected_told.append((f"amendment_{amendment.status}", (amendment.author_id,), f"/amendments/{amendment.id}/"))
    assert told == expected_told
    assert all(e.actor_id == moderator.id and e.fanned_out_at is None for e in events)
    assert events[-1].kind == "round_closed" and events[-1].followers_of_draft
    assert Snapshot.objects.get(round=round_).label.startswith("Rev.")
    # The Rev. is numbered 1, 2, 3 in reading order, the rejected and withdrawn clauses out of the way.
    text = Clause.objects.filter(draft=round_.draft).exclude(status__in=("rejected", "withdrawn"))
    assert list(text.values_list("number", "number_suffix")) == [(n, 0) for n in range(1, text.count() + 1)]


def test_closing_takes_the_same_queries_for_a_small_and_a_large_ballot(draft, section, people):
    moderator = people["moderator"]
    small = _ballot(draft, section, people, targets=2, voters=3)
    small_queries = _close(small, moderator)
    _check(small, moderator)
    large = _ballot(draft, section, people, targets=12, voters=6, first_number=200)
    large_queries = _close(large, moderator)
    _check(large, moderator)
    assert len(large["accepted"]) + len(large["superseded"]) + len(large["rejected"]) == 25
    assert small_queries == large_queries, (small_queries, large_queries)


def test_the_schedule_closes_in_nobodys_name(draft, section, people):
    scene = _ballot(draft, section, people, targets=3, voters=2)
    services.round_close(round_id=scene["round"].id, by=None)
    target, first, elsewhere = scene["twice"][0]
    newest = list(_changes(Clause.objects.get(pk=target.pk)).order_by("-history_id")[:2])
    # The merged versions are still their authors' changes; nobody applied them by hand.
    assert [(h.version, h.history_user) for h in newest] == [(3, elsewhere.author), (2, first.author)]
    assert newest[0].history_change_reason == _merged(elsewhere, "merged three-way")
    assert Amendment.objects.get(pk=first.pk).history.first().history_user is None
    assert Event.objects.filter(kind="amendment_accepted", actor__isnull=True).count() == len(scene["accepted"])


def test_authors_hear_once_the_close_commits_and_not_if_it_rolls_back(
    draft, section, people, django_capture_on_commit_callbacks
):
    scene = _ballot(draft, section, people, targets=3, voters=2)
    before = Event.objects.order_by("-id").values_list("id", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.round_close(round_id=scene["round"].id, by=people["moderator"])
            raise RuntimeError("the request failed after closing")
    assert not Event.objects.filter(id__gt=before).exists()
    assert not Notification.objects.exists()
    assert Clause.objects.get(pk=scene["twice"][0][0].pk).version == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(round_id=scene["round"].id, by=people["moderator"])
    rival, first = scene["superseded"][0]
    told = Notification.objects.filter(recipient=rival.author, kind="amendment_superseded").get()
    now = Clause.objects.get(pk=rival.clause_id).ref  # the ballot cited rival.clause.ref; Rev.1 renumbers
    assert now != rival.clause.ref
    assert told.message == (
        f"Your amendment {rival.id} to clause {rival.clause.ref} was superseded by amendment {first.id} "
        f"(2 for, 0 against), which had the most support of them in “First reading”; the clause is {now} in Rev.1."
    )
    assert Notification.objects.filter(recipient=people["observer"], kind="round_closed").exists()
    assert not Event.objects.filter(id__gt=before, fanned_out_at__isnull=True).exists()


def test_with_the_broker_down_the_close_stands_and_the_sweep_finds_every_notice(
    draft, section, people, tmp_path, caplog, django_capture_on_commit_callbacks
):
    scene = _ballot(draft, section, people, targets=3, voters=2)
    before = Event.objects.order_by("-id").values_list("id", flat=True).first()
    with (
        publishing(tmp_path, f"redis://127.0.0.1:{free_port()}/0"),
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.round_close(round_id=scene["round"].id, by=people["moderator"])
    told = list(Event.objects.filter(id__gt=before).values_list("id", flat=True))
    assert len(told) == len(scene["accepted"] + scene["superseded"] + scene["rejected"]) + 3
    # The broker is asked once, not once per notice: each refusal can cost its connection timeout.
    refused = [r.getMessage() for r in caplog.records if "Could not enqueue" in r.getMessage()]
    assert len(refused) == 1 and f"for {len(told)} of {len(told)} events" in refused[0]
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SWEEP_GRACE_SECONDS + 1)):
        pending, _ = notifications.pending_sweep()
    assert set(told) <= set(pending)
