"""Numbers as negotiators cite them: a clause inserted mid-draft is "16 bis" until the moderator
publishes a revision, which numbers the text 1, 2, 3 in reading order and keeps the old numbers."""

import json
import re

import pytest

from codeofconduct.errors import InvalidInput
from drafting import services
from drafting.documents import build, data, md
from drafting.documents.imports import draft_import_json
from drafting.models import Clause, Snapshot, number_label, suffix_between
from notifications.models import Event
from tests.drafting.conftest import CAPACITY
from tests.drafting.factories import ClauseFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(draft):
    """Three sections read I, II, III: clauses 1 and 2, then 3 and 4, then 5."""
    sections = [SectionFactory(draft=draft, title=title, position=p) for p, title in enumerate("I II III".split(), 1)]
    for number, section in zip(range(1, 6), [0, 0, 1, 1, 2], strict=True):
        ClauseFactory(section=sections[section], number=number, title=f"Norm {number}")
    return sections


def _propose(draft, section, people, title, who="participant"):
    return services.clause_create(
        draft=draft, section_id=section.id, title=title, text=f"{title} text.", by=people[who]
    )


def _reading(draft) -> list[str]:
    return [f"{c.label} {c.title}" for c in Clause.objects.filter(draft=draft)]


def test_a_clause_proposed_mid_draft_is_bis_then_ter_and_no_cited_number_moves(draft, text, people, round_, client):
    first = _propose(draft, text[0], people, "Early warning")
    second = _propose(draft, text[0], people, "Contact points")
    last = _propose(draft, text[2], people, "Review")
    assert [(c.number, c.number_suffix, c.label) for c in (first, second, last)] == [
        (2, 100, "2 bis"),
        (2, 200, "2 ter"),
        (6, 0, "6"),
    ]
    assert _reading(draft) == [
        "1 Norm 1",
        "2 Norm 2",
        "2 bis Early warning",
        "2 ter Contact points",
        "3 Norm 3",
        "4 Norm 4",
        "5 Norm 5",
        "6 Review",
    ]
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    shown = [
        "OP2</span>. Norm 2",
        "OP2 bis</span>. Early warning",
        "OP2 ter</span>. Contact points",
        "OP3</span>. Norm 3",
        "OP6</span>. Review",
    ]
    assert [page.index(heading) for heading in shown] == sorted(page.index(heading) for heading in shown)
    assert 'id="clause-op2-bis"' in page
    clause_page = client.get(f"/clauses/{first.id}/").content.decode()
    assert '<h1><span data-testid="paragraph-ref">OP2 bis</span>. Early warning' in clause_page
    told = Event.objects.get(kind="clause_proposed", message__contains="Early warning")
    assert "proposed clause OP2 bis “Early warning”" in told.message


def test_labels_keep_to_reading_order_whichever_section_is_filled_first(draft, people):
    """Sections A, B, C filled in the order A, C, B, A, B, A: a clause put between 1 and 1 bis takes
    a letter (1 A), never a word that reads after a later clause's."""
    a, b, c = (SectionFactory(draft=draft, title=title, position=n) for n, title in enumerate("ABC", 1))
    for section, title in ((a, "a1"), (c, "c1"), (b, "b1"), (a, "a2"), (b, "b2"), (a, "a3")):
        _propose(draft, section, people, title, who="moderator")
    assert _reading(draft) == ["1 a1", "1 A a2", "1 B a3", "1 bis b1", "1 ter b2", "2 c1"]
    assert number_label(1, suffix_between(101, 200)) == "1 bis B"
    assert suffix_between(0, 1) is None  # no room between 1 and 1 A: a free label, out of order, is taken


def test_a_clause_in_an_empty_first_section_takes_the_number_before_the_first(draft, text, people, round_):
    opening = SectionFactory(draft=draft, title="Preamble", position=0)
    first = _propose(draft, opening, people, "Purpose")
    again = _propose(draft, opening, people, "Scope")
    assert (first.label, again.label) == ("0", "0 bis")
    assert _reading(draft)[:3] == ["0 Purpose", "0 bis Scope", "1 Norm 1"]


