"""Clause numbers through the API: the integer ``number`` of API.md stays, ``number_suffix`` and
``label`` ("16 bis") come beside it on clauses, their history, snapshots and compare."""

import json

import pytest

from drafting import services
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, DraftFactory, SectionFactory

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


def _propose(client, draft, section, title, **place):
    return client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": section.id, "title": title, "text": f"{title}: States should act.", **place},
        format="json",
    )


def test_a_proposal_placed_after_a_paragraph_or_at_the_start_reads_there_wherever_the_draft_is_read(
    draft, sections, people, round_, client
):
    """Sections I (1, 2) and II (3): after 1 is 1 bis, after 1 bis 1 ter, after 1 again 1 A (1 bis
    follows it), at the start of II 2 bis; the list, the draft, its page, its export and the round's
    compilation all read them where they were put."""
    participant = client_for(people["participant"])
    one = draft.clauses.get(number=1)
    bis = _propose(participant, draft, sections[0], "Early warning", after=one.id)
    assert bis.status_code == 201, bis.json()
    assert (bis.json()["number"], bis.json()["number_suffix"], bis.json()["ref"]) == (1, 100, "OP1 bis")
    ter = _propose(participant, draft, sections[0], "Contact points", after=bis.json()["id"])
    letter = _propose(participant, draft, sections[0], "Assistance", after=str(one.id))  # as a form sends it
    opening = _propose(participant, draft, sections[1], "Cooperation", after="start")
    at_end = _propose(participant, draft, sections[1], "Review", after=None)
    assert [r.json()["ref"] for r in (ter, letter, opening, at_end)] == ["OP1 ter", "OP1 A", "OP2 bis", "OP4"]
    placed = [
        ("OP1", "Norm 1"),
        ("OP1 A", "Assistance"),
        ("OP1 bis", "Early warning"),
        ("OP1 ter", "Contact points"),
        ("OP2", "Norm 2"),
        ("OP2 bis", "Cooperation"),
        ("OP3", "Norm 3"),
        ("OP4", "Review"),
    ]
    reading = [f"{ref} {title}" for ref, title in placed]

    listed = client_for(None).get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"]
    assert [f"{c['ref']} {c['title']}" for c in listed] == reading
    nested = client_for(None).get(f"/api/v1/drafts/{draft.slug}/").json()["sections"]
    assert [[c["label"] for c in s["clauses"]] for s in nested] == [
        ["1", "1 A", "1 bis", "1 ter", "2"],
        ["2 bis", "3", "4"],
    ]
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    headings = [f"{ref}</span>. {title}" for ref, title in placed]
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    assert 'id="clause-op1-a"' in page
    exported = json.loads(client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format=json").content)
    assert [f"OP{c['label']} {c['title']}" for s in exported["sections"] for c in s["clauses"]] == reading
    compiled = json.loads(client_for(None).get(f"/api/v1/rounds/{round_.id}/compilation/?format=json").content)
    assert [f"{c['ref']} {c['title']}" for s in compiled["sections"] for c in s["clauses"]] == reading


@pytest.mark.parametrize(
    ("after", "message"),
    [
        ("end", "Give the id of a paragraph of the section, or “start”."),
        (True, "Give the id of a paragraph of the section, or “start”."),
        (0, "Give the id of a paragraph of the section, or “start”."),
        (2**63, "Give the id of a paragraph of the section, or “start”."),
        ([1], "Give the id of a paragraph of the section, or “start”."),
        ("1x", "Give the id of a paragraph of the section, or “start”."),
        (10**12, "No such paragraph in this draft."),
    ],
)
def test_a_place_not_given_as_an_id_or_start_is_refused_naming_after(draft, sections, people, round_, after, message):
    made = _propose(client_for(people["participant"]), draft, sections[0], "Early warning", after=after)
    assert (made.status_code, made.json()) == (400, {"after": [message]})
    assert not draft.clauses.filter(title="Early warning").exists()


def test_a_paragraph_of_another_section_or_draft_or_out_of_the_text_is_refused_naming_after(
    draft, sections, people, round_
):
    participant = client_for(people["participant"])
    three = draft.clauses.get(number=3)
    other = _propose(participant, draft, sections[0], "Early warning", after=three.id)
    assert (other.status_code, other.json()) == (
        400,
        {"after": ["OP3 is in “II”, not in “I”: choose a paragraph of the section the new one goes in."]},
    )
    # A paragraph of a draft the proposer cannot read is answered as one that does not exist.
    hidden = ClauseFactory(section=SectionFactory(draft=DraftFactory(visibility="members")), number=1)
    unseen = _propose(participant, draft, sections[0], "Early warning", after=hidden.id)
    assert (unseen.status_code, unseen.json()) == (400, {"after": ["No such paragraph in this draft."]})
    services.clause_update(clause_id=three.id, version=1, by=people["moderator"], status="withdrawn")
    gone = _propose(participant, draft, sections[1], "Early warning", after=three.id)
    assert gone.status_code == 400 and "OP3 has left the text (withdrawn)" in gone.json()["after"][0]
    # Right after 1 when 1 A follows it: no number reads between them until a revision.
    one = draft.clauses.get(number=1)
    for title in ("Contact points", "Assistance"):
        assert _propose(participant, draft, sections[0], title, after=one.id).status_code == 201
    full = _propose(participant, draft, sections[0], "Early warning", after=one.id)
    assert full.status_code == 400 and full.json()["after"][0].startswith("No number fits between OP1 and OP1 A")
    assert not draft.clauses.filter(title="Early warning").exists()
    # The place is checked after who may propose: an observer is told it is not theirs to do.
    observer = _propose(client_for(people["observer"]), draft, sections[0], "Early warning", after=three.id)
    assert observer.status_code == 403
