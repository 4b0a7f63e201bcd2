"""DOCX with real Word headings, so the document can be edited further; a redline is written as
tracked changes (w:ins / w:del), which Word shows as revisions to accept or reject."""

import io
from itertools import count

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

AUTHOR = "Code of Conduct drafting platform"


def _run(text: str, *, deleted: bool = False):
    run = OxmlElement("w:r")
    piece = OxmlElement("w:delText" if deleted else "w:t")
    piece.set(qn("xml:space"), "preserve")
    piece.text = text
    run.append(piece)
    return run


def _tracked(paragraph, changes, ids, date: str) -> None:
    for change in changes:
        if change["op"] == "equal":
            paragraph._p.append(_run(change["text"]))
            continue
        mark = OxmlElement("w:ins" if change["op"] == "insert" else "w:del")
        mark.set(qn("w:id"), str(next(ids)))
        mark.set(qn("w:author"), AUTHOR)
        mark.set(qn("w:date"), date)
        mark.append(_run(change["text"], deleted=change["op"] == "delete"))
        paragraph._p.append(mark)


def _table_of_contents(document) -> None:
    paragraph = document.add_paragraph()
    begin, instruction, separate, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, instruction, separate):
        run = OxmlElement("w:r")
        run.append(part)
        paragraph._p.append(run)
    paragraph.add_run("Right-click and choose Update Field to build the table of contents.")
    run = OxmlElement("w:r")
    run.append(end)
    paragraph._p.append(run)


def render(doc) -> bytes:
    word = Document()
    word.styles["Normal"].font.size = Pt(11)
    word.core_properties.title = doc.title
    word.core_properties.subject = doc.label
    word.add_heading(doc.title, level=0)
    word.add_paragraph(f"{doc.label} — {doc.date:%d %B %Y}")
    if doc.redline_label:
        word.add_paragraph(f"Changes since {doc.redline_label} are shown as tracked changes.")
    _table_of_contents(word)
    ids, date = count(1), f"{doc.date:%Y-%m-%dT%H:%M:%SZ}"
    for s_number, section in enumerate(doc.sections, 1):
        word.add_heading(f"{s_number}. {section.title}", level=1)
        for clause in section.clauses:
            status = "" if clause.status == "agreed" else f" [{clause.status}]"
            word.add_heading(f"{clause.cited}. {clause.title}{status}", level=2)
            for index, block in enumerate(_blocks(clause)):
                paragraph = word.add_paragraph()
                if clause.bracketed and index == 0:
                    paragraph.add_run("[")
                if clause.redline:
                    _tracked(paragraph, block, ids, date)
                else:
                    paragraph.add_run(block)
                if clause.bracketed and index == len(_blocks(clause)) - 1:
                    paragraph.add_run("]")
    for clause in doc.removed:
        word.add_heading(f"{clause.label}. {clause.title} [removed]", level=2)
        _tracked(word.add_paragraph(), clause.redline, ids, date)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _blocks(clause):
    """Paragraphs of plain text, or one paragraph of redline changes."""
    if clause.redline:
        return [clause.redline]
    return [p.strip() for p in clause.text.split("\n\n") if p.strip()] or [""]
