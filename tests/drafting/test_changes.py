"""What changed since a moment (drafting/selectors/changes.py): every kind of change, who may see
hidden comments, the Chatham House rule, the caps, and a query count that does not grow."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafting import rules, services
from drafting.models import Clause, DraftVisit
from drafting.selectors import changes as changes_selector
from drafting.selectors.changes import changes_since
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory

pytestmark = pytest.mark.django_db


def build_changes(draft, clause, people) -> dict:
    """A draft as a delegate left it, and a week of work after ``since``: a clause reworded, one
    withdrawn, one proposed, an amendment submitted and another withdrawn, a comment, a reply and a
    hidden comment, and the round put to the vote."""
    moderator, participant = people["moderator"], people["participant"]
    start = timezone.now()
    withdrawn = ClauseFactory(section=clause.section, number=2, title="Due diligence", status="proposed")
    ClauseFactory(section=clause.section, number=3, title="Untouched")
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    old_amendment = services.amendment_submit(
        clause_id=clause.id, by=participant, kind="modify", text="States must not allow wrongful acts."
    )
    since = start + timedelta(days=1)
    with time_machine.travel(start + timedelta(days=2)):
        services.clause_update(
            clause_id=clause.id,
            version=1,
            by=moderator,
            text="States should not knowingly allow their territory to be used for malicious acts.",
            reason="Chair's proposal",
        )
        services.clause_update(clause_id=withdrawn.id, version=1, by=moderator, status="withdrawn")
        added = services.clause_create(
            draft=draft, section_id=clause.section_id, title="Capacity building", text="States help.", by=participant
        )
        new_amendment = services.amendment_submit(
            clause_id=clause.id, by=participant, kind="modify", text="States should cooperate."
        )
        services.amendment_withdraw(amendment_id=old_amendment.id, by=participant)
        remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="Why “malicious”?")
        reply = services.comment_post(
            by=participant, clause_id=clause.id, parent_id=remark.id, body="It is the agreed term."
        )
        abuse = services.comment_post(by=people["observer"], clause_id=clause.id, body="Off-topic rant.")
        services.comment_hide(comment_id=abuse.id, by=moderator, reason="Off topic")
        services.round_start_voting(round_id=round_.id, by=moderator)
    return {
        "since": since,
        "withdrawn": withdrawn,
        "added": added,
        "new_amendment": new_amendment,
        "old_amendment": old_amendment,
        "remark": remark,
        "reply": reply,
        "abuse": abuse,
        "round": round_,
    }


def backdate(draft, days: int) -> None:
    """Age the draft's clauses, their history included, as if written ``days`` ago."""
    then = timezone.now() - timedelta(days=days)
    Clause.objects.filter(draft=draft).update(created_at=then, updated_at=then)
    Clause.history.filter(draft_id=draft.id).update(history_date=then)


def _ids(listed, key):
    return [item[key] for item in listed.items]


def test_each_kind_of_change_since_the_moment_is_listed(draft, clause, people):
    scene = build_changes(draft, clause, people)
    found = changes_since(people["participant"], draft, "participant", scene["since"])

    (changed,) = found.clauses_changed.items
    assert (changed["clause"], changed["previous_version"], changed["version"]) == (clause.id, 1, 2)
    assert {"op": "delete", "text": "wrongful"} in changed["redline"]
    assert {"op": "insert", "text": "malicious"} in changed["redline"]
    # The moderator's change is the Chair's: not their name, nor their delegation's.
    assert changed["reason"] == "Chair's proposal" and changed["by"]["name"] == "the Chair"
    assert changed["who"] == "The Chair" and changed["by"]["speaking_for"]["chair"]

    assert _ids(found.clauses_added, "clause") == [scene["added"].id]
    added = found.clauses_added.items[0]
    # A proposal is bracketed text: its redline is all new, brackets included.
    assert (
        added["redline"][0] == {"op": "insert", "text": "["} and added["by"]["name"] == people["participant"].username
    )
    assert _ids(found.clauses_removed, "clause") == [scene["withdrawn"].id]
    assert found.clauses_removed.items[0]["previous_status"] == "proposed"

    assert _ids(found.amendments_new, "amendment") == [scene["new_amendment"].id]
    assert {"op": "insert", "text": "cooperate"} in found.amendments_new.items[0]["redline"]
    assert _ids(found.amendments_decided, "amendment") == [scene["old_amendment"].id]
    assert found.amendments_decided.items[0]["status"] == "withdrawn"

    assert _ids(found.comments, "comment") == [scene["remark"].id, scene["reply"].id]
    assert found.comments.items[1]["parent"] == scene["remark"].id

    (moved,) = found.rounds.items
    assert moved["round"] == scene["round"].id and [e["event"] for e in moved["events"]] == ["voting"]
    assert found.total == 1 + 1 + 1 + 1 + 1 + 2 + 1


def test_nothing_before_the_moment_is_listed(draft, clause, people):
    scene = build_changes(draft, clause, people)
    after_the_week = scene["since"] + timedelta(days=2)
    later = changes_since(people["participant"], draft, "participant", after_the_week)
    assert later.total == 0 and later.since == after_the_week


