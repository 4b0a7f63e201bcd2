"""Document identity and UN paragraph style on the platform's own pages and API: a draft's symbol
(each draft its own), original language, distribution and issuing body; Rev.N on snapshots; section
kinds (the preamble before the operative part); PP/OP refs."""

import re

import pytest

from drafting import services
from drafting.models import Draft, Section, SectionKind
from tests.conftest import client_for
from tests.drafting.factories import DraftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(draft, people):
    """A preamble of one paragraph, then two operative sections: one agreed clause, one proposed."""
    moderator = people["moderator"]
    preamble = services.section_create(draft=draft, title="Preamble", kind="preamble", position=1, by=moderator)
    principles = services.section_create(draft=draft, title="Principles", position=2, by=moderator)
    norms = services.section_create(draft=draft, title="Norms", position=3, by=moderator)
    recalling = services.clause_create(
        draft=draft,
        section_id=preamble.id,
        title="Charter",
        text="Recalling the Charter.",
        status="agreed",
        by=moderator,
    )
    restraint = services.clause_create(
        draft=draft, section_id=principles.id, title="Restraint", text="States should.", status="agreed", by=moderator
    )
    open_norm = services.clause_create(
        draft=draft, section_id=norms.id, title="Open norm", text="States may.", status="proposed", by=moderator
    )
    return {"preamble": preamble, "principles": principles, "norms": norms, "pp": recalling}, restraint, open_norm


IDENTITY = {
    "symbol": "CCC/2026/L.1",
    "original_language": "fr",
    "distribution": "limited",
    "issuing_body": "Open-ended Working Group",
}


def test_moderator_sets_document_identity_through_the_api_and_readers_read_it(draft, people):
    response = client_for(people["moderator"]).patch(f"/api/v1/drafts/{draft.slug}/", IDENTITY, format="json")
    assert response.status_code == 200, response.json()
    assert {key: response.json()[key] for key in IDENTITY} == IDENTITY
    read = client_for(people["observer"]).get(f"/api/v1/drafts/{draft.slug}/").json()
    assert {key: read[key] for key in IDENTITY} == IDENTITY
    assert read["document_symbol"] == "CCC/2026/L.1"
    listed = client_for(None).get("/api/v1/drafts/").json()["results"]
    assert [d["symbol"] for d in listed if d["slug"] == draft.slug] == ["CCC/2026/L.1"]
    draft.refresh_from_db()
    assert draft.get_distribution_display() == "Limited" and draft.owning_body == "Open-ended Working Group"


def test_bad_and_taken_symbols_are_refused_naming_the_field(draft, people):
    moderator = client_for(people["moderator"])
    bad = moderator.patch(f"/api/v1/drafts/{draft.slug}/", {"symbol": "ccc 2026 l1"}, format="json")
    assert bad.status_code == 400 and "symbol" in bad.json()
    language = moderator.patch(f"/api/v1/drafts/{draft.slug}/", {"original_language": "French"}, format="json")
    assert language.status_code == 400 and "original_language" in language.json()
    distribution = moderator.patch(f"/api/v1/drafts/{draft.slug}/", {"distribution": "secret"}, format="json")
    assert distribution.status_code == 400 and "distribution" in distribution.json()
    DraftFactory(created_by=people["admin"], symbol="CCC/2026/L.1")
    taken = moderator.patch(f"/api/v1/drafts/{draft.slug}/", {"symbol": "CCC/2026/L.1"}, format="json")
    assert taken.status_code == 409 and "symbol" in taken.json()
    draft.refresh_from_db()
    assert draft.symbol == "" and draft.original_language == "en" and draft.distribution == "general"


