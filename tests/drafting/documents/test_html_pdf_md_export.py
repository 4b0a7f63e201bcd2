"""The HTML, PDF and Markdown exports as a secretariat circulates them: front block, UN paragraph
style, redlines that show status changes, rationale as notes, and a tagged A4 PDF."""

import io
import re

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from drafting import services
from drafting.models import SectionKind
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PREAMBLE = "Recognizing that the security of information and communications technologies concerns all States,"
SOVEREIGNTY = "States should respect the sovereignty of each other in their use of such technologies."
CONTACTS = "States should name a point of contact for incidents."
RATIONALE = "General Assembly resolution 58/199 on a global culture of cybersecurity."


@pytest.fixture
def revisions(draft, people):
    """A preamble and two operative paragraphs, published as Rev.1; then one word replaced, one
    agreed paragraph put back into brackets and one deleted, published as Rev.2."""
    moderator = people["moderator"]
    services.draft_update(
        draft=draft,
        by=people["admin"],
        symbol="CCC/2026/L.1",
        issuing_body="Open-ended Working Group on ICT Security",
        original_language="fr",
    )
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=moderator)
    principles = services.section_create(draft=draft, title="Principles", by=moderator)

    def add(section, title, text, status="agreed", rationale=""):
        return services.clause_create(
            draft=draft, section_id=section.id, title=title, text=text, status=status, rationale=rationale, by=moderator
        )

    recognizing = add(preamble, "Shared concern", PREAMBLE)
    sovereignty = add(principles, "Sovereignty", SOVEREIGNTY, rationale=RATIONALE)
    contacts = add(principles, "Contacts", CONTACTS)
    dropped = add(principles, "Capacity", "States should build capacity together.", status="proposed")
    rev1 = services.snapshot_create(draft=draft, label="First reading", by=moderator)
    services.clause_update(
        clause_id=sovereignty.id, version=1, by=moderator, text=SOVEREIGNTY.replace("each other", "its State")
    )
    services.clause_update(clause_id=contacts.id, version=1, by=moderator, status="bracketed")
    services.clause_update(clause_id=dropped.id, version=1, by=moderator, status="withdrawn")
    rev2 = services.snapshot_create(draft=draft, label="Second reading", by=moderator)
    return {"rev1": rev1, "rev2": rev2, "recognizing": recognizing, "sovereignty": sovereignty, "contacts": contacts}


