"""A JSON file whose values are of the wrong type or shape, in the places a crafted file once
broke the import with an unexpected exception (TypeError, AttributeError, DataError,
IntegrityError) instead of a 400, or got in wrongly: each is refused naming its path in the file,
and nothing is written. ``test_import_sweep`` tries every place of the file with every such value."""

import json
import re

import pytest

from accounts.models import Organization, User
from drafting.models import Comment, Draft, ItemResult, Snapshot, SnapshotClause
from tests.drafting.documents.conftest import post, refused

pytestmark = pytest.mark.django_db


def changed(data, change):
    copy = json.loads(json.dumps(data))
    change(copy)
    return copy


def setting(data, path: str, value):
    """A copy of ``data`` with the value at ``path`` ("record.votes[0].round") replaced."""
    *steps, last = [int(step) if step.isdigit() else step for step in re.findall(r"[^.\[\]]+", path)]
    copy = json.loads(json.dumps(data))
    place = copy
    for step in steps:
        place = place[step]
    place[last] = value
    return copy


def test_ids_and_links_that_are_lists_or_objects_are_refused_by_their_path(rich_record, people):
    """An id compared with ids, looked up or kept in a set once failed with a TypeError."""
    record = rich_record["record"]
    assert record["comments"][1]["parent"] == record["comments"][0]["id"]
    for path in (
        "record.comments[1].parent",
        "record.comments[0].id",
        "record.votes[0].clause",
        "record.votes[0].round",
        "record.results[0].round",
        "record.clause_owners[0].round",
        "record.clause_owners[0].clause",
        "sections[0].clauses[0].id",
        "record.amendments[0].clause",
        "record.snapshots[1].round",
        "record.snapshots[0].clauses[0].clause",
        "record.comments[0].disposition.round",
        "record.rounds[0].id",
    ):
        for value in ([1], {"id": 1}, True, "1"):
            message = refused(setting(rich_record, path, value), people["admin"])
            assert message.startswith(f"{path}: ") and "is not an id" in message, message
    assert Draft.objects.count() == 1 and not User.objects.filter(is_active=False).exists()


def test_a_number_or_a_boolean_where_text_is_expected_is_refused_by_its_path(rich_record, people):
    """Each once reached a service's ``.strip()`` (AttributeError) or a column (DataError)."""
    for path in (
        "draft.title",
        "draft.summary",
        "sections[0].title",
        "sections[0].clauses[0].history[1].title",
        "sections[0].clauses[0].history[1].changed_by",
        "sections[0].clauses[0].history[1].reason",
        "sections[0].clauses[0].rationale",
        "record.clause_owners[0].proposer",
        "record.rounds[0].title",
        "record.amendments[0].text",
        "record.comments[0].body",
        "record.comments[0].hidden_reason",
        "record.comments[0].disposition.reason",
        "record.snapshots[0].label",
        "record.snapshots[0].clauses[0].previous_label",
        "record.votes[0].organization.name",
        "record.results[0].reason",
        "record.results[0].effect",
    ):
        for value in (5, True, 2.5):
            message = refused(setting(rich_record, path, value), people["admin"])
            assert message.startswith(f"{path}: "), message
            assert "not text" in message or "not a name" in message, message
    assert Draft.objects.count() == 1


def test_an_organization_name_too_long_for_its_column_is_refused(rich_record, people):
    organizations = Organization.objects.count()

    path = "record.votes[0].organization.name"
    assert refused(setting(rich_record, path, "N" * 201), people["admin"]) == (
        f"{path}: Name is 201 characters; the limit is 200."
    )
    # 20 characters in the file, 360 once written as sign-up writes a name (NFKC).
    refused(setting(rich_record, path, "\ufdfa" * 20), people["admin"], path, "longer than 200 characters")
    assert Organization.objects.count() == organizations and Draft.objects.count() == 1


def test_parts_of_the_wrong_shape_are_refused_by_their_path(rich_record, people):
    clause = lambda d: d["sections"][0]["clauses"][0]  # noqa: E731
    shapes = [
        (lambda d: d["sections"].__setitem__(0, "x"), "sections[0]: not an object."),
        (lambda d: d["record"].update(snapshots=5), "record.snapshots: not a list."),
        (lambda d: d["record"].update(snapshots=[5]), "record.snapshots[0]: not an object."),
        (lambda d: d["record"].update(votes={"a": 1}), "record.votes: not a list."),
        (lambda d: d["record"].update(comments="abc"), "record.comments: not a list."),
        (lambda d: d["record"]["snapshots"][0].update(clauses=3), "record.snapshots[0].clauses: not a list."),
        (lambda d: d.update(record=[1]), "record: not an object."),
        (lambda d: clause(d).update(history=5), "sections[0].clauses[0].history: not a list."),
        (lambda d: clause(d)["history"].__setitem__(0, 3), "sections[0].clauses[0].history[0]: not an object."),
        (lambda d: clause(d)["history"][0].update(speaking_for="x"), ".history[0].speaking_for: not an object."),
        (lambda d: d["record"]["comments"][0].update(disposition=[]), "record.comments[0].disposition: not an"),
        (lambda d: d["record"]["clauses_out_of_text"][0].update(section="x"), "[0].section: missing or not an"),
        (lambda d: d["record"]["snapshots"][0].update(identity=[]), "record.snapshots[0].identity: not a document"),
        (lambda d: d["record"]["results"][0].update(by_group=[]), "record.results[0].by_group: not an object of"),
    ]
    for change, words in shapes:
        refused(changed(rich_record, change), people["admin"], words)
    assert Draft.objects.count() == 1