@pytest.mark.parametrize("who", ["observer", "participant"])
def test_only_moderators_change_a_draft(draft, people, who):
    response = client_for(people[who]).patch(f"/api/v1/drafts/{draft.slug}/", IDENTITY, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.symbol == ""


def test_section_kind_through_the_api(draft, section, clause, people):
    moderator = client_for(people["moderator"])
    created = moderator.post(
        f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Preamble", "kind": "preamble"}, format="json"
    )
    assert created.status_code == 201 and created.json()["kind"] == "preamble"
    empty_id = created.json()["id"]
    changed = moderator.patch(f"/api/v1/sections/{empty_id}/", {"kind": "operative", "title": "Scope"}, format="json")
    assert changed.status_code == 200 and changed.json()["kind"] == "operative"
    assert Section.objects.get(pk=empty_id).title == "Scope"
    # ``section`` holds ``clause``: its paragraphs would change numbers under everyone citing them.
    refused = moderator.patch(f"/api/v1/sections/{section.id}/", {"kind": "preamble"}, format="json")
    assert refused.status_code == 409 and "kind" in refused.json()
    bad = moderator.patch(f"/api/v1/sections/{empty_id}/", {"kind": "annex"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert client_for(people["participant"]).patch(f"/api/v1/sections/{empty_id}/", {"title": "X"}).status_code == 403
    read = client_for(people["observer"]).get(f"/api/v1/drafts/{draft.slug}/").json()
    assert {s["title"]: s["kind"] for s in read["sections"]} == {"Norms": "operative", "Scope": "operative"}
    section.refresh_from_db()
    assert section.kind == "operative"


def test_section_of_a_members_draft_is_not_found_for_outsiders(draft, section, people):
    draft.visibility = "members"
    draft.save()
    response = client_for(people["non_member"]).patch(f"/api/v1/sections/{section.id}/", {"title": "X"})
    assert response.status_code == 404


def test_clauses_in_the_api_carry_their_paragraph_ref(draft, people, text):
    _, restraint, open_norm = text
    read = client_for(people["observer"]).get(f"/api/v1/drafts/{draft.slug}/").json()
    refs = [(c["ref"], c["label"], c["number"]) for s in read["sections"] for c in s["clauses"]]
    assert refs == [("PP1", "1", 1), ("OP1", "1", 1), ("OP2", "2", 2)]
    assert client_for(None).get(f"/api/v1/clauses/{open_norm.id}/").json()["ref"] == "OP2"
    history = client_for(None).get(f"/api/v1/clauses/{restraint.id}/history/").json()
    rows = history["results"] if isinstance(history, dict) else history
    assert [row["ref"] for row in rows] == ["OP1"]


def test_snapshots_are_rev_n_with_their_date_in_the_api_and_pages(client, draft, people, text):
    moderator = people["moderator"]
    first = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    second = services.snapshot_create(draft=draft, label="Chair's text", by=moderator)
    listed = client_for(None).get(f"/api/v1/drafts/{draft.slug}/snapshots/").json()["results"]
    assert [(s["revision"], s["rev"]) for s in listed] == [(1, "Rev.1"), (2, "Rev.2")]
    detail = client_for(None).get(f"/api/v1/snapshots/{first.id}/").json()
    assert detail["revision"] == 1
    assert [(c["ref"], c["section_kind"]) for c in detail["clauses"]] == [
        ("PP1", "preamble"),
        ("OP1", "operative"),
        ("OP2", "operative"),
    ]
    day = first.created_at.strftime("%-d %B %Y")
    page = client.get(f"/drafts/{draft.slug}/snapshots/").content.decode()
    listed_day = first.created_at.strftime("%-d %b %Y")  # the list gives the time too, once
    assert "Rev.1" in page and "Rev.2" in page and "Zero draft" in page and listed_day in page
    shown = client.get(f"/snapshots/{first.id}/").content.decode()
    assert "Rev.1" in shown and day in shown
    assert "CCC/" in shown and f"/L.{draft.pk}/Rev.1" in shown
    assert re.search(r'data-testid="section-heading"><span class="section-numeral">I\.</span> Principles', shown)
    assert re.search(r'data-testid="section-heading">Preamble</h2>', shown)
    compared = client.get(f"/drafts/{draft.slug}/compare/?from={first.id}&to={second.id}").content.decode()
    assert "Rev.1 · Zero draft" in compared and "OP2. Open norm" in compared


def test_draft_page_shows_symbol_refs_numerals_and_status_words(client, draft, people, text):
    services.draft_update(draft=draft, by=people["moderator"], symbol="CCC/2026/L.1")
    html = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "CCC/2026/L.1" in html and "Distribution: General" in html
    headings = re.findall(r'data-testid="section-heading">(.*?)</h2>', html)
    assert headings == [
        "Preamble",
        '<span class="section-numeral">I.</span> Principles',
        '<span class="section-numeral">II.</span> Norms',
    ]
    refs = re.findall(r'data-testid="paragraph-ref">(.*?)</span>', html)
    assert refs == ["PP1", "OP1", "OP2"]
    # Operative paragraphs are numbered in the text; a preambular one only carries its ref as a label.
    assert ">OP1</span>. Restraint" in html and ">OP2</span>. Open norm" in html
    assert "PP1</span>. " not in html and "Charter</a>" in html
    assert 'class="badge status-proposed">Proposed<' in html
    assert "[proposed]" not in html.lower() and "[agreed]" not in html.lower()
    # Bracketed text keeps its brackets.
    assert '<span class="bracket">[</span>States may.<span class="bracket">]</span>' in html


def test_clause_ballot_and_history_pages_cite_the_ref(client, draft, people, text):
    sections, restraint, _ = text
    page = client.get(f"/clauses/{sections['pp'].id}/").content.decode()
    assert "<title>PP1. Charter" in page
    assert '<td data-testid="history-number">PP1</td>' in page
    page = client.get(f"/clauses/{restraint.id}/").content.decode()
    assert 'data-testid="paragraph-ref">OP1</span>. Restraint' in page


def test_manage_page_sets_identity_and_keeps_what_was_typed_on_error(client, draft, people, text):
    client.force_login(people["moderator"])
    url = f"/drafts/{draft.slug}/manage/"
    form = {
        "action": "settings",
        "settings-title": draft.title,
        "settings-summary": "",
        "settings-visibility": "public",
        "settings-symbol": "CCC/2026/L.1",
        "settings-original_language": "es",
        "settings-distribution": "restricted",
        "settings-issuing_body": "Working Group",
    }
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert (draft.symbol, draft.original_language, draft.distribution, draft.issuing_body) == (
        "CCC/2026/L.1",
        "es",
        "restricted",
        "Working Group",
    )
    DraftFactory(created_by=people["admin"], symbol="CCC/2026/L.9")
    taken = client.post(url, {**form, "settings-symbol": "CCC/2026/L.9", "settings-issuing_body": "Typed body"})
    assert taken.status_code == 409
    html = taken.content.decode()
    assert "Another draft already has the symbol CCC/2026/L.9." in html
    assert 'value="CCC/2026/L.9"' in html and 'value="Typed body"' in html
    draft.refresh_from_db()
    assert draft.symbol == "CCC/2026/L.1" and draft.issuing_body == "Working Group"
    bad = client.post(url, {**form, "settings-symbol": "not a symbol"})
    assert bad.status_code == 400 and 'value="not a symbol"' in bad.content.decode()


def test_manage_page_adds_and_edits_sections_with_their_kind(client, draft, people, text):
    sections, _, _ = text
    client.force_login(people["moderator"])
    url = f"/drafts/{draft.slug}/manage/"
    page = client.get(url).content.decode()
    assert 'name="section-kind"' in page and page.count('name="edit-kind"') == 3
    added = client.post(url, {"action": "section", "section-title": "Annex", "section-kind": "preamble"})
    assert added.status_code == 302
    annex = Section.objects.get(draft=draft, title="Annex")
    assert annex.kind == "preamble"
    edited = client.post(
        url, {"action": "section_edit", "edit-section": annex.id, "edit-title": "Final", "edit-kind": "operative"}
    )
    assert edited.status_code == 302
    annex.refresh_from_db()
    assert (annex.title, annex.kind) == ("Final", "operative")
    refused = client.post(
        url,
        {
            "action": "section_edit",
            "edit-section": sections["principles"].id,
            "edit-title": "Principles kept",
            "edit-kind": "preamble",
        },
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "This section has clauses" in html and 'value="Principles kept"' in html
    sections["principles"].refresh_from_db()
    assert sections["principles"].kind == "operative" and sections["principles"].title == "Principles"


def test_the_ballot_cites_each_item_by_its_paragraph_ref(client, draft, people, text, round_):
    sections, _, _ = text
    proposed = services.clause_create(
        draft=draft,
        section_id=sections["preamble"].id,
        title="Noting",
        text="Noting the report.",
        by=people["participant"],
    )
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    client.force_login(people["participant"])
    page = client.get(f"/rounds/{round_.id}/ballot/").content.decode()
    assert re.findall(r'data-testid="ballot-number">(.*?)</span>', page) == ["PP2", "OP2"]
    items = client_for(people["participant"]).get(f"/api/v1/rounds/{round_.id}/ballot/").json()["items"]
    assert [(item["ref"], item["label"]) for item in items] == [("PP2", "2"), ("OP2", "2")]
    assert items[0]["item"]["id"] == proposed.id


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
