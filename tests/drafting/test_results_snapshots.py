"""Results, dispositions, snapshots and compare: API and pages."""

import pytest

from drafting import services
from drafting.models import Snapshot
from tests.conftest import client_for
from tests.drafting.test_round_close import cast, make_voters, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(draft, clause, people):
    """Multistakeholder round: government carries a proposal, industry's majority blocks it."""
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    remark = services.comment_post(
        by=people["observer"], clause_id=clause.id, body="Please keep 'should'.", stance="oppose"
    )
    voters = make_voters(draft, government=3, industry=3)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, proposal, {"government": "yyy", "industry": "ynn"})
    cast(voters, amendment, {"government": "yya", "industry": "yyn"})
    return {"round": round_, "proposal": proposal, "amendment": amendment, "remark": remark, "voters": voters}


def test_results_hidden_until_close_then_stored_per_group(closed_round, people):
    round_ = closed_round["round"]
    url = f"/api/v1/rounds/{round_.id}/results/"
    hidden = client_for(people["participant"]).get(url)
    assert hidden.status_code == 409 and hidden.json()["phase"] == "voting"
    live = client_for(people["moderator"]).get(url)
    assert live.status_code == 200 and live["X-Results-Final"] == "false"
    services.round_close(round_id=round_.id, by=people["moderator"])
    body = client_for(None).get(url).json()
    by_item = {(r["item"]["type"], r["item"]["id"]): r for r in body}
    proposal = by_item[("clause", closed_round["proposal"].id)]
    assert proposal["outcome"] == "rejected"  # 4 yes to 2 no overall, but industry said no 2 to 1
    assert proposal["totals"] == {"yes": 4, "no": 2, "abstain": 0}
    assert proposal["by_group"] == {
        "government": {"yes": 3, "no": 0, "abstain": 0},
        "industry": {"yes": 1, "no": 2, "abstain": 0},
    }
    amendment = by_item[("amendment", closed_round["amendment"].id)]
    assert (amendment["outcome"], amendment["effect"]) == ("accepted", "merged")
    assert amendment["totals"] == {"yes": 4, "no": 1, "abstain": 1}
    assert amendment["item"]["by"] == {
        "group": "government",
        "name": "a_participant",
        "organization": amendment["item"]["by"]["organization"],
    }


def test_chatham_house_results_show_groups_not_names(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="Other words.")
    remark = services.comment_post(by=people["participant"], clause_id=clause.id, body="Needed.", stance="support")
    services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted", reason="Thanks")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)
    row = client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()[0]
    assert row["item"]["by"] == {"group": "government"}
    disposition = client_for(None).get(f"/api/v1/rounds/{round_.id}/dispositions/").json()["results"][0]
    assert disposition["author"] is None and disposition["author_group"] == "government"
    page = client_for(None).get(f"/rounds/{round_.id}/results/")
    html = page.content.decode()
    assert "a_participant" not in html and "government" in html