def test_the_first_clause_of_an_empty_draft_is_1_and_each_at_the_end_the_next(draft, section, people):
    labels = [_propose(draft, section, people, f"Norm {n}", who="moderator").label for n in range(3)]
    assert labels == ["1", "2", "3"]


def _close(round_, people):
    """Vote and close the round (nothing voted: its proposals carry over); its close publishes a revision."""
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    services.round_close(round_id=round_.id, by=people["moderator"])
    return Snapshot.objects.get(round=round_)


def test_publishing_a_revision_renumbers_in_reading_order_and_keeps_the_old_numbers(draft, text, people, round_):
    inserted = _propose(draft, text[0], people, "Early warning")
    dropped = _propose(draft, text[1], people, "Sanctions")  # 4 bis, then withdrawn by the moderator
    services.clause_update(clause_id=dropped.id, version=1, by=people["moderator"], status="withdrawn")
    amendment = services.amendment_submit(
        clause_id=inserted.id, by=people["participant"], kind="modify", text="Early warning, shared."
    )
    # While the round is open its ballot cites today's numbers: a snapshot numbers itself afresh and
    # leaves the working text as it is.
    snapshot = services.snapshot_create(draft=draft, label="Chair's text", by=people["moderator"])
    frozen = [(c.label, c.previous_label, c.title) for c in snapshot.clauses.all()]
    assert frozen == [
        ("1", "", "Norm 1"),
        ("2", "", "Norm 2"),
        ("3", "2 bis", "Early warning"),
        ("4", "3", "Norm 3"),
        ("5", "4", "Norm 4"),
        ("6", "5", "Norm 5"),
    ]
    assert _reading(draft) == [
        "1 Norm 1",
        "2 Norm 2",
        "2 bis Early warning",
        "3 Norm 3",
        "4 Norm 4",
        "4 bis Sanctions",
        "5 Norm 5",
    ]
    assert inserted.history.count() == 1

    revision = _close(round_, people)
    assert revision.label == "Rev.2"
    assert _reading(draft) == [
        "1 Norm 1",
        "2 Norm 2",
        "3 Early warning",
        "4 Norm 3",
        "4 bis Sanctions",  # out of the text: it keeps the number it was withdrawn under
        "5 Norm 4",
        "6 Norm 5",
    ]
    inserted.refresh_from_db()
    assert inserted.version == 1  # a renumbering is no new text: the amendment is not stale
    assert amendment.base_version == inserted.version
    newest = inserted.history.first()
    assert (newest.version, newest.number, newest.number_suffix) == (1, 3, 0)
    assert newest.history_change_reason == "Renumbered 2 bis → 3 for Rev.2"
    assert newest.history_user == people["moderator"]
    assert not Clause.objects.get(title="Norm 1").history.filter(history_change_reason__startswith="Renumbered")
    assert not dropped.history.filter(history_change_reason__startswith="Renumbered")

    again = services.snapshot_create(draft=draft, label="Same text", by=people["moderator"])
    assert all(c.previous_label == "" for c in again.clauses.all())
    assert inserted.history.count() == 2  # nothing to renumber: no history written


