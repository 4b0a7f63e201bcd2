"""The DOCX a secretariat sends: opened as Word and LibreOffice would open it."""

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from drafting import services
from drafting.documents.word_files import long_date
from drafting.models import Clause, SectionKind
from tests.conftest import client_for
from tests.drafting.conftest import CAPACITY
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY = "Secretariat of the Open-ended Working Group"
SOURCE = "General Assembly resolution 58/199 on the culture of cybersecurity."


@pytest.fixture
def record(draft, people):
    """A preamble and two operative sections, published as Rev.1; then the Chair (a moderator who is
    also Brazil's delegate) puts an agreed clause into brackets, rewords another and moves a third,
    and, speaking for Brazil, adds one; then Rev.2."""
    moderator = people["moderator"]
    organization = moderator.memberships.get().organization
    organization.name = "Brazil"
    organization.save()
    services.draft_update(draft=draft, by=people["admin"], symbol="CCC/2026/L.1", issuing_body=BODY)
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=moderator)
    principles = services.section_create(draft=draft, title="Principles", by=moderator)
    norms = services.section_create(draft=draft, title="Norms", by=moderator)
    clauses = {
        "recognizing": ClauseFactory(
            section=preamble,
            number=1,
            preambular=True,
            title="Security",
            text="Recognizing the importance of a culture of cybersecurity,",
            rationale=SOURCE,
        ),
        "cooperate": ClauseFactory(section=principles, number=1, title="Cooperation", text="States may cooperate."),
        "contact": ClauseFactory(section=principles, number=2, title="Contacts", text="States name a contact."),
        "alternatives": ClauseFactory(
            section=norms, number=4, title="Options", text="States [shall] [should] report.", status="proposed"
        ),
        "moving": ClauseFactory(section=principles, number=3, title="Help", text="States help each other."),
    }
    before = services.snapshot_create(draft=draft, label="Rev.1", by=moderator)
    services.clause_update(clause_id=clauses["contact"].id, version=1, by=moderator, status="bracketed")
    services.clause_update(
        clause_id=clauses["cooperate"].id, version=1, by=moderator, text="States shall cooperate in good faith."
    )
    services.clause_update(clause_id=clauses["moving"].id, version=1, by=moderator, section_id=norms.id)
    services.clause_create(
        draft=draft,
        section_id=norms.id,
        title="Reports",
        text="States report yearly.",
        status="agreed",
        speaking_as="delegation",
        by=moderator,
    )
    after = services.snapshot_create(draft=draft, label="First reading", by=moderator)
    return {"before": before, "after": after, **clauses}


def docx(draft, **params) -> bytes:
    query = "&".join(f"{k}={v}" for k, v in {"format": "docx", **params}.items())
    response = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
    assert response.status_code == 200, response.content[:500]
    return response.content


def part(content: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return etree.fromstring(package.read(name))


def texts(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))


def test_a4_pages_with_symbol_and_stage_in_the_header_and_page_x_of_y_in_the_footer(draft, record):
    content = docx(draft, snapshot=record["after"].id)
    section = Document(io.BytesIO(content)).sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert Cm(1.5) <= section.left_margin <= Cm(3) and Cm(1.5) <= section.top_margin <= Cm(3)
    header = "".join(p.text for p in section.header.paragraphs)
    assert "CCC/2026/L.1/Rev.2" in header and "First reading" in header
    footer = section.footer.paragraphs[0]._p
    instructions = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Distribution: General" in texts(footer) and "Page 1 of 1" in texts(footer)
    settings = part(content, "word/settings.xml")
    assert settings.find(f"{W}updateFields") is None  # no "update fields?" prompt on opening


def test_front_block_carries_the_document_identity(draft, record):
    document = Document(io.BytesIO(docx(draft, snapshot=record["after"].id)))
    top = "\n".join(p.text for p in document.paragraphs[:6])
    for line in (
        draft.title,
        "CCC/2026/L.1/Rev.2",
        long_date(record["after"].created_at),
        "Distribution: General",
        "Original: English",
        BODY,
    ):
        assert line in top


@pytest.fixture
def long_text(monkeypatch):
    """The record's text counted as a long one, which has a contents page (a short one has none)."""
    monkeypatch.setattr("drafting.documents.document.SHORT_TEXT_WORDS", 0)


