"""Word files a secretariat can send as they are: A4 pages, the symbol and stage in the header,
"Page x of y" and the distribution in the footer, a contents already filled in, sources as Word
footnotes, and tracked changes (w:ins / w:del) that name the delegation that made each change, which
Word and LibreOffice show as revisions to accept or reject.

Every Word paper (the text, a compilation, a synoptic table) shares this page set-up:
``new_document(meta)`` to start, ``add_contents``, ``add_footnote`` and ``add_tracked`` while
writing, ``finish(word, meta)`` for the bytes.
"""

import copy
import io
import re
import zipfile
from datetime import UTC, datetime

from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from . import word_template
from .style import language_name, opening_word

FOOTNOTES = f"""<w:footnotes {nsdecls("w", "r")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>
</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

# settings.xml children that come after w:footnotePr, in the schema's order.
_AFTER_FOOTNOTE_PR = ("endnotePr", "compat", "docVars", "rsids")
_CONTENTS = 'TOC \\o "1-1" \\h \\z \\u'


def long_date(when: datetime) -> str:
    """The date as a UN document writes it: "27 November 2026"."""
    return f"{when.day} {when:%B %Y}"


def stamp(when: datetime) -> str:
    """The ISO form Word reads in w:date and the core properties, in UTC: "2026-11-27T10:00:00Z"."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return f"{when:%Y-%m-%dT%H:%M:%SZ}"


def new_document(meta) -> WordDocument:
    """A new Word document with the page set-up every secretariat document shares.

    ``meta`` is any object with ``title``, ``full_symbol`` ("CCC/2026/L.1/Rev.2"), ``stage``
    ("Rev.2 (First reading)"), ``date`` (the text's date, a datetime), ``distribution`` ("General"),
    ``language`` (a code: "en") and ``issuing_body``; optionally ``running_head``, printed in the
    header instead of the stage. Starts from the secretariat's template (``word_template``: A4,
    the styles, Word's numbering of operative paragraphs), in the text's language, with a header
    on every page with the full symbol and the stage, a footer with the distribution and "Page x of
    y" (PAGE and NUMPAGES fields), Word's footnote and contents styles, and the front block: title,
    stage, issuing body, full symbol, "Distribution: General", date and "Original: English".
    Write the body with "Heading 1" for sections (the contents lists them) and pass the result to
    ``finish``.
    """
    word = word_template.document_from_template()
    word_template.set_language(word, word_template.word_language(meta.language))
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{meta.full_symbol}\t{getattr(meta, 'running_head', meta.stage)}"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"Distribution: {meta.distribution}\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")

    issuer = word.add_paragraph(meta.issuing_body)
    issuer.runs[0].bold = True
    symbol = word.add_paragraph()
    symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = symbol.add_run(meta.full_symbol)
    run.bold, run.font.size = True, Pt(14)
    identity = word.add_paragraph()
    identity.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = getattr(meta, "dated", "") or long_date(meta.date)  # the working text's with its time
    lines = [f"Distribution: {meta.distribution}", dated, f"Original: {language_name(meta.language)}"]
    for index, line in enumerate(lines):
        run = identity.add_run(line)
        if index < len(lines) - 1:
            run.add_break()
    if getattr(meta, "notice", ""):
        notice = word.add_paragraph()
        notice.add_run(meta.notice.upper()).bold = True
    word.add_heading(meta.title, level=0)
    word.add_paragraph(meta.stage, style="Subtitle")
    return word


def add_contents(word: WordDocument) -> None:
    """Put the table of contents here: a TOC field over the "Heading 1" paragraphs that Word
    refreshes when the file is opened; ``finish`` writes its entries in already, so readers that
    do not refresh fields (LibreOffice, a converter) show the right contents too."""
    word.add_paragraph("Contents", style="TOC Heading")
    paragraph = word.add_paragraph(style="toc 1")
    paragraph._p.append(_fld_char("begin"))
    paragraph._p.append(_instruction(_CONTENTS))
    paragraph._p.append(_fld_char("separate"))
    paragraph._p.append(_fld_char("end"))


def add_footnote(word: WordDocument, paragraph, text: str):
    """A Word footnote holding ``text`` (blank lines part its paragraphs), referenced at the end of
    ``paragraph``. Returns the reference run (a w:r element), e.g. to put inside a tracked insertion."""
    footnotes = _footnotes_part(word).element
    number = max(int(note.get(qn("w:id"))) for note in footnotes.findall(qn("w:footnote"))) + 1
    note = OxmlElement("w:footnote")
    note.set(qn("w:id"), str(number))
    for index, block in enumerate(_blocks(text)):
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), "FootnoteText")
        p_pr.append(style)
        p.append(p_pr)
        if index == 0:
            p.append(_reference_run("w:footnoteRef"))
            block = f" {block}"
        p.append(_run(block))
        note.append(p)
    footnotes.append(note)
    reference = _reference_run("w:footnoteReference", number)
    paragraph._p.append(reference)
    return reference