def test_dispositions_are_recorded_by_moderators_and_published_at_close(closed_round, people):
    round_, remark = closed_round["round"], closed_round["remark"]
    url = f"/api/v1/comments/{remark.id}/disposition/"
    assert client_for(people["participant"]).post(url, {"disposition": "noted"}, format="json").status_code == 403
    bad = client_for(people["moderator"]).post(url, {"disposition": "ignored"}, format="json")
    assert bad.status_code == 400 and "disposition" in bad.json()
    ok = client_for(people["moderator"]).post(
        url, {"disposition": "partly_accepted", "reason": "Kept in 3(b)"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["disposition"] == "partly_accepted"
    listing = f"/api/v1/rounds/{round_.id}/dispositions/"
    assert client_for(people["observer"]).get(listing).status_code == 409  # published at close
    services.round_close(round_id=round_.id, by=people["moderator"])
    published = client_for(people["observer"]).get(listing).json()["results"]
    assert [(d["comment"], d["author"], d["disposition"], d["reason"]) for d in published] == [
        (remark.id, "a_observer", "partly_accepted", "Kept in 3(b)")
    ]
    html = client_for(None).get(f"/rounds/{round_.id}/results/").content.decode()
    assert "Partly accepted" in html and "Kept in 3(b)" in html


def test_results_page_shows_a_bar_per_group(closed_round, people, client):
    services.round_close(round_id=closed_round["round"].id, by=people["moderator"])
    html = client.get(f"/rounds/{closed_round['round'].id}/results/").content.decode()
    assert html.count('data-testid="group-row"') == 4  # two items, two groups each
    assert 'aria-label="1 yes, 2 no, 0 abstain"' in html  # industry on the proposal
    assert "Rev.1" in html


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
    rev1 = Snapshot.objects.get(label="Rev.1")
    url = f"/api/v1/drafts/{draft.slug}/compare/?from={before.id}&to={rev1.id}"
    rows = {r["clause"]: r for r in client_for(None).get(url).json()["clauses"]}
    assert set(rows) == {clause.id, proposal.id}
    removed = rows[proposal.id]
    assert (removed["change"], removed["number"], removed["title"]) == ("removed", proposal.number, proposal.title)
    assert rows[clause.id]["change"] == "changed"  # the accepted amendment merged into it
    page = client.get(f"/drafts/{draft.slug}/compare/?from={before.id}&to={rev1.id}").content.decode()
    assert 'class="change-removed"' in page and proposal.title in page


def test_snapshot_compare_and_list_pages(draft, clause, people, client):
    first = services.snapshot_create(draft=draft, label="Zero draft", by=people["moderator"])
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States must cooperate.")
    second = services.snapshot_create(draft=draft, label="Chair's text", by=people["moderator"])
    listing = client.get(f"/drafts/{draft.slug}/snapshots/").content.decode()
    assert "Zero draft" in listing and "Chair&#x27;s text" in listing
    snapshot_page = client.get(f"/snapshots/{first.id}/").content.decode()
    assert clause.text in snapshot_page and "It never changes." in snapshot_page
    compare = client.get(f"/drafts/{draft.slug}/compare/?from={first.id}&to={second.id}").content.decode()
    assert "<ins>must cooperate</ins>" in compare and 'class="change-changed"' in compare
    assert client.get(f"/drafts/{draft.slug}/compare/?from={first.id}&to=99999").status_code == 404
    assert "<ins>must cooperate</ins>" in client.get(f"/drafts/{draft.slug}/compare/").content.decode()
    client.force_login(people["moderator"])
    made = client.post(f"/drafts/{draft.slug}/snapshots/", {"label": "Friday text"}, follow=True).content.decode()
    assert "Snapshot “Friday text” published." in made
    client.force_login(people["participant"])
    assert client.post(f"/drafts/{draft.slug}/snapshots/", {"label": "Mine"}).status_code == 403


def test_console_shows_phase_participation_queue_and_records_dispositions(closed_round, people, client):
    round_, remark = closed_round["round"], closed_round["remark"]
    client.force_login(people["participant"])
    assert client.get(f"/rounds/{round_.id}/console/").status_code == 403
    client.force_login(people["moderator"])
    html = client.get(f"/rounds/{round_.id}/console/").content.decode()
    assert "Close now" in html and "Please keep" in html
    # 3 government voters (+ the fixture's government participant) and 3 industry voters; all 3 of each voted.
    assert "<td>Government</td><td>4</td><td>3</td><td>6</td>" in html
    assert "<td>Industry</td><td>3</td><td>3</td><td>6</td>" in html
    live = client.get(f"/rounds/{round_.id}/console/?part=participation", HTTP_HX_REQUEST="true").content.decode()
    assert live.lstrip().startswith('<div id="participation"') and 'hx-trigger="every 10s"' in live
    assert "<td>Industry</td><td>3</td><td>3</td><td>6</td>" in live and "Close now" not in live
    client.post(
        f"/comments/{remark.id}/disposition/",
        {"disposition": "not_accepted", "reason": "Consensus for must", "next": f"/rounds/{round_.id}/console/"},
    )
    remark.refresh_from_db()
    assert (remark.disposition.disposition, remark.disposition.reason) == ("not_accepted", "Consensus for must")
    client.post(f"/rounds/{round_.id}/close/")
    round_.refresh_from_db()
    assert round_.phase == "closed"
    assert "Results" in client.get(f"/rounds/{round_.id}/console/").content.decode()
