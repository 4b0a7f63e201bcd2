"""The close preview shows what closing would do, and closing then does exactly that.

The scene has rival amendments (two change "should"; a deletion and a rewording of one clause),
settled by most support, a three-way merge (a second accepted amendment to other words of a
clause an earlier one changed), a proposal adopted and amended, a split vote the rules decide
differently, and an item nobody voted on.
"""

import re

import pytest

from drafting import services
from drafting.models import Amendment, Clause, ItemResult, Snapshot
from drafting.selectors import compare_snapshots
from drafting.selectors.preview import round_close_preview
from notifications.models import Event
from tests.drafting.factories import ClauseFactory, cast, make_voters, show_tallies

pytestmark = pytest.mark.django_db

BASE = "States should not knowingly allow their territory to be used for wrongful acts."
ALL_YES = {"government": "yy", "industry": "yy"}
ALL_NO = {"government": "nn", "industry": "nn"}
# Three yes to one no, industry split: carried by a majority and by two thirds, not by consensus
# (there is a no) nor multistakeholder (no majority inside industry).
SPLIT = {"government": "yy", "industry": "yn"}
SPLIT_PASSES = {"simple_majority": True, "two_thirds": True, "consensus": False, "multistakeholder": False}


def _scene(draft, section, people, rule: str) -> dict:
    moderator = people["moderator"]
    target = ClauseFactory(section=section, number=10, title="Territory", text=BASE)
    doomed = ClauseFactory(section=section, number=11, title="Doomed", text="Old wording to delete.")
    split = ClauseFactory(section=section, number=12, title="Split", text=BASE)
    quiet = ClauseFactory(section=section, number=13, title="Quiet", text=BASE)
    before = services.snapshot_create(draft=draft, label="Informal text", by=moderator)
    round_ = services.round_create(
        draft=draft, by=moderator, title="First reading", voting_rule=rule, hide_tallies_until_close=False
    )
    services.round_open(round_id=round_.id, by=moderator)
    voters = make_voters(draft, government=2, industry=2)
    author = people["participant"]

    def amend(clause, text="", kind="modify"):
        return services.amendment_submit(clause_id=clause.id, by=author, kind=kind, text=text)

    adopted = services.clause_create(
        draft=draft, section_id=section.id, title="Contacts", text="Name a point of contact.", by=author
    )
    refused = services.clause_create(
        draft=draft, section_id=section.id, title="Sanctions", text="Punish offenders.", by=author
    )
    votes = [(adopted, ALL_YES), (refused, ALL_NO)]
    s = {"round": round_, "before": before, "target": target, "doomed": doomed, "split": split, "adopted": adopted}
    s["must"] = amend(target, BASE.replace("should", "must"))  # merged
    s["elsewhere"] = amend(target, BASE.replace("wrongful", "internationally wrongful"))  # merged three-way
    s["shall"] = amend(target, BASE.replace("should", "shall"))  # a rival of "must", as supported: superseded
    s["reworded"] = amend(doomed, "Other words.")  # rejected
    s["deletion"] = amend(doomed, kind="delete")  # deletes the clause
    s["too_late"] = amend(doomed, "Old wording, kept.")  # a rival of the deletion, submitted later: superseded
    s["all_states"] = amend(split, BASE.replace("States", "All States"))  # the rule decides
    s["every_state"] = amend(split, BASE.replace("States should", "Every State should"))  # more support: merged
    s["contacts"] = amend(adopted, "Name a point of contact for incidents.")  # merges into the adopted text
    s["unvoted"] = amend(quiet, BASE.replace("acts", "deeds"))  # no vote: carried over
    votes += [
        (s["must"], ALL_YES),
        (s["elsewhere"], ALL_YES),
        (s["shall"], ALL_YES),
        (s["reworded"], ALL_NO),
        (s["deletion"], ALL_YES),
        (s["too_late"], ALL_YES),
        (s["all_states"], SPLIT),
        (s["every_state"], ALL_YES),
        (s["contacts"], ALL_YES),
    ]
    s["round"] = services.round_start_voting(round_id=round_.id, by=moderator)
    for item, pattern in votes:
        cast(voters, item, pattern)
    return s


def _written(draft) -> tuple:
    """Everything closing writes, as a reader could see it."""
    clauses = list(Clause.objects.filter(draft=draft).order_by("pk").values_list("pk", "text", "status", "version"))
    history = sum(c.history.count() for c in Clause.objects.filter(draft=draft))
    amendments = list(Amendment.objects.filter(clause__draft=draft).order_by("pk").values_list("pk", "status"))
    return clauses, history, amendments, ItemResult.objects.count(), Snapshot.objects.count(), Event.objects.count()