def add_tracked(
    word: WordDocument,
    ops: list[dict],
    *,
    author: str,
    date: datetime,
    style: str | None = None,
    paragraph=None,
    italic: bool = False,
    italic_first_word: bool = False,
    whole: str | None = None,
) -> list:
    """Write ``ops`` (``{op: equal|insert|delete, text}``) as runs, inserted and deleted ones as
    tracked changes by ``author`` at ``date``; a blank line in the text starts a new paragraph.

    Continues ``paragraph`` when given, else starts one in ``style``. ``whole="insert"`` (or
    "delete") marks everything, paragraph marks included, as one inserted (deleted) block, so
    rejecting (accepting) it leaves no empty paragraph behind. Returns the paragraphs written to.
    """
    paragraphs = [paragraph if paragraph is not None else word.add_paragraph(style=style)]
    pending = italic_first_word
    for change in ops:
        op = whole or change["op"]
        for index, chunk in enumerate(re.split(r"\n\s*\n", change["text"])):
            if index:
                if op != "equal":
                    _mark_paragraph(paragraphs[-1], op, author, date)
                paragraphs.append(word.add_paragraph(style=style))
                chunk = chunk.lstrip()
            chunk = re.sub(r"[ \t]*\n[ \t]*", " ", chunk)
            if not chunk:
                continue
            runs, first_word_done = _runs(chunk, deleted=op == "delete", italic=italic, italic_first_word=pending)
            pending = pending and not (first_word_done and op != "delete")
            target = paragraphs[-1]._p
            if op != "equal":
                target = _revision("w:ins" if op == "insert" else "w:del", author, date)
                paragraphs[-1]._p.append(target)
            for run in runs:
                target.append(run)
    if whole:
        for written in paragraphs:
            _mark_paragraph(written, whole, author, date)
    return paragraphs


def track(element, op: str, *, author: str, date: datetime) -> None:
    """Wrap an element already written (a run, e.g. a footnote reference) in a tracked change."""
    mark = _revision("w:ins" if op == "insert" else "w:del", author, date)
    element.addprevious(mark)
    mark.append(element)


def finish(word: WordDocument, meta) -> bytes:
    """The file's bytes, ready to send. ``meta`` as for ``new_document``.

    Fills in the contents (see ``add_contents``) from the "Heading 1" paragraphs, asks Word to
    refresh fields on opening (w:updateFields), numbers the tracked changes, sets the core
    properties (title; subject: symbol and stage; author and last modified by: the issuing body;
    created and modified: the text's date) and drops what the template brought (python-docx as
    creator, its thumbnail).
    """
    _fill_contents(word)
    _number_revisions(word)
    _settings(word)
    properties = word.core_properties
    properties.title = meta.title[:255]
    properties.subject = f"{meta.full_symbol}, {meta.stage}"[:255]
    properties.author = properties.last_modified_by = meta.issuing_body[:255]
    properties.identifier = meta.full_symbol[:255]
    properties.language = meta.language or ""
    properties.comments = properties.keywords = properties.category = ""
    properties.revision = 1
    date = datetime.fromisoformat(stamp(meta.date)[:-1])
    properties.created = properties.modified = date
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    # The template's bibliography store: an empty part nobody asked for.
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            del word.part.rels[rel_id]
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _app_properties(meta)
    buffer = io.BytesIO()
    word.save(buffer)
    return _dated(buffer.getvalue(), date)


def _dated(package: bytes, when: datetime) -> bytes:
    """The package with every part dated ``when`` (the text's date) instead of the moment it was
    written: the same document gives the same bytes whenever it is made again."""
    stamp_ = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=stamp_)
            part.compress_type, part.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(part, source.read(info.filename))
    return out.getvalue()


def _app_properties(meta) -> bytes:
    """docProps/app.xml naming the issuing body, in place of the template's ("Microsoft Macintosh
    Word", "Normal.dotm", word counts of an empty document)."""
    properties = parse_xml(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application/><DocSecurity>0</DocSecurity><Company/><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc></Properties>"
    )
    properties[0].text = "Code of Conduct drafting"
    properties[2].text = meta.issuing_body
    return etree.tostring(properties, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fld_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str):
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {text} "
    run.append(instruction)
    return run


def _field(paragraph, instruction: str, cached: str) -> None:
    """A field (PAGE, NUMPAGES) with a result already in place for readers that do not compute it."""
    for element in (_fld_char("begin"), _instruction(instruction), _fld_char("separate"), _run(cached)):
        paragraph._p.append(element)
    paragraph._p.append(_fld_char("end"))


