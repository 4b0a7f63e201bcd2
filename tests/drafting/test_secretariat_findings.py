"""What a secretariat officer and an attacker found trying the document identity, the sections and
the compare page (issue 13), each fixed."""

import pytest

from drafting import services
from drafting.models import Draft, SectionKind
from tests.conftest import client_for
from tests.drafting.factories import DraftFactory

pytestmark = pytest.mark.django_db


def test_a_typed_symbol_cannot_take_the_one_another_draft_was_given(people):
    admin = people["admin"]
    first = services.draft_create(title="First", by=admin)
    second = services.draft_create(title="Second", by=admin)
    assert first.symbol and first.symbol != second.symbol  # stored at creation
    api = client_for(admin)
    taken = api.patch(f"/api/v1/drafts/{second.slug}/", {"symbol": first.symbol}, format="json")
    assert taken.status_code == 409 and "already has the symbol" in taken.json()["symbol"][0]
    # A draft with no stored symbol (made before symbols existed) keeps its made-up one too.
    old = DraftFactory(created_by=admin)
    assert old.symbol == ""
    made_up = old.document_symbol
    assert api.patch(f"/api/v1/drafts/{second.slug}/", {"symbol": made_up}, format="json").status_code == 409
    # A new draft whose made-up symbol was typed for another takes the next free one.
    coming = Draft.objects.order_by("-pk").first().pk + 1
    services.draft_update(draft=second, by=admin, symbol=f"CCC/{second.created_at.year}/L.{coming}")
    third = services.draft_create(title="Third", by=admin)
    assert Draft.objects.filter(symbol=third.symbol).count() == 1 and third.document_symbol == third.symbol
    if third.pk == coming:
        assert third.symbol == f"CCC/{third.created_at.year}/L.{coming}-2"


def test_a_preamble_section_added_later_reads_before_the_operative_part(draft, people):
    moderator = people["moderator"]
    principles = services.section_create(draft=draft, title="Principles", by=moderator)
    norms = services.section_create(draft=draft, title="Norms", by=moderator)
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=moderator)
    more = services.section_create(draft=draft, title="More considerations", kind=SectionKind.PREAMBLE, by=moderator)
    order = [s.title for s in draft.sections.order_by("position", "id")]
    assert order[-4:] == ["Preamble", "More considerations", "Principles", "Norms"]
    api = client_for(moderator)
    behind = api.patch(f"/api/v1/sections/{preamble.id}/", {"position": norms.position + 5}, format="json")
    assert behind.status_code == 400 and "before the operative sections" in behind.json()["position"][0]
    principles.refresh_from_db()
    ahead = api.patch(f"/api/v1/sections/{principles.id}/", {"position": 0}, format="json")
    assert ahead.status_code == 400 and "after the preamble" in ahead.json()["position"][0]
    assert more.position < principles.position


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


def test_changing_a_section_answers_with_its_clauses(draft, people):
    moderator = people["moderator"]
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    answer = client_for(moderator).patch(
        f"/api/v1/sections/{section.id}/", {"title": "General principles"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["title"] == "General principles"
    assert [c["title"] for c in answer.json()["clauses"]] == ["One"]
    assert answer.json()["clauses"][0]["ref"] == "OP1"


def test_a_redline_of_a_snapshot_against_itself_is_refused_with_a_reason(draft, people):
    """No file circulates as "Rev.1, changes against Rev.1"; comparing on screen still lists every
    paragraph unchanged (the compare API's contract)."""
    moderator = people["moderator"]
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    rev1 = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    api = client_for(moderator)
    itself = api.get(f"/api/v1/drafts/{draft.slug}/export/?format=md&snapshot={rev1.id}&redline={rev1.id}")
    assert itself.status_code == 400 and "earlier snapshot" in str(itself.json())
    page = api.get(f"/drafts/{draft.slug}/export/?format=md&snapshot={rev1.id}&redline={rev1.id}")
    assert page.status_code == 400
    same = api.get(f"/api/v1/drafts/{draft.slug}/compare/?from={rev1.id}&to={rev1.id}").json()
    assert {r["change"] for r in same["clauses"]} == {"unchanged"}


def test_every_409_says_why_in_detail_and_names_its_field(draft, people):
    """The API's 409 always carries ``detail`` (the schema says so; the fuzz pass checks it)."""
    admin, moderator = people["admin"], people["moderator"]
    other = services.draft_create(title="Other", by=admin)
    taken = client_for(admin).patch(f"/api/v1/drafts/{draft.slug}/", {"symbol": other.symbol}, format="json")
    assert taken.status_code == 409
    assert (
        taken.json()["detail"] == taken.json()["symbol"][0] == f"Another draft already has the symbol {other.symbol}."
    )
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    kind = client_for(moderator).patch(f"/api/v1/sections/{section.id}/", {"kind": "preamble"}, format="json")
    assert kind.status_code == 409 and "move them to a section of the other kind" in kind.json()["detail"]
