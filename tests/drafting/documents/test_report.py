"""The consultation report of a closed round, opened as a user's spreadsheet or script would."""

import csv
import io

import pytest

from drafting import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_report_is_published_at_close_as_csv_and_json(closed_round, people, client):  # noqa: F811
    round_, remark = closed_round["round"], closed_round["remark"]
    services.comment_post(
        by=people["participant"], clause_id=closed_round["proposal"].id, body="Yes!", stance="support"
    )
    services.comment_dispose(comment_id=remark.id, by=people["moderator"], disposition="noted", reason="Thanks")
    url = f"/api/v1/rounds/{round_.id}/report/"
    early = client_for(None).get(url + "?format=csv")
    assert early.status_code == 409 and early.json()["phase"] == "voting"
    services.round_close(round_id=round_.id, by=people["moderator"])

    response = client_for(None).get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_id = {(r["type"], int(r["id"])): r for r in rows}
    proposal = by_id[("clause", closed_round["proposal"].id)]
    assert (proposal["outcome"], proposal["yes"], proposal["no"]) == ("rejected", "4", "2")
    assert (proposal["government_yes"], proposal["industry_yes"], proposal["industry_no"]) == ("3", "1", "2")
    assert proposal["comments_support"] == "1" and proposal["by"].startswith("a_participant")
    amendment = by_id[("amendment", closed_round["amendment"].id)]
    assert amendment["outcome"] == "accepted" and amendment["effect"] == "merged"

    data = client_for(None).get(url + "?format=json").json()
    assert data["round"]["title"] == "First reading" and len(data["items"]) == 2
    assert data["dispositions"] == [
        {
            "comment": remark.id,
            "on": {"type": "clause", "id": remark.clause_id},
            "author": "a_observer",
            "who": f"a_observer ({people['observer'].memberships.get().organization.name}, Government)",
            "speaking_for": {
                "organization": people["observer"].memberships.get().organization.name,
                "stakeholder_group": "government",
                "verified": True,
                "chair": False,
            },
            "stance": "oppose",
            "disposition": "noted",
            "reason": "Thanks",
        }
    ]
    assert client_for(None).get(url + "?format=xlsx").status_code == 400
    assert "report-csv" in client.get(f"/rounds/{round_.id}/results/").content.decode()


def test_report_under_chatham_house_names_no_one(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="Other words.")
    note = services.comment_post(by=people["observer"], clause_id=clause.id, body="Hmm", stance="concern")
    services.comment_dispose(comment_id=note.id, by=moderator, disposition="noted")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)
    for fmt in ("csv", "json"):
        body = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format={fmt}").content.decode()
        assert "a_participant" not in body and "a_observer" not in body and "government" in body