def _run(text: str, *, deleted: bool = False, italic: bool = False):
    run = OxmlElement("w:r")
    if italic:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:i"))
        run.append(properties)
    piece = OxmlElement("w:delText" if deleted else "w:t")
    piece.set(qn("xml:space"), "preserve")
    piece.text = text
    run.append(piece)
    return run


def _runs(text: str, *, deleted: bool, italic: bool, italic_first_word: bool):
    """Runs for ``text``; with ``italic_first_word`` its first word (the preamble's participle,
    "Recognizing") in italics. Returns the runs and whether a first word was found."""
    parts = opening_word(text) if italic_first_word else None
    if parts is None:
        return [_run(text, deleted=deleted, italic=italic)], False
    before, first, rest = parts
    runs = [_run(before, deleted=deleted, italic=italic)] if before else []
    runs.append(_run(first, deleted=deleted, italic=True))
    if rest:
        runs.append(_run(rest, deleted=deleted, italic=italic))
    return runs, True


def _revision(tag: str, author: str, date: datetime):
    """A w:ins or w:del; ``finish`` gives every one its id."""
    mark = OxmlElement(tag)
    mark.set(qn("w:id"), "0")
    mark.set(qn("w:author"), author)
    mark.set(qn("w:date"), stamp(date))
    return mark


def _mark_paragraph(paragraph, op: str, author: str, date: datetime) -> None:
    """Mark the paragraph mark itself inserted or deleted, so the whole paragraph comes or goes."""
    properties = paragraph._p.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        properties.append(marks)
    tag = "w:ins" if op == "insert" else "w:del"
    if marks.find(qn(tag)) is None:
        marks.insert(0, _revision(tag, author, date))


def _reference_run(tag: str, number: int | None = None):
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "FootnoteReference")
    properties.append(style)
    run.append(properties)
    reference = OxmlElement(tag)
    if number is not None:
        reference.set(qn("w:id"), str(number))
    run.append(reference)
    return run


def _footnotes_part(word: WordDocument) -> XmlPart:
    for rel in word.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES), word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)
    return part


def _has_footnotes(word: WordDocument) -> bool:
    return any(rel.reltype == RT.FOOTNOTES for rel in word.part.rels.values())


def _fill_contents(word: WordDocument) -> None:
    """Write the contents field's result: one entry per "Heading 1", linked to a bookmark on it."""
    body = word.element.body
    field = next(
        (i.getparent().getparent() for i in body.iter(qn("w:instrText")) if i.text.strip().startswith("TOC")),
        None,
    )
    if field is None:
        return
    end = [run for run in field.findall(qn("w:r")) if run.find(qn("w:fldChar")) is not None][-1]
    headings = [p for p in body.iter(qn("w:p")) if p.style == "Heading1"]
    entry, template = field, copy.deepcopy(field.pPr)
    for number, heading in enumerate(headings, 1):
        name = f"_Toc{number:08d}"
        start, stop = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), name)
        stop.set(qn("w:id"), str(number))
        properties = heading.pPr
        if properties is not None:
            properties.addnext(start)
        else:
            heading.insert(0, start)
        heading.append(stop)
        if number > 1:
            following = OxmlElement("w:p")
            following.append(copy.deepcopy(template))
            entry.addnext(following)
            entry = following
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        link.append(_run("".join(t.text or "" for t in heading.iter(qn("w:t")))))
        if entry is field:
            end.addprevious(link)
        else:
            entry.append(link)
    if entry is not field:
        entry.append(end)


def _number_revisions(word: WordDocument) -> None:
    """Every tracked change its own id, as Word requires."""
    body = word.element.body
    # Past the bookmarks' ids, so no two annotations share one.
    first = 1 + max((int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))), default=0)
    for number, mark in enumerate(body.iter(qn("w:ins"), qn("w:del")), first):
        mark.set(qn("w:id"), str(number))


def _settings(word: WordDocument) -> None:
    """Name the footnote separators, as Word does. (No request to update fields on opening: the
    contents and page numbers are written in already.)"""
    settings = word.settings.element
    if _has_footnotes(word) and settings.find(qn("w:footnotePr")) is None:
        properties = OxmlElement("w:footnotePr")
        for number in ("-1", "0"):
            separator = OxmlElement("w:footnote")
            separator.set(qn("w:id"), number)
            properties.append(separator)
        _insert_before(settings, properties, _AFTER_FOOTNOTE_PR)


def _insert_before(parent, element, successors: tuple[str, ...]) -> None:
    for name in successors:
        following = parent.find(qn(f"w:{name}"))
        if following is not None:
            following.addprevious(element)
            return
    parent.append(element)


def _blocks(text: str) -> list[str]:
    return [re.sub(r"\s*\n\s*", " ", p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()] or [""]