def test_a_short_text_has_no_contents_page(draft, record):
    document = Document(io.BytesIO(docx(draft, snapshot=record["after"].id)))
    assert not [i for i in document.element.body.iter(qn("w:instrText")) if i.text.strip().startswith("TOC")]
    assert "Contents" not in [p.text for p in document.paragraphs]


def test_contents_is_filled_in_before_anyone_updates_it(draft, record, long_text):
    document = Document(io.BytesIO(docx(draft, snapshot=record["after"].id)))
    body, entries, state = document.element.body, [], None
    for element in body.iter(qn("w:instrText"), qn("w:fldChar"), qn("w:t")):
        kind = element.get(qn("w:fldCharType"))
        if element.tag == qn("w:instrText") and element.text.strip().startswith("TOC"):
            state = "instruction"
        elif state == "instruction" and kind == "separate":
            state = "result"  # what a reader shows until the field is updated
        elif state == "result" and kind == "end":
            break
        elif state == "result" and element.tag == qn("w:t"):
            entries.append(element.text)
    assert entries == ["Preamble", "I. Principles", "II. Norms"]
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))}
    bookmarks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert len(anchors) == 3 and anchors <= bookmarks


def test_core_properties_name_the_body_and_the_texts_date_and_nothing_of_the_template(draft, record):
    content = docx(draft, snapshot=record["after"].id)
    properties = Document(io.BytesIO(content)).core_properties
    assert properties.author == BODY and properties.last_modified_by == BODY
    assert properties.title == draft.title and "CCC/2026/L.1/Rev.2" in properties.subject
    created = record["after"].created_at.replace(microsecond=0, tzinfo=None)
    assert properties.created.replace(tzinfo=None) == created == properties.modified.replace(tzinfo=None)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert not [name for name in package.namelist() if "thumbnail" in name]
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"python-docx" not in everything and b"thumbnail" not in everything


def test_rationale_is_a_word_footnote(draft, record):
    content = docx(draft, snapshot=record["after"].id)
    footnotes = part(content, "word/footnotes.xml")
    notes = {note.get(f"{W}id"): note for note in footnotes.findall(f"{W}footnote")}
    assert notes["-1"].get(f"{W}type") == "separator" and notes["0"].get(f"{W}type") == "continuationSeparator"
    (number,) = [n for n, note in notes.items() if SOURCE in texts(note)]
    document = part(content, "word/document.xml")
    (reference,) = document.iter(f"{W}footnoteReference")
    assert reference.get(f"{W}id") == number
    assert "culture of cybersecurity," in texts(reference.getparent().getparent())
    types = part(content, "[Content_Types].xml")
    assert any(
        o.get("PartName") == "/word/footnotes.xml"
        and o.get("ContentType") == "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
        for o in types
    )
    styles = part(content, "word/styles.xml")
    assert styles.find(f".//{W}style[@{W}styleId='FootnoteReference']/{W}rPr/{W}vertAlign").get(f"{W}val") == (
        "superscript"
    )


