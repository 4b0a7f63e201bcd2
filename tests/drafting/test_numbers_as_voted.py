"""Numbers as voted (issue 23): every item keeps the paragraph number its ballot cited.

A round in which two paragraphs are proposed in the middle of section I (OP2 bis, OP2 ter) and a
paragraph after them is amended (OP3): OP2 bis is adopted, OP2 ter rejected, the amendment accepted.
The close publishes Rev.1, which numbers the text 1..N; the record still cites each item as voted,
with its number now where it changed.
"""

import csv
import importlib
import io

import pytest
from django.apps import apps

from drafting import services
from drafting.models import Clause, ItemResult, Snapshot
from notifications.models import Event
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory, cast, make_voters

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(draft, people):
    moderator, author = people["moderator"], people["participant"]
    first = SectionFactory(draft=draft, title="Principles", position=1)
    second = SectionFactory(draft=draft, title="Norms", position=2)
    for number, section in ((1, first), (2, first), (3, second), (4, second)):
        ClauseFactory(section=section, number=number, title=f"Norm {number}", text=f"Norm {number} reads so.")
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)

    def proposed(title):
        return services.clause_create(draft=draft, section_id=first.id, title=title, text=f"{title}.", by=author)

    warning, sanctions = proposed("Early warning"), proposed("Sanctions")
    norm3 = Clause.objects.get(draft=draft, number=3)
    amendment = services.amendment_submit(
        clause_id=norm3.id, by=author, kind="modify", text="Norm 3 reads so, and more."
    )
    voters = make_voters(draft, government=2, industry=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    ballot = client_for(voters["government"][0]).get(f"/api/v1/rounds/{round_.id}/ballot/").json()
    cited = {(i["item"]["type"], i["item"]["id"]): i["cited_as"] for i in ballot["items"]}
    cast(voters, warning, {"government": "yy", "industry": "y"})
    cast(voters, sanctions, {"government": "nn", "industry": "y"})
    cast(voters, amendment, {"government": "yy", "industry": "n"})
    services.round_close(round_id=round_.id, by=moderator)
    return {
        "round": round_,
        "warning": warning,
        "sanctions": sanctions,
        "amendment": amendment,
        "norm3": norm3,
        "ballot_cited": cited,
        "voters": voters,
    }


def test_the_ballot_cites_the_numbers_of_the_text_while_the_round_votes(voted):
    assert voted["ballot_cited"] == {
        ("clause", voted["warning"].id): "OP2 bis",
        ("clause", voted["sanctions"].id): "OP2 ter",
        ("amendment", voted["amendment"].id): "OP3",
    }


def test_the_revision_numbers_the_text_without_gaps_and_the_rejected_one_leaves_it(voted, draft, client):
    revision = Snapshot.objects.get(round=voted["round"])
    assert revision.label == "Rev.1"
    assert [(c.ref, c.title) for c in revision.clauses.all()] == [
        ("OP1", "Norm 1"),
        ("OP2", "Norm 2"),
        ("OP3", "Early warning"),
        ("OP4", "Norm 3"),
        ("OP5", "Norm 4"),
    ]
    sanctions = Clause.objects.get(pk=voted["sanctions"].pk)
    assert (sanctions.status, sanctions.ref) == ("rejected", "OP2 ter")  # in the record as voted

    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    text, left = page.split('data-testid="left-the-text"')
    refs = [chunk.split("<", 1)[0] for chunk in text.split('data-testid="paragraph-ref">')[1:]]
    assert refs == ["OP1", "OP2", "OP3", "OP4", "OP5"]
    assert "Sanctions" not in text and "OP2 ter Sanctions" in left


def test_results_report_and_ballot_cite_each_item_as_voted_with_its_number_now(voted, client):
    round_ = voted["round"]
    rows = {
        row["item"]["id"]: row["item"] for row in client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()
    }
    warning, sanctions, amendment = rows[voted["warning"].id], rows[voted["sanctions"].id], rows[voted["amendment"].id]
    assert (warning["title"], warning["cited_as"], warning["ref"]) == (
        "Clause OP2 bis, now OP3: Early warning",
        "OP2 bis",
        "OP3",
    )
    assert sanctions["title"] == "Clause OP2 ter: Sanctions"  # left the text: no number now to add
    assert amendment["title"] == f"Amendment {voted['amendment'].id} to clause OP3, now OP4"

    report = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format=csv").content.decode()
    titles = {int(row["id"]): row["title"] for row in csv.DictReader(io.StringIO(report))}
    assert titles[voted["warning"].id] == "Clause OP2 bis, now OP3: Early warning"

    voter = voted["voters"]["government"][0]
    ballot = client_for(voter).get(f"/api/v1/rounds/{round_.id}/ballot/").json()["items"]
    after = {(i["item"]["type"], i["item"]["id"]): (i["cited_as"], i["ref"]) for i in ballot}
    assert after[("clause", voted["warning"].id)] == ("OP2 bis", "OP3")
    assert after[("amendment", voted["amendment"].id)] == ("OP3", "OP4")

    results_page = client.get(f"/rounds/{round_.id}/results/").content.decode()
    assert "Clause OP2 bis, now OP3: Early warning" in results_page
    client.force_login(voter)
    ballot_page = client.get(f"/rounds/{round_.id}/ballot/").content.decode()
    assert '<span class="ballot-number" data-testid="ballot-number">OP2 bis, now OP3</span>' in ballot_page
    sanctions_item = ballot_page.split(f'data-item="clause-{voted["sanctions"].id}"')[1].split("</li>")[0]
    assert '<span class="badge outcome-rejected" data-testid="ballot-status">Rejected</span>' in sanctions_item


def test_authors_are_told_the_number_they_voted_on_and_the_number_in_the_revision(voted, people):
    told = [e.message for e in Event.objects.filter(recipient_ids=[people["participant"].id])]
    assert "Your proposed clause OP2 bis “Early warning” was adopted in “First reading”; it is OP3 in Rev.1." in told
    assert "Your proposed clause OP2 ter “Sanctions” was rejected in “First reading”." in told
    assert (
        f"Your amendment {voted['amendment'].id} to clause OP3 was accepted and merged in “First reading”; "
        "the clause is OP4 in Rev.1." in told
    )


def test_between_revisions_new_paragraphs_take_bis_numbers_and_nothing_else_moves(voted, draft, people):
    moderator = people["moderator"]
    second = services.round_create(draft=draft, by=moderator, title="Second reading")
    services.round_open(round_id=second.id, by=moderator)
    before = {c.pk: c.ref for c in Clause.objects.filter(draft=draft)}
    added = services.clause_create(
        draft=draft,
        section_id=voted["warning"].section_id,
        title="Contact points",
        text="Contact points.",
        by=people["participant"],
    )
    assert added.ref == "OP3 bis"  # after OP3, the last paragraph of the text in section I
    # A snapshot while the round votes on these numbers freezes its own clean numbers and moves none.
    frozen = services.snapshot_create(draft=draft, label="Informal paper", by=moderator)
    assert [c.ref for c in frozen.clauses.all()] == ["OP1", "OP2", "OP3", "OP4", "OP5", "OP6"]
    assert {c.pk: c.ref for c in Clause.objects.filter(draft=draft).exclude(pk=added.pk)} == before


def test_stored_results_learn_the_numbers_they_were_voted_under_from_the_history(voted):
    """The data migration: results stored before the number was kept read it from the clause's history."""
    stored = {r.pk: (r.cited_number, r.cited_suffix, r.cited_as) for r in ItemResult.objects.all()}
    ItemResult.objects.update(cited_number=None, cited_suffix=0)
    migration = importlib.import_module("drafting.migrations.0015_numbers_as_voted")
    migration.cite_as_voted(apps, None)
    assert {r.pk: (r.cited_number, r.cited_suffix, r.cited_as) for r in ItemResult.objects.all()} == stored
    assert sorted(cited for *_, cited in stored.values()) == ["OP2 bis", "OP2 ter", "OP3"]


def test_the_rounds_compilation_cites_its_ballot_as_voted(voted, people):
    data = client_for(people["moderator"]).get(f"/rounds/{voted['round'].id}/compilation/?format=json").json()
    clauses = {c["title"]: c for s in data["sections"] for c in s["clauses"]}
    # Cited as the ballot cited them; where each stands in the revision the close published beside.
    assert clauses["Early warning"]["ref"] == "OP2 bis"
    assert clauses["Early warning"]["in_revision"]["ref"] == "OP3"
    assert clauses["Sanctions"]["ref"] == "OP2 ter"
    assert clauses["Sanctions"]["in_revision"] is None  # rejected: it left the text
    assert clauses["Norm 3"]["ref"] == "OP3"  # the amended paragraph
    assert clauses["Norm 3"]["in_revision"]["ref"] == "OP4"
    assert data["revision"] == "Rev.1"


def test_the_record_exported_and_imported_keeps_the_numbers_as_voted_and_the_reasons(voted, draft, people):
    from drafting.documents import build, data
    from drafting.documents.imports import draft_import_json

    copy = draft_import_json(content=data.render_with_record(build(draft)), by=people["admin"])
    again = ItemResult.objects.filter(round__draft=copy)
    assert sorted((r.cited_as, r.reason) for r in again) == sorted(
        (r.cited_as, r.reason) for r in ItemResult.objects.filter(round__draft=draft)
    )
    assert sorted(r.cited_as for r in again) == ["OP2 bis", "OP2 ter", "OP3"]
