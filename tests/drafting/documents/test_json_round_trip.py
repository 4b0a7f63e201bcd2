"""The JSON export read back: the document's identity and redline, and a draft moved to a fresh
draft with its record (history authors and dates, snapshots, rounds, amendments, comments with
dispositions, votes) as it was."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from drafting import services
from drafting.models import Clause, Draft
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def export(draft, user=None, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": "json", **params}.items())
    response = client_for(user).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def to_the_millisecond(moment):
    """What the file keeps of a moment: whole milliseconds (".000412" is ".000")."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def import_(data, user):
    upload = SimpleUploadedFile("draft.json", json.dumps(data).encode())
    response = client_for(user).post("/api/v1/drafts/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    return Draft.objects.get(slug=response.json()["slug"])


def test_the_json_carries_identity_references_and_a_redline_with_status_changes(draft, clause, people):
    moderator = people["moderator"]
    services.draft_update(draft=draft, by=people["admin"], symbol="CCC/2026/L.3", distribution="limited")
    before = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    services.clause_update(clause_id=clause.id, version=1, by=moderator, status="bracketed")
    after = services.snapshot_create(draft=draft, label="First reading", by=moderator)
    data = export(draft, snapshot=after.id, redline=before.id)
    assert data["format_version"] == 2
    identity = data["document"]
    assert (identity["symbol"], identity["full_symbol"], identity["revision"]) == (
        "CCC/2026/L.3",
        "CCC/2026/L.3/Rev.2 compared with Rev.1",
        2,
    )
    assert (identity["title"], identity["edition"]) == ("Comparison of Rev.1 and Rev.2", "comparison")
    assert identity["notice"] == "Prepared for convenience; not an official document"
    assert (identity["distribution"], identity["original_language"]) == ("Limited", "en")
    assert identity["issuing_body"] == draft.owning_body and identity["redline_against"]["revision"] == 1
    section = data["sections"][0]
    assert (section["kind"], section["numeral"]) == ("operative", "I")
    entry = section["clauses"][0]
    assert (entry["ref"], entry["preambular"]) == ("OP1", False)
    assert {"kind": "status", "from": "agreed", "to": "bracketed"} in entry["changes"]
    assert entry["redline"][0] == {"op": "insert", "text": "["} and entry["redline"][-1] == {
        "op": "insert",
        "text": "]",
    }
    assert entry["changed_by"] == "the Chair" and entry["changed_at"]  # the secretariat's bracketing
    plain = export(draft, snapshot=after.id)
    assert "changes" not in plain["sections"][0]["clauses"][0] and plain != data
    # The record (hidden comments, each person's votes) is for the draft's moderators only.
    assert "record" not in export(draft) and "record" in export(draft, moderator)


@pytest.fixture
def negotiated(draft, clause, people, closed_round):
    """A closed round with a proposal, an amendment, a comment with a reply and a disposition, votes,
    a snapshot made by closing, and a second snapshot published by hand the same day."""
    moderator = people["moderator"]
    remark = closed_round["remark"]
    reply = services.comment_post(
        by=people["participant"], clause_id=clause.id, parent_id=remark.id, body="We prefer 'must'.", stance="support"
    )
    services.comment_hide(comment_id=reply.id, by=moderator, reason="Off topic")
    services.comment_dispose(
        comment_id=remark.id, by=moderator, disposition="noted", reason="Kept for the next reading"
    )
    services.round_close(round_id=closed_round["round"].id, by=moderator)
    clause.refresh_from_db()
    services.clause_update(
        clause_id=clause.id, version=clause.version, by=moderator, status="bracketed", reason="Back to brackets"
    )
    services.snapshot_create(draft=draft, label="Second reading", by=moderator)
    return closed_round


def record_of(data):
    """The parts of an export that must come back from an import, without this installation's ids."""
    refs = {c["id"]: c["ref"] for s in data["sections"] for c in s["clauses"]}
    record = data["record"]
    refs.update({c["id"]: c["ref"] for c in record["clauses_out_of_text"]})
    rounds = {r["id"]: r["title"] for r in record["rounds"]}
    amendments = {a["id"]: index for index, a in enumerate(record["amendments"])}
    comments = {c["id"]: index for index, c in enumerate(record["comments"])}

    def item(row):
        return {"clause": refs.get(row["clause"]), "amendment": amendments.get(row["amendment"])}

    clauses = [c for s in data["sections"] for c in s["clauses"]] + record["clauses_out_of_text"]
    return {
        "history": {
            c["ref"]: [
                (h["version"], h["label"], h["text"], h["status"], h["changed_by"], h["changed_at"], h["reason"])
                for h in c["history"]
            ]
            for c in clauses
        },
        "snapshots": [
            (
                s["label"],
                s["revision"],
                s["created_at"],
                s["created_by"],
                rounds.get(s["round"]),
                [(refs[c["clause"]], c["ref"], c["text"], c["status"], c["version"]) for c in s["clauses"]],
            )
            for s in record["snapshots"]
        ],
        "rounds": [{k: v for k, v in r.items() if k != "id"} for r in record["rounds"]],
        "amendments": [
            {**{k: v for k, v in a.items() if k not in ("id", "clause", "round")}, "clause": refs[a["clause"]]}
            for a in record["amendments"]
        ],
        "comments": [
            {
                **{k: v for k, v in c.items() if k not in ("id", "parent", "clause", "amendment", "disposition")},
                **item(c),
                "parent": comments.get(c["parent"]),
                "disposition": c["disposition"] and {**c["disposition"], "round": rounds[c["disposition"]["round"]]},
            }
            for c in record["comments"]
        ],
        "votes": [
            {**{k: v for k, v in v.items() if k not in ("round", "clause", "amendment", "updated_at")}, **item(v)}
            for v in record["votes"]
        ],
        "results": [
            {**{k: v for k, v in r.items() if k not in ("round", "clause", "amendment")}, **item(r)}
            for r in record["results"]
        ],
    }


def test_export_then_import_keeps_the_record_and_exports_the_same_again(draft, clause, people, negotiated):
    first = export(draft, people["moderator"])
    record = first["record"]
    assert [s["revision"] for s in record["snapshots"]] == [0, 1, 2]  # the original, frozen as the round opened
    assert len(record["rounds"]) == 1 and record["rounds"][0]["phase"] == "closed"
    assert len(record["amendments"]) == 1 and len(record["comments"]) == 2 and len(record["votes"]) == 12
    assert record["comments"][0]["disposition"]["disposition"] == "noted"
    assert record["comments"][1]["hidden"] and record["comments"][1]["parent"] == record["comments"][0]["id"]

    copy = import_(first, people["admin"])

    # Clause history: original dates and authors, each kept by the name recorded, never as an account here.
    original = Clause.objects.get(pk=clause.pk)
    imported = Clause.objects.get(draft=copy, number=original.number, preambular=False, number_suffix=0)
    was = list(original.history.order_by("history_date", "history_id"))
    now = list(imported.history.order_by("history_date", "history_id"))
    assert [(h.version, h.text, h.status) for h in now] == [(h.version, h.text, h.status) for h in was]
    assert [to_the_millisecond(h.history_date) for h in now] == [to_the_millisecond(h.history_date) for h in was]
    recorded = next(c for s in first["sections"] for c in s["clauses"] if c["id"] == clause.pk)["history"]
    assert all(h.history_user is None for h in now)
    # Each version by the name recorded, or as the Chair's (the merge the Chair applied at the close).
    assert [h.recorded_by or ("the Chair" if h.history_as_chair else None) for h in now] == [
        h["changed_by"] for h in recorded
    ]
    proposal = Clause.objects.get(draft=copy, title="Proposal")
    row = proposal.history.earliest("history_date")
    assert (row.history_user, row.recorded_by) == (None, "a_participant")
    page = client_for(None).get(f"/api/v1/clauses/{proposal.id}/history/").json()
    assert page["results"][0]["changed_by"] == "a_participant (imported)"

    # Everyone who acts in the record is a placeholder of the copy's own, even with an account here.
    participant = people["participant"]
    placeholder = User.objects.get(username=f"a_participant (imported, draft {copy.pk})")
    assert not placeholder.is_active and not placeholder.has_usable_password() and not placeholder.is_staff
    assert proposal.proposer == placeholder
    amendment = copy.clauses.get(pk=imported.pk).amendments.get()
    assert (
        amendment.author == placeholder
        and amendment.organization == participant.memberships.first().organization  # matched by name
    )
    assert copy.snapshots.count() == 3 and copy.rounds.get().phase == "closed"
    assert sorted(copy.snapshots.values_list("revision", "label")) == sorted(
        draft.snapshots.values_list("revision", "label")
    )
    reply = imported.comments.get(parent__isnull=False)
    assert (reply.author, reply.hidden, reply.hidden_reason) == (placeholder, True, "Off topic")
    assert reply.hidden_by.username == f"a_moderator (imported, draft {copy.pk})"
    assert imported.comments.get(parent__isnull=True).disposition.reason == "Kept for the next reading"
    local = {people[name].pk for name in ("admin", "moderator", "participant")}
    assert not copy.rounds.get().votes.filter(voter__in=local).exists()

    # Exported again, the record is the same, each person named as the first file recorded them.
    second = export(copy, people["admin"])
    assert second["record"]["amendments"][0]["author"] == "a_participant"
    again, before = record_of(second), record_of(first)
    for part in before:
        assert again[part] == before[part], part


def test_a_format_1_file_still_imports(draft, clause, people):
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Second wording.")
    old = export(draft)
    old["format_version"] = 1
    for section in old["sections"]:
        section.pop("kind")
        for entry in section["clauses"]:
            for row in entry["history"]:
                for key in ("number", "number_suffix", "preambular"):
                    row.pop(key)
    copy = import_(old, people["admin"])
    imported = copy.clauses.get()
    assert (imported.ref, imported.text, imported.version) == ("OP1", "Second wording.", 2)
    latest = imported.history.latest("history_date")
    assert (latest.history_user, latest.recorded_by, latest.history_as_chair) == (None, "", True)


def test_a_record_that_refers_to_nothing_is_refused_with_its_field(draft, people, negotiated):
    data = export(draft, people["moderator"])
    data["record"]["votes"][0]["clause"] = data["record"]["votes"][0]["amendment"] = 999_999_999
    upload = SimpleUploadedFile("draft.json", json.dumps(data).encode())
    response = client_for(people["admin"]).post("/api/v1/drafts/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "record.votes[0].clause" in response.json()["file"][0]
    assert Draft.objects.count() == 1 and not User.objects.filter(is_active=False).exists()


def test_a_moment_within_a_millisecond_of_a_whole_second_exports_the_same_after_import(
    draft, clause, people, negotiated
):
    """Written ".000Z" before import and "Z" after it, the same moment made the two files differ."""
    comment = clause.comments.order_by("id").first()
    whole = comment.created_at.replace(microsecond=412)
    type(comment).objects.filter(pk=comment.pk).update(created_at=whole)
    first = export(draft, people["moderator"])
    assert first["record"]["comments"][0]["created_at"].endswith(f":{whole.second:02d}.000Z")
    copy = import_(first, people["admin"])
    second = export(copy, people["admin"])
    assert second["record"]["comments"][0]["created_at"] == first["record"]["comments"][0]["created_at"]
    assert first["document"]["date"].endswith("Z") and "." in first["document"]["date"]
