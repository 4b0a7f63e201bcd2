"""The documents tests' shared fixtures: a draft's JSON export with its record."""

import json

import pytest

from drafting import services
from tests.conftest import client_for


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