def test_a_null_suffix_is_no_suffix_and_one_past_the_column_is_refused(rich_record, people):
    def clear(d):
        for snapshot in d["record"]["snapshots"]:
            for row in snapshot["clauses"]:
                row["number_suffix"] = None
        for result in d["record"]["results"]:
            result["cited_suffix"] = None
        d["sections"][0]["clauses"][0]["number_suffix"] = None

    response = post(changed(rich_record, clear), people["admin"])
    assert response.status_code == 201, response.content
    copy = Draft.objects.get(slug=response.json()["slug"])
    assert set(SnapshotClause.objects.filter(snapshot__draft=copy).values_list("number_suffix", flat=True)) == {0}
    assert set(ItemResult.objects.filter(round__draft=copy).values_list("cited_suffix", flat=True)) == {0}
    too_far = changed(rich_record, lambda d: d["record"]["results"][0].update(cited_suffix=32768))
    refused(too_far, people["admin"], "record.results[0].cited_suffix: not a whole number from 0 to 32,767.")


def test_the_same_clause_twice_in_a_snapshot_is_refused_before_anything_is_written(rich_record, people):
    """The second row once met the clause_once_per_snapshot constraint (IntegrityError) at write."""
    snapshots = Snapshot.objects.count()

    def twice(d):
        rows = d["record"]["snapshots"][1]["clauses"]
        rows.append({**rows[0], "title": "Again"})

    at = len(rich_record["record"]["snapshots"][1]["clauses"])
    assert refused(changed(rich_record, twice), people["admin"]) == (
        f"record.snapshots[1].clauses[{at}].clause: this clause is given twice in the snapshot."
    )
    assert Snapshot.objects.count() == snapshots and Draft.objects.count() == 1


def test_every_comment_has_an_id_and_a_reply_answers_one_before_it_on_the_same_text(rich_record, people):
    """A comment without an id once became the parent of every later comment with ``parent: null``."""
    admin, comments = people["admin"], rich_record["record"]["comments"]
    without_id = changed(rich_record, lambda d: d["record"]["comments"][0].pop("id"))
    refused(without_id, admin, "record.comments[0].id: missing")
    reply_first = changed(rich_record, lambda d: d["record"]["comments"].reverse())
    refused(reply_first, admin, f"record.comments[{len(comments) - 2}].parent: names no comment before it in the file.")
    own_parent = changed(rich_record, lambda d: d["record"]["comments"][0].update(parent=comments[0]["id"]))
    refused(own_parent, admin, "record.comments[0].parent: names no comment before it")
    elsewhere = comments[2]["amendment"]
    other_text = changed(rich_record, lambda d: d["record"]["comments"][1].update(clause=None, amendment=elsewhere))
    refused(other_text, admin, "record.comments[1].parent: a reply is on the clause or amendment its comment is on.")
    same_id = changed(rich_record, lambda d: d["record"]["comments"][2].update(id=comments[1]["id"]))
    refused(same_id, admin, "record.comments[2].id: a second comment with this id.")
    both = changed(rich_record, lambda d: d["record"]["comments"][2].update(clause=comments[0]["clause"]))
    refused(both, admin, "record.comments[2].amendment: on a clause and an amendment at once")
    neither = changed(rich_record, lambda d: d["record"]["comments"][2].update(amendment=None))
    refused(neither, admin, "record.comments[2]: on no clause or amendment")
    assert Comment.objects.filter(clause__draft__in=Draft.objects.exclude(pk=Draft.objects.first().pk)).count() == 0

    copy = Draft.objects.get(slug=post(rich_record, admin).json()["slug"])
    reply = Comment.objects.get(clause__draft=copy, parent__isnull=False)
    assert (
        reply.parent.body == comments[0]["body"] and not Comment.objects.filter(amendment__clause__draft=copy)[0].parent
    )


def test_an_id_given_twice_is_refused(rich_record, people):
    record = rich_record["record"]
    for change, words in (
        (lambda d: d["record"]["rounds"].append(dict(record["rounds"][0])), "record.rounds[1].id: a second round"),
        (
            lambda d: d["record"]["clauses_out_of_text"][0].update(id=d["sections"][0]["clauses"][0]["id"]),
            "record.clauses_out_of_text[0].id: a second clause with this id.",
        ),
        (
            lambda d: d["record"]["amendments"].append(dict(record["amendments"][0])),
            "record.amendments[1].id: a second amendment with this id.",
        ),
    ):
        refused(changed(rich_record, change), people["admin"], words)
    assert Draft.objects.count() == 1
