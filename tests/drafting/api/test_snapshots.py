"""Snapshots and compare through the API (and the compare page beside it)."""

import pytest

from drafting import services
from drafting.models import Snapshot
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_snapshots_api_manual_and_compare(draft, clause, people, section):
    moderator = client_for(people["moderator"])
    first = moderator.post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Chair's text"}, format="json")
    assert first.status_code == 201 and first.json()["clauses"][0]["text"] == clause.text
    duplicate = moderator.post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Chair's text"}, format="json")
    assert duplicate.status_code == 400 and "label" in duplicate.json()
    assert (
        client_for(people["participant"])
        .post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Mine"}, format="json")
        .status_code
        == 403
    )
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States must cooperate.")
    services.clause_create(draft=draft, section_id=section.id, title="New", text="Added later.", by=people["moderator"])
    second = moderator.post(
        f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Chair's text 2"}, format="json"
    ).json()
    compared = (
        client_for(None).get(f"/api/v1/drafts/{draft.slug}/compare/?from={first.json()['id']}&to={second['id']}").json()
    )
    rows = {r["title"]: r for r in compared["clauses"]}
    assert rows[clause.title]["change"] == "changed"
    assert {"op": "insert", "text": "must cooperate"} in rows[clause.title]["diff"]
    assert rows["New"]["change"] == "added"
    same = client_for(None).get(f"/api/v1/drafts/{draft.slug}/compare/?from={second['id']}&to={second['id']}").json()
    assert {r["change"] for r in same["clauses"]} == {"unchanged"}
    assert client_for(None).get(f"/api/v1/drafts/{draft.slug}/compare/?from=999&to={second['id']}").status_code == 404
    assert client_for(None).get(f"/api/v1/drafts/{draft.slug}/compare/?from=x&to=1").status_code == 400
    detail = client_for(None).get(f"/api/v1/snapshots/{second['id']}/").json()
    assert [c["title"] for c in detail["clauses"]] == [clause.title, "New"]


def test_removed_clause_shows_in_compare(closed_round, people, draft, clause, client):
    """A proposal rejected at close is in the text before and gone from Rev.1: compare says "removed"."""
    proposal = closed_round["proposal"]
    before = services.snapshot_create(draft=draft, label="Before the vote", by=people["moderator"])
    services.round_close(round_id=closed_round["round"].id, by=people["moderator"])
    rev1 = Snapshot.objects.get(round=closed_round["round"])  # Rev.2: "Before the vote" is Rev.1
    url = f"/api/v1/drafts/{draft.slug}/compare/?from={before.id}&to={rev1.id}"
    rows = {r["clause"]: r for r in client_for(None).get(url).json()["clauses"]}
    assert set(rows) == {clause.id, proposal.id}
    removed = rows[proposal.id]
    assert (removed["change"], removed["number"], removed["title"]) == ("removed", proposal.number, proposal.title)
    assert rows[clause.id]["change"] == "changed"  # the accepted amendment merged into it
    page = client.get(f"/drafts/{draft.slug}/compare/?from={before.id}&to={rev1.id}").content.decode()
    assert 'class="change-removed"' in page and proposal.title in page


def test_the_compare_page_shows_a_new_paragraph_and_brackets_going_in(draft, people):
    moderator = people["moderator"]
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    kept = services.clause_create(
        draft=draft, section_id=section.id, title="Kept", text="States cooperate.", status="agreed", by=moderator
    )
    rev1 = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    services.clause_update(clause_id=kept.id, version=kept.version, status="bracketed", by=moderator)
    services.clause_create(
        draft=draft, section_id=section.id, title="New", text="States share warnings.", status="agreed", by=moderator
    )
    rev2 = services.snapshot_create(draft=draft, label="Revised", by=moderator)
    rows = {
        r["title"]: r
        for r in client_for(moderator)
        .get(f"/api/v1/drafts/{draft.slug}/compare/?from={rev1.id}&to={rev2.id}")
        .json()["clauses"]
    }
    assert rows["New"]["change"] == "added"
    assert [c["op"] for c in rows["New"]["diff"]] == ["insert"]
    assert rows["Kept"]["diff"][0] == {"op": "insert", "text": "["} and rows["Kept"]["diff"][-1]["text"] == "]"
    page = client_for(moderator).get(f"/drafts/{draft.slug}/compare/?from={rev1.id}&to={rev2.id}").content.decode()
    assert "<ins>States share warnings.</ins>" in page and "<ins>[</ins>" in page