def test_a_rejected_clause_leaves_the_text_and_keeps_its_number_in_the_record(draft, text, people, round_, client):
    inserted = _propose(draft, text[0], people, "Early warning")  # 2 bis
    gone = Clause.objects.get(number=3)
    services.clause_update(clause_id=gone.id, version=1, by=people["moderator"], status="rejected")
    _close(round_, people)
    inserted.refresh_from_db()
    gone.refresh_from_db()
    # 3 now belongs to the inserted clause; the rejected one is out of the text, still 3 in the record.
    assert (inserted.label, gone.label) == ("3", "3")
    assert not gone.history.filter(history_change_reason__startswith="Renumbered")
    text_now = [f"{c.label} {c.title}" for c in Clause.objects.filter(draft=draft).exclude(status="rejected")]
    assert text_now == ["1 Norm 1", "2 Norm 2", "3 Early warning", "4 Norm 4", "5 Norm 5"]

    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    listed = page[: page.index('data-testid="left-the-text"')]
    assert "Norm 3" not in listed and "Early warning" in listed  # not in the text, no gap in its numbers
    left = page[page.index('data-testid="left-the-text"') :]
    assert "1 paragraph left the text" in left and "OP3 Norm 3" in left

    # The record exports and imports as it is: two paragraphs numbered 3, one of them out of the text.
    copy = draft_import_json(content=data.render_with_record(build(draft)), by=people["admin"])
    assert sorted((c.label, c.title, c.status) for c in copy.clauses.filter(number=3)) == [
        ("3", "Early warning", "proposed"),
        ("3", "Norm 3", "rejected"),
    ]

    # Back in the text, it takes a number of the text, as any paragraph added there.
    services.clause_update(clause_id=gone.id, version=gone.version, by=people["moderator"], status="proposed")
    gone.refresh_from_db()
    assert gone.label == "4 bis"  # at the end of section II, after 4


def test_a_clause_moved_to_an_earlier_section_swaps_numbers_at_the_revision(draft, text, people):
    last = Clause.objects.get(number=5)
    services.clause_update(clause_id=last.id, version=1, by=people["moderator"], section_id=text[0].id)
    assert _reading(draft)[:3] == ["1 Norm 1", "2 Norm 2", "5 Norm 5"]
    services.snapshot_create(draft=draft, label="Rev.B", by=people["moderator"])
    assert _reading(draft) == ["1 Norm 1", "2 Norm 2", "3 Norm 5", "4 Norm 3", "5 Norm 4"]


def test_closing_a_round_renumbers_rev_n_and_compare_and_exports_show_old_and_new(draft, text, people, round_, client):
    moderator = people["moderator"]
    services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    inserted = _propose(draft, text[0], people, "Early warning")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)  # no votes: the proposal carries over
    rev1 = Snapshot.objects.get(round=round_)  # Rev.2: the zero draft is Rev.1
    inserted.refresh_from_db()
    assert inserted.label == "3"
    history = client.get(f"/clauses/{inserted.id}/").content.decode()
    assert f"Renumbered 2 bis → 3 for {rev1.label}" in history
    assert '<td data-testid="history-number">OP2 bis</td>' in history
    assert '<td data-testid="history-number">OP3</td>' in history

    zero = Snapshot.objects.get(label="Zero draft")
    compare = client.get(f"/drafts/{draft.slug}/compare/?from={zero.id}&to={rev1.id}").content.decode()
    rows = [
        "OP1. Norm 1",
        "OP2. Norm 2",
        'OP3 <span class="meta" data-testid="was">(was OP2 bis)</span>. Early warning',
    ]
    assert rows[2] in compare
    assert 'OP4 <span class="meta" data-testid="was">(was OP3)</span>. Norm 3' in compare
    order = [compare.index(row) for row in rows[:3]]
    assert order == sorted(order)

    # The comparison of the two revisions cites the old number beside the new one; the revision
    # itself, as circulated, numbers its paragraphs "3.", "4." and no more.
    exported = md.render(build(draft, snapshot=rev1, redline=zero)).decode()
    assert "{--3.--}{++4.++} " in exported  # Norm 3, after the new paragraph
    assert "{++3.++} {++[Early warning text.]++}" in exported  # new, and not agreed yet
    circulated = md.render(build(draft, snapshot=rev1)).decode()
    assert "\n4. " in circulated and "(was" not in circulated and "OP" not in circulated
    current = md.render(build(draft)).decode()
    assert "### OP4. Norm 3" in current and "(was" not in current
    redline = md.render(build(draft, redline=zero)).decode()
    assert "{--3.--}{++4.++} " in redline