def test_a_hidden_comment_is_listed_for_moderators_and_admins_not_participants(draft, clause, people):
    scene = build_changes(draft, clause, people)
    since = scene["since"]
    for who in ("participant", "observer", "anonymous", "non_member"):
        user = people[who]
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        shown = changes_since(user, draft, rules.standing(user, draft), since)
        # The observer wrote it: an author still reads their own hidden comment, as on the clause page.
        expected = who == "observer"
        assert (scene["abuse"].id in _ids(shown.comments, "comment")) is expected, who
    for who in ("moderator", "admin"):
        shown = changes_since(people[who], draft, rules.standing(people[who], draft), since)
        item = next(i for i in shown.comments.items if i["comment"] == scene["abuse"].id)
        assert item["hidden"] and item["body"] == "Off-topic rant."


def test_under_the_chatham_house_rule_nobody_is_named(draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    since = timezone.now()
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="States must cooperate.")
    services.comment_post(by=participant, clause_id=clause.id, body="We support it.")
    services.clause_create(draft=draft, section_id=clause.section_id, title="New", text="More.", by=participant)
    found = changes_since(people["observer"], draft, "observer", since)
    acts = [*found.amendments_new.items, *found.comments.items, *found.clauses_added.items]
    assert len(acts) == 3
    for item in acts:
        assert item["by"]["name"] is None and item["by"]["speaking_for"]["organization"] is None
        assert item["by"]["speaking_for"]["stakeholder_group"] == "government"
        assert item["who"] == "A participant (Government)" and participant.username not in item["who"]


def test_a_merge_at_a_chatham_house_close_names_nobody_even_once_the_next_round_opens(draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    organization = participant.memberships.first().organization
    since = timezone.now()
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=participant, kind="modify", text="States must cooperate."
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.vote_cast(by=participant, choice="yes", amendment_id=amendment.id)
    services.round_close(round_id=round_.id, by=moderator)
    amendment.refresh_from_db()
    assert amendment.status == "accepted"
    # The next round is an ordinary one: the close's merge is still the closed-doors round's act.
    services.round_open(round_id=services.round_create(draft=draft, by=moderator, title="Open").id, by=moderator)
    (item,) = changes_since(people["observer"], draft, "observer", since).clauses_changed.items
    assert item["by"]["name"] is None and item["by"]["speaking_for"]["organization"] is None
    assert item["who"] == "A participant (Government)"
    assert item["reason"].startswith(f"Amendment {amendment.id} by a participant (Government) merged")
    for told in (item["reason"], item["who"]):
        assert participant.username not in told and organization.name not in told


def test_renumbering_and_a_new_title_count_as_a_change(draft, clause, people):
    since = timezone.now()
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], title="Critical services")
    (item,) = changes_since(people["observer"], draft, "observer", since).clauses_changed.items
    assert item["previous_title"] == "Critical infrastructure" and item["title"] == "Critical services"
    # The words did not change: the redline is the text, unmarked.
    assert all(op["op"] == "equal" for op in item["redline"])


def test_each_list_is_capped_with_its_full_count(draft, clause, people, monkeypatch):
    monkeypatch.setattr(changes_selector, "CAP", 3)
    since = timezone.now()
    for i in range(5):
        services.comment_post(by=people["observer"], clause_id=clause.id, body=f"Remark {i}")
        services.clause_create(draft=draft, section_id=clause.section_id, title=f"N{i}", text="x", by=people["admin"])
    found = changes_since(people["observer"], draft, "observer", since)
    assert (found.comments.count, len(found.comments.items), found.comments.capped) == (5, 3, True)
    assert (found.clauses_added.count, len(found.clauses_added.items)) == (5, 3)
    assert [i["body"] for i in found.comments.items] == ["Remark 0", "Remark 1", "Remark 2"]


def test_the_next_page_holds_the_rest_of_each_list(draft, clause, people, monkeypatch):
    monkeypatch.setattr(changes_selector, "CAP", 3)
    since = timezone.now()
    for i in range(5):
        services.comment_post(by=people["observer"], clause_id=clause.id, body=f"Remark {i}")
    services.clause_create(draft=draft, section_id=clause.section_id, title="Only one", text="x", by=people["admin"])
    first = changes_since(people["observer"], draft, "observer", since)
    assert (first.page, first.pages, first.has_next) == (1, 2, True)
    second = changes_since(people["observer"], draft, "observer", since, page=2)
    assert [i["body"] for i in second.comments.items] == ["Remark 3", "Remark 4"]
    assert (second.comments.count, second.comments.first, second.comments.last) == (5, 4, 5)
    assert not second.has_next and not second.comments.capped
    # A list shorter than a page is empty on page 2, with its count still right.
    assert (second.clauses_added.items, second.clauses_added.count, second.total) == ([], 1, 6)