def _comparable(rows: list[dict]) -> list[tuple]:
    """The compare's rows as the preview and the real snapshots both give them; an added or removed
    clause's whole text is the preview's own addition."""
    return [
        (
            r["clause"],
            r["label"],
            r["previous_label"],
            r["title"],
            r["change"],
            r["diff"] if r["change"] == "changed" else None,
        )
        for r in rows
    ]


@pytest.mark.parametrize("rule", ["simple_majority", "two_thirds", "consensus", "multistakeholder"])
def test_closing_does_exactly_what_the_preview_showed(draft, section, people, rule):
    s = _scene(draft, section, people, rule)
    round_ = s["round"]
    unchanged = _written(draft)

    preview = round_close_preview(round_, standing_="moderator")
    assert _written(draft) == unchanged, "the preview wrote something"

    services.round_close(round_id=round_.id, by=people["moderator"])

    # Each item: the outcome and the effect the results now record.
    stored = ItemResult.objects.filter(round=round_).order_by("id")
    assert [(r["item"]["type"], r["item"]["id"], r["outcome"], r["effect"]) for r in preview.items] == [
        (r.item_type, r.clause_id or r.amendment_id, r.outcome, r.effect) for r in stored
    ]
    # Each amendment: conflicted exactly where the preview said it would conflict.
    by_id = {r["item"]["id"]: r for r in preview.items if r["item"]["type"] == "amendment"}
    for amendment in Amendment.objects.filter(round=round_):
        assert (by_id[amendment.id]["conflict"] is not None) == (amendment.status == "conflicted"), amendment.id
    # Each merge: the version it made has the text the preview showed, and the clause ends as the last one left it.
    merged_last = {}
    for amendment_id, row in by_id.items():
        if row["merged_text"] is not None:
            amendment = Amendment.objects.get(pk=amendment_id)
            version = amendment.clause.history.filter(history_change_reason__startswith=f"Amendment {amendment_id} ")
            assert version.get().text == row["merged_text"]
            merged_last[amendment.clause_id] = row["merged_text"]
    for clause_id, text in merged_last.items():
        assert Clause.objects.get(pk=clause_id).text == text
    # The whole draft: the redline against the last snapshot is the compare of the one closing froze.
    rev = Snapshot.objects.get(round=round_)
    assert preview.snapshot_label == rev.label
    assert preview.compared_with == s["before"]
    assert _comparable(preview.clauses) == _comparable(compare_snapshots(s["before"], rev))

    # The scene meant what it says under this rule.
    effects = {key: by_id[s[key].id]["effect"] for key in ("must", "elsewhere", "shall", "deletion", "too_late")}
    assert effects == {
        "must": "merged",
        "elsewhere": "merged three-way",
        "shall": f"superseded by amendment {s['must'].id}",
        "deletion": "deleted",
        "too_late": f"superseded by amendment {s['deletion'].id}",
    }
    split_passed = SPLIT_PASSES[rule]
    assert by_id[s["all_states"].id]["outcome"] == ("superseded" if split_passed else "rejected")
    assert by_id[s["every_state"].id]["effect"] == "merged"
    assert by_id[s["unvoted"].id]["effect"] == "carried over"
    assert by_id[s["contacts"].id]["merged_text"] == "Name a point of contact for incidents."
    three_way = "States must not knowingly allow their territory to be used for internationally wrongful acts."
    assert by_id[s["elsewhere"].id]["merged_text"] == three_way


