"""The documents tests' shared fixtures: a draft's JSON export with its record, and an import of a
file through the API (``post``), refused with a 400 (``refused``)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drafting import services
from tests.conftest import client_for


def post(content, user):
    if not isinstance(content, (str, bytes)):
        content = json.dumps(content)
    upload = SimpleUploadedFile("draft.json", content.encode() if isinstance(content, str) else content)
    return client_for(user).post("/api/v1/drafts/import/", {"file": upload}, format="multipart")


def refused(content, user, *words):
    response = post(content, user)
    assert response.status_code == 400, (response.status_code, response.content[:300])
    message = response.json()["file"][0]
    for word in words:
        assert word in message, message
    return message


def exported(draft, user):
    response = client_for(user).get(f"/api/v1/drafts/{draft.slug}/export/?format=json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.fixture
def record(draft, clause, people, closed_round):
    """A moderator's export with the record: a round, an amendment, a comment with a disposition,
    twelve votes and a snapshot, the comment hidden by the moderator."""
    moderator = people["moderator"]
    services.comment_hide(comment_id=closed_round["remark"].id, by=moderator, reason="Off topic")
    services.comment_dispose(comment_id=closed_round["remark"].id, by=moderator, disposition="noted", reason="Seen")
    services.round_close(round_id=closed_round["round"].id, by=moderator)
    data = exported(draft, moderator)
    assert data["record"]["comments"] and data["record"]["snapshots"] and len(data["record"]["votes"]) == 12
    return data


@pytest.fixture
def rich_record(draft, clause, people, closed_round):
    """A moderator's export holding every part of the format: a clause with several versions (one
    the Chair's, with a reason), a proposal voted out of the text, a closed round with an amendment,
    a comment with a reply and a disposition and one on the amendment, votes, results, the original
    and two revisions, and the draft's identity."""
    moderator, participant = people["moderator"], people["participant"]
    services.draft_update(draft=draft, by=people["admin"], chair="the Chair of the Group", issuing_body="The Group")
    remark = closed_round["remark"]
    services.comment_post(by=participant, clause_id=clause.id, parent_id=remark.id, body="We prefer 'must'.")
    services.comment_post(by=participant, amendment_id=closed_round["amendment"].id, body="Why?", stance="question")
    services.comment_hide(comment_id=remark.id, by=moderator, reason="Off topic")
    services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted", reason="Seen")
    services.round_close(round_id=closed_round["round"].id, by=moderator)
    clause.refresh_from_db()
    services.clause_update(
        clause_id=clause.id, version=clause.version, by=moderator, status="bracketed", reason="Back to brackets"
    )
    services.snapshot_create(draft=draft, label="Second reading", by=moderator)
    data = exported(draft, moderator)
    record = data["record"]
    assert record["clauses_out_of_text"] and record["amendments"] and record["results"]
    assert len(record["snapshots"]) == 3 and len(record["comments"]) == 3
    return data
