"""The record tells the truth (issue 23): outcomes that say why, hidden tallies hidden from everyone,
and a paragraph's status that agrees with its text.

Through the API, as a delegation checks the record: a multistakeholder round in which one group
blocks a 3-1 majority, an item everybody abstained on, and a paragraph adopted with brackets left.
"""

import csv
import io
import json

import pytest

from codeofconduct.errors import Conflict
from drafting import services
from drafting.models import Clause, ItemResult
from drafting.tally import decide
from notifications.models import Event
from tests.conftest import client_for
from tests.drafting.documents.test_imports import upload
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(draft, clause, people):
    """A closed multistakeholder round: 3 yes to 1 no, but the government's one vote is a no; an
    all-abstain item; a review paragraph adopted with its alternatives still in brackets."""
    moderator, author = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder")
    services.round_open(round_id=round_.id, by=moderator)

    def proposed(title, text):
        return services.clause_create(draft=draft, section_id=clause.section_id, title=title, text=text, by=author)

    blocked = proposed("Due diligence", "States should take all feasible measures.")
    abstained = proposed("Capacity", "Participants should build capacity.")
    review = proposed("Review", "The participants shall review this code every [two] [three] years.")
    voters = make_voters(draft, government=1, industry=2, academia=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, blocked, {"government": "n", "industry": "yy", "academia": "y"})
    cast(voters, abstained, {"government": "a", "industry": "aa", "academia": "a"})
    cast(voters, review, {"government": "y", "industry": "yy", "academia": "y"})
    services.round_close(round_id=round_.id, by=moderator)
    return {"round": round_, "blocked": blocked, "abstained": abstained, "review": review}


def test_every_outcome_says_why_on_the_results_the_report_and_the_record(decided):
    round_ = decided["round"]
    rows = client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()
    by_id = {row["item"]["id"]: row for row in rows}
    blocked = by_id[decided["blocked"].id]
    assert (blocked["outcome"], blocked["totals"]["yes"], blocked["totals"]["no"]) == ("rejected", 3, 1)
    assert blocked["reason"] == (
        "Government 0-1; the multistakeholder rule needs a majority in every group that voted."
    )
    abstained = by_id[decided["abstained"].id]
    assert (abstained["outcome"], abstained["reason"]) == ("rejected", "No votes for or against (4 abstained).")

    report = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format=csv").content.decode()
    lines = {int(row["id"]): row for row in csv.DictReader(io.StringIO(report))}
    assert lines[decided["blocked"].id]["reason"] == blocked["reason"]
    data = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format=json").json()
    assert {item["item"]["id"]: item["reason"] for item in data["items"]}[decided["abstained"].id] == (
        abstained["reason"]
    )

    # The reason is the record's: stored at the close, the same words as the rule that decided it.
    stored = ItemResult.objects.get(round=round_, clause=decided["blocked"])
    totals = {"yes": stored.yes, "no": stored.no, "abstain": stored.abstain}
    assert stored.reason == decide(round_.voting_rule, round_.quorum, totals, stored.by_group).reason


def test_the_results_page_shows_each_reason_and_bars_drawn_to_scale(client, decided):
    html = client.get(f"/rounds/{decided['round'].id}/results/").content.decode()
    assert html.count('data-testid="outcome-reason"') == 3
    assert "Government 0-1; the multistakeholder rule needs a majority in every group that voted." in html
    # Each bar scales with its box (a viewBox), so the votes against stay in proportion when narrower.
    assert 'aria-label="3 yes, 1 no, 0 abstain"' in html and 'viewBox="0 0 240 14"' in html


def test_a_paragraph_adopted_with_brackets_left_stays_bracketed_and_the_outcome_says_so(decided, people):
    review = Clause.objects.get(pk=decided["review"].pk)
    assert review.status == "bracketed"
    row = next(
        r
        for r in client_for(None).get(f"/api/v1/rounds/{decided['round'].id}/results/").json()
        if r["item"]["id"] == review.id
    )
    assert (row["outcome"], row["effect"]) == ("accepted", "adopted in brackets")
    history = client_for(None).get(f"/api/v1/clauses/{review.id}/history/").json()
    assert "still holds square brackets" in json.dumps(history)
    told = Event.objects.get(kind="clause_accepted", recipient_ids=[people["participant"].id])
    assert "was adopted, but its text still holds square brackets" in told.message


def test_a_paragraph_holding_brackets_cannot_become_agreed(draft, clause, people):
    moderator = client_for(people["moderator"])
    url = f"/api/v1/clauses/{clause.id}/"
    bracketed = moderator.patch(
        url, {"version": 1, "text": "States should take [reasonable] [all feasible] steps.", "status": "bracketed"}
    )
    assert bracketed.status_code == 200, bracketed.content
    refused = moderator.patch(url, {"version": 2, "status": "agreed"}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert "“[reasonable]”, “[all feasible]”" in body["detail"] and body["brackets"] == [
        "[reasonable]",
        "[all feasible]",
    ]
    assert Clause.objects.get(pk=clause.pk).status == "bracketed"

    # Settling the words in the same change is agreement; a link's brackets are not brackets.
    settled = moderator.patch(
        url,
        {
            "version": 2,
            "status": "agreed",
            "text": "States should take all feasible steps ([guide](https://example.org)).",
        },
        format="json",
    )
    assert settled.status_code == 200 and settled.json()["status"] == "agreed"
    # An agreed paragraph cannot take brackets back silently, by an edit or a revert.
    assert moderator.patch(url, {"version": 3, "text": "States [should] take steps."}, format="json").status_code == 409
    reverted = moderator.post(f"{url}revert/", {"to_version": 2, "reason": "Back"}, format="json")
    assert reverted.status_code == 409 and "[reasonable]" in reverted.json()["detail"]
    with pytest.raises(Conflict, match=r"\[in doubt\]"):  # a moderator adding an agreed paragraph
        services.clause_create(
            draft=draft,
            section_id=clause.section_id,
            title="T",
            text="Words [in doubt].",
            status="agreed",
            by=people["moderator"],
        )


def test_imports_keep_status_and_text_in_agreement(people):
    admin = client_for(people["admin"])
    markdown = "# Review\n\n## Norms\n\n### 1. Review\n\nEvery [two] [three] years.\n\n### 2. Settled\n\nEvery year.\n"
    made = admin.post("/api/v1/drafts/import/", {"file": upload("r.md", markdown)}, format="multipart")
    assert made.status_code == 201, made.content
    statuses = dict(Clause.objects.filter(draft__slug=made.json()["slug"]).values_list("title", "status"))
    assert statuses == {"Review": "bracketed", "Settled": "agreed"}

    stated = "# Review\n\n## Norms\n\n### 1. Review (agreed)\n\nEvery [two] years.\n"
    refused = admin.post("/api/v1/drafts/import/", {"file": upload("s.md", stated)}, format="multipart")
    assert refused.status_code == 400 and "marked agreed but its text holds square brackets" in json.dumps(
        refused.json()
    )