def operative(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Operative Paragraph"]


def test_un_paragraph_style(draft, record):
    """A circulated revision: operative paragraphs in the template's *Operative Paragraph* style,
    numbered "1.", "2." by Word itself; no "OP", no title, no status line; square brackets say what
    is not agreed; preambular paragraphs in their own style, the participle in italics."""
    document = Document(io.BytesIO(docx(draft, snapshot=record["after"].id)))
    paragraphs = [(p.style.name, p.text, p) for p in document.paragraphs]
    headings = [text for style, text, _ in paragraphs if style.startswith("Heading")]
    assert headings == ["Preamble", "I. Principles", "II. Norms"]
    (preamble,) = [p for style, text, p in paragraphs if style == "Preambular Paragraph"]
    assert preamble.runs[0].text == "Recognizing" and preamble.runs[0].italic
    assert not preamble.runs[1].italic
    texts_ = operative(document)
    assert texts_[:2] == ["States shall cooperate in good faith.", "[States name a contact.]"]
    assert "[States [shall] [should] report.]" in texts_
    # Word numbers them: the style is in the template's list "1.", "2.", and no number is typed.
    style = document.styles["Operative Paragraph"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    numbering = document.part.numbering_part.element
    (num,) = [n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id]
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    everything = "\n".join(text for _, text, _ in paragraphs)
    assert "OP" not in everything and "Cooperation" not in everything and "not yet agreed" not in everything
    assert "[proposed]" not in everything and "[bracketed]" not in everything


def test_the_working_text_keeps_numbers_titles_and_statuses_for_the_drafters(draft, record):
    document = Document(io.BytesIO(docx(draft)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "OP2. Contacts (bracketed, not yet agreed)" in headings
    assert "WORKING TEXT, NOT FOR CIRCULATION" in [p.text for p in document.paragraphs[:8]]


def test_titles_print_where_the_draft_makes_them_part_of_the_text(draft, record, people):
    services.draft_update(draft=draft, by=people["moderator"], titles_in_text=True)
    rev3 = services.snapshot_create(draft=draft, label="Titled", by=people["moderator"])
    document = Document(io.BytesIO(docx(draft, snapshot=rev3.id)))
    assert "Cooperation. States shall cooperate in good faith." in operative(document)
    # A revision prints as it was circulated: Rev.2 came out without titles, and stays so.
    assert "States shall cooperate in good faith." in operative(
        Document(io.BytesIO(docx(draft, snapshot=record["after"].id)))
    )


def tracked(document, tag):
    return [(texts(mark), mark.get(qn("w:author")), mark.get(qn("w:date"))) for mark in document.element.iter(qn(tag))]


def decided(content: bytes, *, accept: bool) -> list[tuple[str, str]]:
    """What Word's "Accept all" (or "Reject all") leaves of a DOCX's body, as ``(style, text)`` per
    paragraph from the first section heading on: the other side's changes and the paragraphs whose
    mark they delete gone, this side's kept as plain text."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")).find(f"{W}body")
    drop, keep = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    for paragraph in list(body.iter(f"{W}p")):
        if paragraph.find(f"{W}pPr/{W}rPr/{drop}") is not None and not texts_kept(paragraph, drop):
            paragraph.getparent().remove(paragraph)  # its mark goes: a whole paragraph of the other side
    for mark in list(body.iter(drop)):
        mark.getparent().remove(mark)
    for mark in list(body.iter(keep)):
        for child in list(mark):
            mark.addprevious(child)
        mark.getparent().remove(mark)
    styles = {
        s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
        for s in part(content, "word/styles.xml").findall(f"{W}style")
    }
    lines, started = [], False
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        name = styles.get(style.get(f"{W}val"), "") if style is not None else "Normal"
        started = started or name == "heading 1"
        if started:
            lines.append((name, texts(paragraph)))
    return lines


def texts_kept(paragraph, drop: str) -> str:
    """The paragraph's text outside the changes being dropped (none, for a whole paragraph of them)."""
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t") if not any(a.tag == drop for a in t.iterancestors()))


def body(content: bytes) -> list[tuple[str, str]]:
    return decided(content, accept=True)  # a text with no tracked change: itself


def test_accept_all_gives_the_newer_text_and_reject_all_the_older_word_for_word(draft, record, people):
    """Over the record's Rev.1 and Rev.2 (reworded, bracketed, moved and added paragraphs), and a Rev.3
    that deletes one, renumbers, and retitles a section: every comparison's "Accept all" is the newer
    revision exactly and its "Reject all" the older one."""
    moderator = people["moderator"]
    services.clause_update(clause_id=record["contact"].id, version=2, by=moderator, status="withdrawn")
    services.section_update(section_id=draft.sections.get(title="Norms").id, title="Norms of behaviour", by=moderator)
    preamble = draft.sections.get(title="Preamble")
    services.clause_create(
        draft=draft,
        section_id=preamble.id,
        title="Noting",
        text="Noting the work done,",
        status="proposed",
        by=moderator,
    )
    rev3 = services.snapshot_create(draft=draft, label="Third", by=moderator)
    texts_ = {s: docx(draft, snapshot=s.id) for s in (record["before"], record["after"], rev3)}
    for older, newer in ((record["before"], record["after"]), (record["after"], rev3), (record["before"], rev3)):
        comparison = docx(draft, snapshot=newer.id, redline=older.id)
        assert decided(comparison, accept=True) == body(texts_[newer]), (older.label, newer.label)
        assert decided(comparison, accept=False) == body(texts_[older]), (older.label, newer.label)


def test_a_comparison_tracks_words_brackets_moves_and_additions_by_the_delegation(draft, record):
    content = docx(draft, snapshot=record["after"].id, redline=record["before"].id)
    document = Document(io.BytesIO(content))
    inserted, deleted = tracked(document, "w:ins"), tracked(document, "w:del")
    # The Chair's changes are the Chair's; only the paragraph added for Brazil is Brazil's.
    authors = {author for _, author, _ in inserted + deleted}
    assert authors == {"the Chair", next(a for a in authors if "Brazil" in a)}, authors
    assert all("Brazil" in author for text, author, _ in inserted if "report yearly" in text)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date) for _, _, date in inserted + deleted)
    # Agreed text going into brackets: the brackets are inserted around the kept words.
    contact = next(p for p in document.element.body.iter(qn("w:p")) if "States name a contact." in texts(p))
    marks = [(child.tag, texts(child)) for child in contact if child.tag != qn("w:pPr")]
    assert marks[0] == (qn("w:ins"), "[") and marks[-1] == (qn("w:ins"), "]")
    # Reworded text: old words deleted, new inserted, by the delegate at the time of the change.
    reworded = next(p for p in document.paragraphs if "cooperate" in texts(p._p))._p
    when = Clause.history.filter(id=record["cooperate"].id).latest("history_date").history_date
    stamp = f"{when.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    assert [(texts(m), m.get(qn("w:date"))) for m in reworded.iter(qn("w:del"))] == [("may", stamp)]
    assert [texts(m).strip() for m in reworded.iter(qn("w:ins"))] == ["shall", "in good faith"]
    # A moved paragraph is deleted where it was and inserted where it is, a comment on each end.
    moved = [p for p in document.element.body.iter(qn("w:p")) if "States help each other." in texts(p)]
    assert [m.find(f"{qn('w:pPr')}/{qn('w:rPr')}")[0].tag for m in moved] == [qn("w:del"), qn("w:ins")]
    comments = part(content, "word/comments.xml")
    notes = sorted(texts(c) for c in comments.findall(f"{W}comment"))
    assert notes == ["Moved here from section I. Principles.", "Moved to section II. Norms."]
    # An added paragraph is inserted whole, its paragraph mark too.
    added = [p for p in document.element.body.iter(qn("w:p")) if "States report yearly." in texts(p)]
    assert added and added[0].find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None
    assert all(t.getparent().getparent().tag == qn("w:del") for t in document.element.iter(qn("w:delText")))
    ids = [m.get(qn("w:id")) for m in document.element.iter(qn("w:ins"), qn("w:del"))]
    assert len(ids) == len(set(ids))
    legend = next(p.text for p in document.paragraphs if "tracked changes" in p.text)
    assert "Rev.1" in legend and long_date(record["before"].created_at) in legend
    assert "[proposed]" not in texts(document.element.body)


def test_a_deleted_paragraph_is_a_tracked_deletion_where_it_was(draft, record, people):
    services.clause_update(clause_id=record["moving"].id, version=2, by=people["moderator"], status="withdrawn")
    content = docx(draft, redline=record["after"].id)
    document = Document(io.BytesIO(content))
    deleted = " ".join(text for text, _, _ in tracked(document, "w:del"))
    assert "States help each other." in deleted
    gone = next(p for p in document.element.body.iter(qn("w:p")) if "States help each other." in texts(p))
    assert gone.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None
    # Where it stood in Rev.2, between "Options" and "Reports", not at the end.
    order = [texts(p) for p in document.element.body.iter(qn("w:p")) if "States" in texts(p)]
    assert order.index(next(t for t in order if "help each other" in t)) < order.index(
        next(t for t in order if "report yearly" in t)
    )


def test_word_numbers_the_paragraphs_of_a_comparison_so_a_renumbering_needs_no_change(draft, record, people):
    """Rev.3 puts section I after section II: Word numbers the paragraphs in their new order, so no
    number is a tracked change; the working text against Rev.3 types its numbers, and a number that
    changed is a tracked change (old deleted, new inserted)."""
    principles = draft.sections.get(title="Principles")
    services.section_update(section_id=principles.id, position=9, by=people["moderator"])
    rev3 = services.snapshot_create(draft=draft, label="Second reading", by=people["moderator"])
    content = docx(draft, snapshot=rev3.id, redline=record["after"].id)
    assert not [t for t in Document(io.BytesIO(content)).element.iter(qn("w:delText")) if re.match(r"\d+\.", t.text)]
    assert decided(content, accept=True) == body(docx(draft, snapshot=rev3.id))
    services.clause_create(
        draft=draft,
        section_id=draft.sections.get(title="Norms").id,
        title="New",
        text="States meet.",
        by=people["moderator"],
    )
    working = Document(io.BytesIO(docx(draft, redline=rev3.id)))
    assert "OP1. Help" in [p.text for p in Document(io.BytesIO(docx(draft))).paragraphs if p.style.name == "Heading 2"]
    assert working.paragraphs  # typed numbers: checked by accept/reject below
    plain = Document(io.BytesIO(docx(draft, snapshot=rev3.id)))
    assert "States help each other." in operative(plain)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_it_without_loss(draft, record, tmp_path, long_text):
    (tmp_path / "text.docx").write_bytes(docx(draft, snapshot=record["after"].id))
    (tmp_path / "redline.docx").write_bytes(docx(draft, snapshot=record["after"].id, redline=record["before"].id))
    profile = Path(tempfile.mkdtemp(prefix="lo-"))  # a profile of its own: runs in parallel
    try:
        for target in ("pdf", "txt:Text"):
            subprocess.run(
                ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target]
                + ["--outdir", str(tmp_path), str(tmp_path / "text.docx"), str(tmp_path / "redline.docx")],
                check=True,
                capture_output=True,
                timeout=30,
            )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    from pypdf import PdfReader

    pages = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "text.pdf").pages)
    # The footnote, the header and the footer.
    assert SOURCE in pages and "CCC/2026/L.1/Rev.2" in pages and re.search(r"Page 1 of \d", pages)
    text = (tmp_path / "text.txt").read_text(encoding="utf-8-sig")
    contents = text[text.index("Contents") :]
    assert contents.index("Preamble") < contents.index("I. Principles") < contents.index("II. Norms")
    for words in (
        "Recognizing the importance of a culture of cybersecurity,",
        "States shall cooperate in good faith.",
        "[States name a contact.]",
        "[States [shall] [should] report.]",
        "States help each other.",
        "States report yearly.",
    ):
        assert words in text and words in pages, words
    # The comparison shows deleted and inserted words side by side.
    redline = (tmp_path / "redline.txt").read_text(encoding="utf-8-sig")
    assert "States mayshall cooperate in good faith." in redline
    assert "States report yearly." in redline
    assert (tmp_path / "redline.pdf").read_bytes().startswith(b"%PDF")