def export(draft, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    response = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
    assert response.status_code == 200, response.content[:500]
    return response.content


def visible_text(html: bytes) -> str:
    return " ".join(lxml_html.fromstring(html).text_content().split())


def test_html_front_block_and_un_paragraph_style(draft, revisions):
    page = export(draft, "html", snapshot=revisions["rev2"].id)
    tree = lxml_html.fromstring(page)
    text = visible_text(page)
    assert tree.get("lang") == "fr"
    front = " ".join(tree.xpath("//header")[0].text_content().split())
    for expected in (
        draft.title,
        "CCC/2026/L.1/Rev.2",
        "Rev.2 (Second reading)",
        "Distribution: General",
        "Original: French",
        "Open-ended Working Group on ICT Security",
    ):
        assert expected in front, expected
    date = revisions["rev2"].created_at
    assert f"{date.day} {date:%B %Y}" in front
    assert tree.findtext(".//title") == draft.title
    # Sections: the preamble has no numeral, operative sections are Roman; paragraphs open on "1.",
    # "2." (UN style: no "OP", no title, no heading of their own).
    assert [h.text_content() for h in tree.xpath("//main/section/h2")] == ["Preamble", "I. Principles"]
    assert tree.xpath("//h3") == []
    operative = [" ".join(p.text_content().split()) for p in tree.xpath("//div[contains(@class, 'op')]")]
    assert operative[0].startswith("1. States") and operative[1] == f"2. [{CONTACTS}]"
    assert "Sovereignty" not in text and "OP1" not in text
    # The preambular paragraph: no number, its participle in italics, its reference as the anchor.
    paragraph = tree.get_element_by_id("PP1")
    assert paragraph.xpath(".//em")[0].text == "Recognizing"
    assert "PP1" not in text and not re.search(r"\b1\.\s*Recognizing", text)
    # No status line in a circulated text: the bracketed paragraph keeps its brackets as text.
    assert "Status" not in text and f"[{CONTACTS}]" in text
    assert not re.search(r"\[(proposed|bracketed|agreed)\]", page.decode())
    # The rationale is a numbered note that links back to its paragraph.
    note = tree.get_element_by_id("note-1")
    assert RATIONALE in note.text_content()
    assert note.xpath(".//a[@role='doc-backlink']")[0].get("href") == "#note-call-1"
    assert tree.get_element_by_id("note-call-1").get("href") == "#note-1"


def test_html_redline_shows_words_brackets_status_deletions_and_who(draft, revisions):
    page = export(draft, "html", snapshot=revisions["rev2"].id, redline=revisions["rev1"].id)
    tree = lxml_html.fromstring(page)
    text = visible_text(page)
    assert "Changes against Rev.1 of" in text and "inserted" in text and "deleted" in text and "moved" in text
    contacts = tree.get_element_by_id("OP2")
    # Agreed in Rev.1, bracketed in Rev.2: the brackets are inserted, the words themselves unchanged,
    # and no status line (in UN style the brackets say it).
    wording = contacts.xpath("./p[not(@class)]")[0]
    assert [i.text_content() for i in wording.xpath("ins")] == ["[", "]"] and not wording.xpath("del")
    assert wording.text_content() == f"2. [{CONTACTS}]"
    assert not contacts.xpath(".//*[@class='status']") and "not yet agreed" not in contacts.text_content()
    assert "Changed by the Chair" in contacts.text_content()
    sovereignty = tree.get_element_by_id("OP1")
    assert "its State" in [i.text_content() for i in sovereignty.xpath(".//ins")]
    assert "each other " in [d.text_content() for d in sovereignty.xpath(".//del")]
    # The withdrawn paragraph is shown struck, its number too, under its own heading.
    deleted = tree.get_element_by_id("deleted")
    assert [d.text_content() for d in deleted.xpath(".//del")] == ["3.", "[States should build capacity together.]"]
    assert "[proposed]" not in page.decode() and "[bracketed]" not in page.decode()
    # Screen readers are told what each mark is; no script anywhere.
    assert re.search(r'ins::before \{ content: " inserted: "; \}', page.decode()) and b"<script" not in page


def test_a_move_is_noted_in_html_and_markdown(draft, revisions, people):
    moderator = people["moderator"]
    norms = services.section_create(draft=draft, title="Norms", by=moderator)
    sovereignty = revisions["sovereignty"]
    sovereignty.refresh_from_db()
    services.clause_update(clause_id=sovereignty.id, version=sovereignty.version, by=moderator, section_id=norms.id)
    rev3 = services.snapshot_create(draft=draft, label="Third reading", by=moderator)
    page = export(draft, "html", snapshot=rev3.id, redline=revisions["rev2"].id)
    tree = lxml_html.fromstring(page)
    assert [h.text_content() for h in tree.xpath("//main/section/h2")] == ["Preamble", "I. Principles", "II. Norms"]
    # Read in order, it now follows Contacts: the revision renumbers both, the old number struck.
    numbers = [" ".join(n.text_content().split()) for n in tree.xpath("//span[@class='number']")]
    assert numbers == ["2.1.", "1.2."]
    moved = tree.get_element_by_id("OP2")
    assert [d.text_content() for d in moved.xpath(".//span[@class='number']/del")] == ["1."]
    remark = " ".join(p.text_content() for p in moved.xpath("./p[@class='remark']"))
    assert "Moved from Principles to Norms." in remark and "Changed by the Chair" in remark
    markdown = export(draft, "md", snapshot=rev3.id, redline=revisions["rev2"].id).decode()
    assert "{>>Moved from Principles to Norms.<<}" in markdown and "## II. Norms" in markdown
    assert "{--1.--}{++2.++} " in markdown and "### " not in markdown


def test_pdf_is_a4_tagged_with_bookmarks_header_footer_fonts_and_footnotes(draft, revisions):
    pdf = PdfReader(io.BytesIO(export(draft, "pdf", snapshot=revisions["rev2"].id)))
    for page in pdf.pages:
        assert abs(float(page.mediabox.width) - 595) <= 1 and abs(float(page.mediabox.height) - 842) <= 1
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert all("CCC/2026/L.1/Rev.2" in page and "Distribution: General" in page for page in pages)
    assert "Page 1 of" in pages[0] and all(f"of {len(pages)}" in page for page in pages)
    assert "Original: French" in pages[0] and "Open-ended Working Group on ICT Security" in pages[0]
    body = "\n".join(pages)
    assert RATIONALE in body and "1. States" in body and "PP1" not in body and "OP1" not in body
    assert "not yet agreed" not in body.replace("Text in square brackets is not yet agreed", "")
    assert "[bracketed]" not in body
    # Tagged for accessibility, in the draft's original language.
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true") and "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    # Bookmarks name the sections and the paragraphs.
    outline = [item for item in pdf.outline if not isinstance(item, list)]
    titles = [item.title for item in outline]
    assert titles == ["Preamble", "I. Principles"]
    nested = [child.title for group in pdf.outline if isinstance(group, list) for child in group]
    # Bookmarks cite paragraphs as the text does: no title where the text prints none.
    assert nested == ["PP1", "1.", "2."]
    # Every font carries its glyphs.
    descriptors = []
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptors.append(descendant.get_object()["/FontDescriptor"].get_object())
    assert descriptors and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in descriptors)
    # The document's metadata: its title, the issuing body, the text's date.
    assert pdf.metadata.title == draft.title and pdf.metadata.author == "Open-ended Working Group on ICT Security"
    assert pdf.metadata.creation_date.date() == revisions["rev2"].created_at.date()
    # The footnote sits at the foot of the page that cites it.
    cites = next(page for page in pages if "1. States" in page)
    assert RATIONALE in cites