def test_the_preview_says_why_each_rival_is_superseded_and_shows_the_draft_as_closing_leaves_it(draft, section, people):
    s = _scene(draft, section, people, "simple_majority")
    preview = round_close_preview(s["round"], standing_="moderator")
    by_id = {r["item"]["id"]: r for r in preview.items if r["item"]["type"] == "amendment"}
    must, shall = s["must"].id, s["shall"].id
    assert by_id[shall]["outcome"] == "superseded" and by_id[shall]["conflict"] is None
    assert by_id[shall]["reason"].endswith(
        f"Amendment {must} changes the same or adjacent words and ties with it at 4 for, 0 against and was "
        "submitted first; only one of them can be accepted."
    )
    assert "it has the most support (tied with amendment" in by_id[must]["reason"]
    assert by_id[s["all_states"].id]["reason"].endswith(
        f"Amendment {s['every_state'].id} changes the same or adjacent words and has more support (4 for, 0 against); "
        "only one of them can be accepted."
    )
    assert by_id[s["reworded"].id]["outcome"] == "rejected"  # its own vote rejected it: it stays rejected
    assert [(r["amendments"], r["accepted"]) for r in preview.rivals] == [
        ([must, shall], must),
        ([s["reworded"].id, s["deletion"].id, s["too_late"].id], s["deletion"].id),
        ([s["all_states"].id, s["every_state"].id], s["every_state"].id),
    ]
    # The merge redline marks the three-way merge against the text the earlier merge left.
    redline = by_id[s["elsewhere"].id]["merge_redline"]
    assert {"op": "insert", "text": "internationally "} in redline
    assert "must" in "".join(c["text"] for c in redline if c["op"] == "equal")
    assert preview.summary == {
        "accepted": 6,
        "rejected": 2,
        "no_quorum": 1,
        "superseded": 3,
        "carried_over": 0,
        "conflicted": 0,
        "merged": 5,
    }
    changes = {row["title"]: row["change"] for row in preview.clauses}
    assert changes["Doomed"] == "removed" and changes["Contacts"] == "added" and changes["Quiet"] == "unchanged"
    assert "Sanctions" not in changes  # a rejected proposal is not in the text
    assert [row["label"] for row in preview.clauses if row["change"] != "removed"] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("phase_moves", "standing", "error"),
    [
        (0, "moderator", 409),
        (1, "moderator", 409),
        (3, "moderator", 409),
        (2, "participant", 403),
        (2, "observer", 403),
    ],
)
def test_the_preview_is_for_moderators_while_the_round_votes(draft, people, phase_moves, standing, error):
    from codeofconduct.errors import DomainError

    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    moves = [services.round_open, services.round_start_voting, services.round_close]
    for move in moves[:phase_moves]:
        move(round_id=round_.id, by=moderator)
    round_.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        round_close_preview(round_, standing_=standing)
    assert refused.value.status_code == error
    if error == 409:
        assert "only while it is voting" in refused.value.message and refused.value.extra["phase"] == round_.phase


# The pages: the preview with its close button, and the look before every irreversible move.