def test_a_renumbering_in_the_docx_comparison_is_words_numbering_not_a_change(samples):
    """Rev.2 puts a paragraph into section I, so every operative paragraph after it moves one number
    on. Word numbers the comparison's paragraphs itself (both texts run 1, 2, 3 ...), so no number
    is typed or tracked: accepting every change numbers them as Rev.2, rejecting them as Rev.1."""
    word = Document(str(samples["redline.docx"]))
    operative = [p for p in word.paragraphs if p.style.name == "Operative Paragraph"]
    assert operative and not [t for p in operative for t in p._p.iter(qn("w:delText")) if re.match(r"\d", t.text)]
    assert not [p for p in word.paragraphs if p.style.name == "Heading 2"]  # no "OP6. Cooperation" headings
    added = next(p for p in operative if CAPACITY in "".join(t.text for t in p._p.iter(qn("w:t"))))
    assert added._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None  # its paragraph mark too


def test_the_docx_carries_no_template_leftovers(samples):
    """docProps/app.xml names the issuing body, not "Microsoft Macintosh Word" and "Normal.dotm";
    the template's empty bibliography store is gone."""
    for name in ("redline.docx", "compilation.docx"):
        with zipfile.ZipFile(samples[name]) as package:
            assert not [n for n in package.namelist() if n.startswith("customXml/")]
            app = etree.fromstring(package.read("docProps/app.xml"))
        values = {etree.QName(e).localname: e.text for e in app}
        assert values["Company"] == "Secretariat of the Code of Conduct negotiation"
        assert "Microsoft" not in (values.get("Application") or "") and "Template" not in values