def test_a_clause_moved_to_another_section_is_listed_with_both_sections(draft, clause, people):
    other = SectionFactory(draft=draft, position=9, title="Capacity building")
    since = timezone.now()
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], section_id=other.id)
    (item,) = changes_since(people["observer"], draft, "observer", since).clauses_changed.items
    assert (item["previous_section"], item["section"]) == (clause.section.title, "Capacity building")
    # A clause changed in place names no earlier section.
    since = timezone.now()
    services.clause_update(clause_id=clause.id, version=2, by=people["moderator"], title="Moved")
    (item,) = changes_since(people["observer"], draft, "observer", since).clauses_changed.items
    assert (item["previous_section"], item["section"]) == ("", "Capacity building")


def test_a_comment_edited_since_is_listed_as_edited(draft, clause, people):
    observer = people["observer"]
    remark = services.comment_post(by=observer, clause_id=clause.id, body="First thought.")
    hidden = services.comment_post(by=observer, clause_id=clause.id, body="Rant.")
    since = timezone.now()
    with time_machine.travel(since + timedelta(minutes=5)):
        services.comment_edit(comment_id=remark.id, by=observer, body="Second thought.")
        services.comment_edit(comment_id=hidden.id, by=observer, body="Still a rant.")
        services.comment_hide(comment_id=hidden.id, by=people["moderator"], reason="Off topic")
        fresh = services.comment_post(by=people["participant"], clause_id=clause.id, body="New.")
    items = changes_since(people["participant"], draft, "participant", since).comments.items
    assert [(i["comment"], i["change"], i["body"]) for i in items] == [
        (remark.id, "edited", "Second thought."),
        (fresh.id, "written", "New."),
    ]
    assert items[0]["edited_at"] > since >= items[0]["created_at"]
    # The moderator sees the hidden one's edit too.
    moderated = changes_since(people["moderator"], draft, "moderator", since).comments.items
    assert {i["comment"] for i in moderated} == {remark.id, hidden.id, fresh.id}


def _grow(draft, people, since, size):
    """``size`` clauses reworded, ``size`` added, ``size`` withdrawn, and as many amendments, comments,
    replies and decisions, all after ``since`` (what they change was there before it)."""
    moderator, participant = people["moderator"], people["participant"]
    with time_machine.travel(since - timedelta(hours=1)):
        section = SectionFactory(draft=draft, position=50 + size)
        base = [ClauseFactory(section=section, number=100 * size + i, status="agreed") for i in range(2 * size)]
        older = [
            services.amendment_submit(clause_id=c.id, by=participant, kind="modify", text="Old words.")
            for c in base[:size]
        ]
    with time_machine.travel(since + timedelta(hours=1)):
        for i, c in enumerate(base[:size]):
            services.clause_update(clause_id=c.id, version=1, by=moderator, text=f"Reworded {i}.")
            services.amendment_withdraw(amendment_id=older[i].id, by=participant)
            services.clause_create(draft=draft, section_id=section.id, title=f"New {i}", text="x", by=participant)
            remark = services.comment_post(by=people["observer"], clause_id=c.id, body=f"Remark {i}")
            services.comment_post(by=participant, clause_id=c.id, parent_id=remark.id, body="Reply")
        for c in base[size:]:
            services.amendment_submit(clause_id=c.id, by=participant, kind="modify", text="New words.")
            services.clause_update(clause_id=c.id, version=1, by=moderator, status="withdrawn")


def test_the_query_count_stays_the_same_with_ten_times_the_changes(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    participant = people["participant"]
    api, page = client_for(participant), Client()
    page.force_login(participant)
    start, counts = timezone.now(), []
    for week, size in enumerate((5, 50), start=1):
        since = start + timedelta(weeks=week)
        _grow(draft, people, since, size)
        with CaptureQueriesContext(connection) as queries:
            found = changes_since(participant, draft, "participant", since)
        assert found.clauses_changed.count == size and found.clauses_removed.count == size
        assert found.clauses_added.count == size and found.amendments_decided.count == size
        assert found.amendments_new.count == size and found.comments.count == 2 * size
        measured = {"selector": len(queries)}
        DraftVisit.objects.update_or_create(
            user=participant, draft=draft, defaults={"seen_at": since, "last_viewed_at": timezone.now()}
        )
        for name, client, url in (
            ("API", api, f"/api/v1/drafts/{draft.slug}/changes/"),
            ("page", page, f"/drafts/{draft.slug}/changes/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(url)
            assert answer.status_code == 200, (name, answer.status_code)
            measured[name] = len(queries)
        counts.append(measured)
    # The rounds, the touched clauses, their versions then and now, the new and the decided
    # amendments, the comments, and whom everyone spoke for. Both doors add the draft with the
    # reader's role (two queries) and their last visit (one); the page also reads the signed-in
    # person and the header's count of unread notifications.
    # And one more: how far the lists are whole (the oldest transaction still writing); and one for
    # the live sessions closed since.
    pinned = {"selector": 9, "API": 12, "page": 14}
    assert counts == [pinned, pinned], counts