def test_a_json_export_after_a_renumbering_imports_with_the_same_versions(draft, text, people, round_):
    inserted = _propose(draft, text[0], people, "Early warning")
    _close(round_, people)
    exported = data.render(build(draft))
    entry = next(c for s in json.loads(exported)["sections"] for c in s["clauses"] if c["title"] == "Early warning")
    assert (entry["number"], entry["label"]) == (3, "3")
    assert [(h["version"], h["label"]) for h in entry["history"]] == [(1, "2 bis"), (1, "3")]
    copy = draft_import_json(content=exported, by=people["admin"])
    again = copy.clauses.get(title="Early warning")
    assert (again.version, again.label) == (inserted.version, "3")

    # Both rows come back, the renumbering included, with their dates: the record is the original's.
    def rows(clause):  # JSON carries times to the millisecond
        return [
            (h.version, h.number, h.history_date.replace(microsecond=h.history_date.microsecond // 1000 * 1000))
            for h in clause.history.order_by("history_id")
        ]

    assert rows(again) == rows(inserted)


def test_a_paragraph_new_since_the_earlier_revision_has_no_former_number(samples):
    """Capacity building had a "bis" number only in the working text, never in a circulated
    revision: the redline calls it new, not "OP5 (was OP4 bis)"; the paragraphs after it show the
    numbers they had."""
    markdown = samples["redline.md"].read_text()
    # Its number is inserted with it; the paragraphs after it show the number they had, struck.
    assert re.search(r"\{\+\+\d+\.\+\+\} \{\+\+\[" + re.escape(CAPACITY), markdown)
    assert re.search(r"\{--(\d+)\.--\}\{\+\+\d+\.\+\+\} ", markdown)
    entry = next(
        c
        for s in json.loads(samples["redline.json"].read_text())["sections"]
        for c in s["clauses"]
        if c["title"] == "Capacity building"
    )
    assert entry["previous_label"] == "" and {"kind": "added"} in entry["changes"]


def _place(draft, section, people, title, after, who="moderator"):
    return services.clause_create(
        draft=draft, section_id=section.id, title=title, text=f"{title} text.", after=after, by=people[who]
    )


def test_a_paragraph_placed_after_another_reads_right_after_it_and_no_cited_number_moves(draft, text, people):
    """Sections I (1, 2), II (3, 4), III (5): after 1 is 1 bis, after 1 bis 1 ter, right after 1
    again (1 bis follows it) 1 A; at the start of II, after the last paragraph before it (2 bis);
    at the start of I, before OP1 (0); after the last paragraph of the draft, the next number; at
    the end of I, between 2 and the 2 bis that opens II (2 A)."""
    one, four, five = (Clause.objects.get(number=n) for n in (1, 4, 5))
    bis = _place(draft, text[0], people, "Early warning", one.id)
    ter = _place(draft, text[0], people, "Contact points", bis.id)
    letter = _place(draft, text[0], people, "Assistance", one.id)
    opening = _place(draft, text[1], people, "Cooperation", services.AT_START)
    first = _place(draft, text[0], people, "Purpose", services.AT_START)
    after_four = _place(draft, text[1], people, "Capacity", four.id)
    last = _place(draft, text[2], people, "Review", five.id)
    at_end = _place(draft, text[0], people, "Scope", None)  # as before: the end of its section
    assert [c.label for c in (bis, ter, letter, opening, first, after_four, last, at_end)] == [
        "1 bis",
        "1 ter",
        "1 A",
        "2 bis",
        "0",
        "4 bis",
        "6",
        "2 A",  # 2 bis begins section II
    ]
    assert [(c.section.title, f"{c.label} {c.title}") for c in Clause.objects.filter(draft=draft)] == [
        ("I", "0 Purpose"),
        ("I", "1 Norm 1"),
        ("I", "1 A Assistance"),
        ("I", "1 bis Early warning"),
        ("I", "1 ter Contact points"),
        ("I", "2 Norm 2"),
        ("I", "2 A Scope"),
        ("II", "2 bis Cooperation"),
        ("II", "3 Norm 3"),
        ("II", "4 Norm 4"),
        ("II", "4 bis Capacity"),
        ("III", "5 Norm 5"),
        ("III", "6 Review"),
    ]
    assert [c.version for c in Clause.objects.filter(title__startswith="Norm")] == [1] * 5
    assert [(c.number, c.number_suffix) for c in Clause.objects.filter(title__startswith="Norm")] == [
        (n, 0) for n in range(1, 6)
    ]

    # The revision renumbers the text 1, 2, 3 in the order it reads, each placed paragraph where it was put.
    snapshot = services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    assert [f"{c.label} {c.title} (was {c.previous_label})" for c in snapshot.clauses.all()][:4] == [
        "1 Purpose (was 0)",
        "2 Norm 1 (was 1)",
        "3 Assistance (was 1 A)",
        "4 Early warning (was 1 bis)",
    ]
    assert [c.title for c in Clause.objects.filter(draft=draft)] == [c.title for c in snapshot.clauses.all()]
    assert [c.label for c in Clause.objects.filter(draft=draft)] == [str(n) for n in range(1, 14)]


def test_a_preambular_paragraph_is_placed_among_its_own_part(draft, text, people):
    preamble = SectionFactory(draft=draft, title="Preamble", position=0, kind="preamble")
    recalling = ClauseFactory(section=preamble, number=1, preambular=True, title="Recalling")
    ClauseFactory(section=preamble, number=2, preambular=True, title="Noting")
    placed = _place(draft, preamble, people, "Welcoming", recalling.id)
    opening = _place(draft, preamble, people, "Reaffirming", services.AT_START)
    assert (placed.ref, opening.ref) == ("PP1 bis", "PP0")
    assert [c.ref for c in Clause.objects.filter(draft=draft)][:5] == ["PP0", "PP1", "PP1 bis", "PP2", "OP1"]


def _refused(draft, section, people, after) -> str:
    with pytest.raises(InvalidInput) as refused:
        _place(draft, section, people, "Refused", after)
    assert refused.value.field == "after"
    return refused.value.message


def test_a_place_that_is_not_in_the_section_or_has_no_number_is_refused_naming_after(draft, text, people):
    one, three = Clause.objects.get(number=1), Clause.objects.get(number=3)
    elsewhere = ClauseFactory(section=SectionFactory(title="Elsewhere"), number=1)
    assert _refused(draft, text[0], people, three.id) == (
        "OP3 is in “II”, not in “I”: choose a paragraph of the section the new one goes in."
    )
    assert _refused(draft, text[0], people, elsewhere.id) == "No such paragraph in this draft."
    assert _refused(draft, text[0], people, 10**12) == "No such paragraph in this draft."
    for shape in ("end", True, "1"):
        assert _refused(draft, text[0], people, shape) == "Give the id of a paragraph of the section, or “start”."
    services.clause_update(clause_id=three.id, version=1, by=people["moderator"], status="withdrawn")
    assert (
        _refused(draft, text[1], people, three.id)
        == "OP3 has left the text (withdrawn): choose a paragraph of the text."
    )

    # Right after 1 once 1 A follows it, no label reads between them until the revision.
    _place(draft, text[0], people, "Early warning", one.id)  # 1 bis
    _place(draft, text[0], people, "Assistance", one.id)  # 1 A
    assert _refused(draft, text[0], people, one.id) == (
        "No number fits between OP1 and OP1 A until a revision renumbers the text: "
        "choose another place, such as after OP1 A."
    )
    assert _place(draft, text[0], people, "Support", Clause.objects.get(title="Assistance").id).label == "1 B"
    _place(draft, text[0], people, "Purpose", services.AT_START)  # 0
    assert _refused(draft, text[0], people, services.AT_START) == (
        "No number fits before OP0 until a revision renumbers the text: choose another place, such as after OP0."
    )
    assert not Clause.objects.filter(title="Refused").exists()
