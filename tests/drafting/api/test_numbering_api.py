"""Clause numbers through the API: the integer ``number`` of API.md stays, ``number_suffix`` and
``label`` ("16 bis") come beside it on clauses, their history, snapshots and compare."""

import pytest

from drafting import services
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(draft):
    first, second = (
        SectionFactory(draft=draft, title="I", position=1),
        SectionFactory(draft=draft, title="II", position=2),
    )
    for number, section in ((1, first), (2, first), (3, second)):
        ClauseFactory(section=section, number=number, title=f"Norm {number}")
    return first, second


def _numbers(rows):
    return [(row["number"], row["number_suffix"], row["label"], row["title"]) for row in rows]


def test_a_proposal_mid_draft_is_bis_and_lists_in_reading_order(draft, sections, people, round_):
    participant = client_for(people["participant"])
    made = participant.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": sections[0].id, "title": "Early warning", "text": "Warn early."},
        format="json",
    )
    assert made.status_code == 201
    assert (made.json()["number"], made.json()["number_suffix"], made.json()["label"]) == (2, 100, "2 bis")
    listed = client_for(None).get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"]
    assert _numbers(listed) == [
        (1, 0, "1", "Norm 1"),
        (2, 0, "2", "Norm 2"),
        (2, 100, "2 bis", "Early warning"),
        (3, 0, "3", "Norm 3"),
    ]
    detail = client_for(None).get(f"/api/v1/clauses/{made.json()['id']}/").json()
    assert detail["label"] == "2 bis"
    nested = client_for(None).get(f"/api/v1/drafts/{draft.slug}/").json()["sections"][0]["clauses"]
    assert [c["label"] for c in nested] == ["1", "2", "2 bis"]


def test_snapshot_history_and_compare_show_old_and_new_numbers(draft, sections, people, round_):
    moderator = client_for(people["moderator"])
    before = moderator.post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Zero draft"}, format="json").json()
    inserted = services.clause_create(
        draft=draft, section_id=sections[0].id, title="Early warning", text="Warn early.", by=people["participant"]
    )
    after = moderator.post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": "Rev.1"}, format="json")
    assert after.status_code == 201
    frozen = [(c["number"], c["number_suffix"], c["label"], c["previous_label"]) for c in after.json()["clauses"]]
    assert frozen == [(1, 0, "1", ""), (2, 0, "2", ""), (3, 0, "3", "2 bis"), (4, 0, "4", "3")]
    detail = client_for(None).get(f"/api/v1/snapshots/{after.json()['id']}/").json()
    assert [c["previous_label"] for c in detail["clauses"]] == ["", "", "2 bis", "3"]

    compared = (
        client_for(None)
        .get(f"/api/v1/drafts/{draft.slug}/compare/?from={before['id']}&to={after.json()['id']}")
        .json()["clauses"]
    )
    assert [(r["label"], r["previous_label"], r["change"], r["title"]) for r in compared] == [
        ("1", "", "unchanged", "Norm 1"),
        ("2", "", "unchanged", "Norm 2"),
        ("3", "2 bis", "added", "Early warning"),  # cited as 2 bis until this snapshot
        ("4", "3", "unchanged", "Norm 3"),
    ]
    assert compared[3]["number"] == 4

    # The round is open: its ballot and the delegates cite 2 bis, so the working text keeps it;
    # the close's revision renumbers it.
    history = client_for(None).get(f"/api/v1/clauses/{inserted.id}/history/").json()["results"]
    assert [(h["version"], h["number"], h["label"], h["reason"]) for h in history] == [
        (1, 2, "2 bis", "Clause proposed"),
    ]
    assert client_for(None).get(f"/api/v1/clauses/{inserted.id}/").json()["ref"] == "OP2 bis"


def test_compare_keeps_a_removed_clause_where_it_stood(draft, sections, people):
    moderator = people["moderator"]
    before = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    norm2 = draft.clauses.get(number=2)
    services.clause_update(clause_id=norm2.id, version=1, by=moderator, status="withdrawn")
    after = services.snapshot_create(draft=draft, label="Rev.1", by=moderator)
    rows = client_for(None).get(f"/api/v1/drafts/{draft.slug}/compare/?from={before.id}&to={after.id}").json()
    assert [(r["label"], r["previous_label"], r["change"]) for r in rows["clauses"]] == [
        ("1", "", "unchanged"),
        ("2", "", "removed"),
        ("2", "3", "unchanged"),
    ]