def test_pdf_redline_keeps_deleted_and_inserted_words_apart(draft, revisions):
    pdf = PdfReader(io.BytesIO(export(draft, "pdf", snapshot=revisions["rev2"].id, redline=revisions["rev1"].id)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    # Copied from the PDF, each change says what it is, apart from its neighbours, not by colour alone.
    assert "{--each other --}{++its State++}" in text.replace("} {", "}{") and "otherits" not in text
    assert "Changes against Rev.1" in text and "inserted" in text
    assert "not yet agreed" not in text.replace("Text in square brackets is not yet agreed", "")
    # It says what it is: a comparison, with its own title and symbol, not the text it compares.
    assert "PREPARED FOR CONVENIENCE; NOT AN OFFICIAL DOCUMENT" in text and "Comparison of Rev.1 and Rev.2" in text
    assert pdf.metadata.title == "Comparison of Rev.1 and Rev.2"
    assert "deleted:" not in text and "inserted:" not in text  # marks for screen readers stay out of the print


def test_markdown_front_block_style_redline_and_footnotes(draft, revisions):
    plain = export(draft, "md", snapshot=revisions["rev2"].id).decode()
    for line in (
        f"# {draft.title}",
        "Symbol: CCC/2026/L.1/Rev.2",
        "Stage: Rev.2 (Second reading)",
        "Distribution: General",
        "Original: French",
        "Issued by: Open-ended Working Group on ICT Security",
        "## Preamble",
        "## I. Principles",
        f"2. [{CONTACTS}]",
    ):
        assert line in plain, line
    assert "### OP1" not in plain and "Status" not in plain
    assert f"*Recognizing* {PREAMBLE.split(' ', 1)[1]}" in plain and "PP1" not in plain
    assert f"[{CONTACTS}]" in plain and "(bracketed)" not in plain and "[bracketed]" not in plain
    assert re.search(r"\[\^1\]\n", plain) and f"[^1]: {RATIONALE}" in plain

    redline = export(draft, "md", snapshot=revisions["rev2"].id, redline=revisions["rev1"].id).decode()
    assert f"{{++[++}}{CONTACTS}{{++]++}}" in redline
    assert "not yet agreed" not in redline.replace("Text in square brackets is not yet agreed", "")
    assert "{--each other --}{++its State++}" in redline
    assert "## Deleted since Rev.1" in redline and "{--[States should build capacity together.]--}" in redline
    assert "{>>Changed by the Chair" in redline and f"[^1]: {RATIONALE}" in redline
    assert "Changes against Rev.1 of" in redline


def test_who_changed_a_paragraph_stays_on_its_page_in_the_pdf(samples):
    """In the PDF redline the note of who made a change never opens a page on its own, cut off from
    the paragraph it is about."""
    reader = PdfReader(str(samples["redline.pdf"]))
    for number, page in enumerate(reader.pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # The running head (the symbol) comes first; then the page's own text.
        body = [line for line in lines if line != "CCC/2026/L.1/Rev.2"]
        assert body and not body[0].startswith(("Changed by", "Renumbered from")), (number, body[:2])