def test_the_console_leads_to_the_preview_whose_button_closes_the_round(client, closed_round, clause, people):
    round_ = show_tallies(closed_round["round"])
    client.force_login(people["moderator"])
    console = client.get(f"/rounds/{round_.id}/console/").content.decode()
    assert f'href="/rounds/{round_.id}/close-preview/"' in console and "Close now" in console
    assert f'action="/rounds/{round_.id}/close/"' not in console  # no one-click close any more
    assert (
        f'href="/rounds/{round_.id}/close-preview/"'
        in client.get(f"/drafts/{clause.draft.slug}/rounds/").content.decode()
    )
    assert client.get(f"/rounds/{round_.id}/close/").url == f"/rounds/{round_.id}/close-preview/"

    page = client.get(f"/rounds/{round_.id}/close-preview/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "nothing has changed yet" in html and "Rev.1 is published" in html
    assert "<ins>must</ins>" in html  # the merge's redline against the clause text
    assert html.count('data-testid="preview-row"') == 2 and "Industry" in html
    assert f'action="/rounds/{round_.id}/close/"' in html and "Close now and publish Rev.1" in html
    assert Clause.objects.get(pk=clause.pk).version == 1

    closed = client.post(f"/rounds/{round_.id}/close/", follow=True)
    assert "is now closed" in closed.content.decode()
    assert Clause.objects.get(pk=clause.pk).text == clause.text.replace("should", "must")
    again = client.get(f"/rounds/{round_.id}/close-preview/")
    assert again.status_code == 409 and "only while it is voting" in again.content.decode()


def test_the_preview_page_shows_each_rival_set_with_its_choice(client, draft, section, people):
    s = _scene(draft, section, people, "consensus")
    client.force_login(people["moderator"])
    html = client.get(f"/rounds/{s['round'].id}/close-preview/").content.decode()
    assert html.count('data-testid="rival-set"') == 3  # "must"-"shall", the doomed clause's, "States"
    assert 'data-testid="preview-conflict"' not in html  # a rival is settled, never left to conflict
    assert f'name="rival_set" value="{s["must"].id},{s["shall"].id}"' in html
    assert f'name="choice-{s["must"].id},{s["shall"].id}" value="most_support" form="close" checked' in html
    assert "Superseded by amendment" in html and "Deletes the clause" in html and "Merged three-way" in html
    assert "Informal text" in html and "(was " in html  # against the last snapshot, with the numbers it changes


def test_people_who_cannot_close_get_no_preview(client, closed_round, people):
    round_ = closed_round["round"]
    client.force_login(people["participant"])
    refused = client.get(f"/rounds/{round_.id}/close-preview/")
    assert refused.status_code == 403 and "preview closing" in refused.content.decode()


def test_starting_the_vote_asks_first_and_cancel_changes_nothing(client, round_, clause, people):
    client.force_login(people["moderator"])
    console = client.get(f"/rounds/{round_.id}/console/").content.decode()
    assert f'href="/rounds/{round_.id}/start-voting/"' in console
    page = client.get(f"/rounds/{round_.id}/start-voting/?next=/rounds/{round_.id}/console/")
    html = page.content.decode()
    assert page.status_code == 200 and "Start voting in “First reading”?" in html
    assert "Proposals freeze" in html and "0 proposed clauses and 0 amendments go to the vote" in html
    assert f'action="/rounds/{round_.id}/start-voting/"' in html and "csrfmiddlewaretoken" in html
    assert f'href="/rounds/{round_.id}/console/" data-testid="cancel"' in html
    round_.refresh_from_db()
    assert round_.phase == "open"
    client.post(f"/rounds/{round_.id}/start-voting/")
    round_.refresh_from_db()
    assert round_.phase == "voting"
    assert client.get(f"/rounds/{round_.id}/start-voting/").status_code == 409  # not from voting
    client.force_login(people["participant"])
    assert client.get(f"/rounds/{round_.id}/close/", follow=True).status_code == 403


def test_withdrawing_an_amendment_asks_first(client, round_, clause, people):
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New.")
    client.force_login(people["participant"])
    detail = client.get(f"/amendments/{amendment.id}/").content.decode()
    assert f'href="/amendments/{amendment.id}/withdraw/"' in detail and "withdraw-form" not in detail
    page = client.get(f"/amendments/{amendment.id}/withdraw/").content.decode()
    assert "can never be submitted again" in page and "<ins>New</ins>" in page
    assert Amendment.objects.get(pk=amendment.pk).status == "submitted"
    client.post(f"/amendments/{amendment.id}/withdraw/")
    assert Amendment.objects.get(pk=amendment.pk).status == "withdrawn"
    assert client.get(f"/amendments/{amendment.id}/withdraw/").status_code == 409
    client.force_login(people["observer"])
    assert client.get(f"/amendments/{amendment.id}/withdraw/").status_code == 403


def test_reverting_a_clause_shows_its_redline_first(client, clause, people):
    moderator = people["moderator"]
    original = clause.text
    services.clause_update(
        clause_id=clause.id, version=1, by=moderator, title=clause.title, text="Rewritten.", status=None, reason="x"
    )
    client.force_login(moderator)
    detail = client.get(f"/clauses/{clause.id}/").content.decode()
    assert f'<form method="get" action="/clauses/{clause.id}/revert/"' in detail
    page = client.get(f"/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "Back to the agreed text"})
    html = page.content.decode()
    assert page.status_code == 200 and f"Revert clause {clause.ref} to version 1?" in html
    assert "<del>Rewritten</del>" in html and f"<ins>{original.rstrip('.')}</ins>" in html
    assert "Version 2 stays in its history" in html
    assert 'type="hidden" name="to_version" value="1"' in html and 'value="Back to the agreed text"' in html
    assert Clause.objects.get(pk=clause.pk).version == 2

    missing = client.get(f"/clauses/{clause.id}/revert/", {"to_version": 9, "reason": "Keep this"})
    assert missing.status_code == 404 and "Keep this" in missing.content.decode()  # on the clause page's form
    same = client.get(f"/clauses/{clause.id}/revert/", {"to_version": 2, "reason": "Keep this"})
    assert same.status_code == 409 and "already at version 2" in same.content.decode()
    assert client.get(f"/clauses/{clause.id}/revert/").url == f"/clauses/{clause.id}/#revert"

    client.post(f"/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "Back to the agreed text"})
    assert (Clause.objects.get(pk=clause.pk).version, Clause.objects.get(pk=clause.pk).text) == (3, original)
    client.force_login(people["participant"])
    assert client.get(f"/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "x"}).status_code == 403


def test_hiding_a_comment_asks_first_with_the_reason_typed(client, clause, people):
    from drafting.models import Comment

    comment = services.comment_post(by=people["observer"], clause_id=clause.id, body="Rude words.", stance="oppose")
    client.force_login(people["moderator"])
    detail = client.get(f"/clauses/{clause.id}/").content.decode()
    assert f'<form method="get" action="/comments/{comment.id}/hide/"' in detail
    page = client.get(f"/comments/{comment.id}/hide/", {"reason": "Insult", "next": f"/clauses/{clause.id}/"})
    html = page.content.decode()
    assert page.status_code == 200 and "Rude words." in html and 'value="Insult"' in html
    assert f'href="/clauses/{clause.id}/#comment-{comment.id}" data-testid="cancel"' in html
    assert not Comment.objects.get(pk=comment.pk).hidden
    done = client.post(f"/comments/{comment.id}/hide/", {"reason": "Insult", "next": f"/clauses/{clause.id}/"})
    assert done.url == f"/clauses/{clause.id}/#comments"
    assert Comment.objects.get(pk=comment.pk).hidden_reason == "Insult"
    client.force_login(people["participant"])
    assert client.get(f"/comments/{comment.id}/hide/").status_code == 403


def test_the_preview_takes_the_same_queries_for_a_small_and_a_large_ballot(client, draft, section, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.drafting.test_round_close_scale import _ballot

    client.force_login(people["moderator"])
    client.get("/")  # the session's first save is not the preview's
    counts = []
    for targets, first_number in ((2, 100), (9, 200)):
        scene = _ballot(draft, section, people, targets=targets, voters=3, first_number=first_number)
        services.snapshot_create(draft=draft, label=f"Before {targets}", by=people["moderator"])
        url = f"/rounds/{scene['round'].id}/close-preview/"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        services.round_close(round_id=scene["round"].id, by=people["moderator"])
    assert counts[0] == counts[1], counts


def test_a_conflict_with_an_edit_made_before_the_vote_names_the_version(draft, clause, round_, people):
    moderator = people["moderator"]
    show_tallies(round_)
    other = ClauseFactory(section=clause.section, number=50, title="Other", text=clause.text)
    rewording = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    deletion = services.amendment_submit(clause_id=other.id, by=people["participant"], kind="delete", text="")
    for edited in (clause, other):
        services.clause_update(
            clause_id=edited.id,
            version=1,
            by=moderator,
            title=edited.title,
            text=edited.text.replace("should", "ought to"),
            status=None,
            reason="Editorial",
        )
    voters = make_voters(draft, government=1)
    round_ = services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, rewording, {"government": "y"})
    cast(voters, deletion, {"government": "y"})
    conflicts = [row["conflict"] for row in round_close_preview(round_, standing_="moderator").items]
    ref, other_ref = Clause.objects.get(pk=clause.pk).ref, Clause.objects.get(pk=other.pk).ref
    assert conflicts == [
        f"It changes words that were changed in clause {ref} since version 1.",
        f"It deletes the text of version 1, but clause {other_ref} has changed since.",
    ]


def test_a_round_hiding_its_tallies_previews_participation_not_how_the_votes_stand(client, closed_round, people):
    """The moderator of a round that hides its tallies (who may also speak for a delegation) sees who
    has voted, per group and per item, and the close button: no outcome, count of yes or no, or merge."""
    round_ = closed_round["round"]
    client.force_login(people["moderator"])
    page = client.get(f"/rounds/{round_.id}/close-preview/")
    html = page.content.decode()
    assert page.status_code == 200 and "hides its tallies until it closes, from you too" in html
    rows = html.split('data-testid="preview-ballot"')[1].split("</table>")[0]
    assert rows.count('data-testid="preview-row"') == 2 and "<td>6</td>" in rows  # six voted on each
    participation = html.split('data-testid="participation"')[1].split("</table>")[0]
    assert re.search(r"Government</td><td>\d+</td><td>3</td><td>6</td>", participation), participation
    for tell in ("outcome", " yes", "Accepted", "Rejected", "merge-redline", "tally-bar", "preview-compare"):
        assert tell not in html, tell
    assert f'action="/rounds/{round_.id}/close/"' in html
    assert "hides its tallies" in client.get(f"/rounds/{round_.id}/results/").content.decode()
