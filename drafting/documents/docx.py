"""The text as DOCX, on the secretariat's page set-up (``word_files``): the clauses in UN paragraph
style, sources as Word footnotes, and a comparison written as tracked changes (w:ins / w:del) that
name the delegation that made each change, which Word and LibreOffice show as revisions to accept
or reject.
"""

from datetime import datetime
from difflib import SequenceMatcher

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..models import SectionKind, SectionNumerals
from .document import Edition
from .word_files import add_contents, add_footnote, add_tracked, finish, long_date, new_document, stamp, track
from .word_template import OPERATIVE, PREAMBULAR


def render(doc) -> bytes:
    """The document as DOCX; a comparison (``doc.redline_label``) with every change tracked."""
    word = new_document(doc)
    if doc.redline_label:
        when = f" of {long_date(doc.redline_date)}" if doc.redline_date else ""
        legend = word.add_paragraph()
        legend.add_run(
            f"Changes since {doc.redline_rev}{when} are shown as tracked changes: inserted and deleted text, "
            "numbers, titles and statuses, and added, moved or deleted paragraphs, each with the delegation that "
            "made it and its date; a moved paragraph is deleted where it was and inserted where it is, with a "
            "comment. Accepting every change gives the newer text, rejecting every change the older one."
        ).italic = True
    if not doc.short:
        add_contents(word)
    if doc.redline_label:
        _comparison(word, doc)
    else:
        for section in doc.sections:
            word.add_heading(section.heading, level=1)
            for clause in section.clauses:
                _clause(word, clause, doc)
    return finish(word, doc)


def _clause(word, clause, doc) -> None:
    """A paragraph of a text: in a circulated text in UN style (``_paragraph``); in the working text
    under its "OP3. Title (status)" heading, a preambular one's status at its end."""
    if doc.edition == Edition.CIRCULATED:
        _paragraph(word, doc, None, clause)
        return
    author, date = doc.issuing_body, doc.date
    status = [{"op": "equal", "text": f" ({clause.status_words})"}] if clause.status_words else []
    if not clause.preambular:
        heading = f"{clause.ref}. {clause.title}" if doc.shows_titles else clause.ref
        add_tracked(word, [{"op": "equal", "text": heading}, *status], author=author, date=date, style="Heading 2")
    paragraphs = add_tracked(word, _words(clause), italic_first_word=clause.preambular, author=author, date=date)
    if doc.cites_note(clause):
        add_footnote(word, paragraphs[-1], clause.rationale)
    if clause.preambular and status:
        add_tracked(word, status, paragraph=paragraphs[-1], italic=True, author=author, date=date)


def _words(clause) -> list[dict]:
    """The paragraph's words as they stand, in square brackets where not agreed."""
    text = clause.text.strip()
    return [{"op": "equal", "text": f"[{text}]" if clause.bracketed else text}]


def _paragraph(word, doc, old, new, *, whole: str | None = None, note: str = "", by=None) -> None:
    """A paragraph in UN style: preambular unnumbered, its first word in italics; operative numbered
    "3." (by Word, in the template's *Operative Paragraph* list, where the text runs 1, 2, 3 ...),
    its title run in only where the draft makes titles part of the text. In a comparison, ``old``
    and ``new`` are the paragraph in the older and newer text (one of them None when only one has
    it: it is then inserted or deleted ``whole``), and every difference is a tracked change."""
    clause = new or old
    source = by or clause
    author, date = source.changed_by or doc.issuing_body, source.changed_at or doc.date
    ops = []
    if not clause.preambular and not doc.numbered_by_word:
        before, after = (f"{old.label}.\t" if old else ""), (f"{new.label}.\t" if new else "")
        ops += (
            _changed(before, after) if old and new and before != after else [{"op": "equal", "text": after or before}]
        )
    if not clause.preambular and doc.shows_titles:
        before, after = (f"{old.title}. " if old else ""), (f"{new.title}. " if new else "")
        ops += (
            _changed(before, after) if old and new and before != after else [{"op": "equal", "text": after or before}]
        )
    ops += new.redline if (old and new and new.redline) else _words(clause)
    style = PREAMBULAR if clause.preambular else OPERATIVE
    paragraphs = add_tracked(
        word, ops, style=style, italic_first_word=clause.preambular, author=author, date=date, whole=whole
    )
    if not clause.preambular:
        for paragraph in paragraphs[1:]:
            _unnumbered(paragraph)  # the paragraph's later blocks continue it, under its one number
    if new is not None and doc.cites_note(new):
        reference = add_footnote(word, paragraphs[-1], new.rationale)
        if whole:
            track(reference, whole, author=author, date=date)
    if note:
        _comment(word, paragraphs[0], note, author=author, date=date)


def _comparison(word, doc) -> None:
    """The two texts merged in reading order, in UN style, every difference a tracked change, so
    that accepting every change gives the newer text and rejecting every change the older one, word
    for word (and, where Word numbers the paragraphs, number for number).

    Each text is read as a sequence of section headings and paragraphs, matched (``difflib``) by
    section and by clause within it: one in both is written once, what changed in it tracked (its
    words; a heading's numeral; a paragraph's number where it is typed, its title where printed);
    one only in the older text (deleted, or moved away) is deleted whole where it was; one only in
    the newer (added, or moved here) is inserted whole where it is. A move says so in a comment at
    both ends.
    """
    older, newer = (
        _tokens(doc.older),
        _tokens([(section.title, section.kind, clause) for section in doc.sections for clause in section.clauses]),
    )
    old_numerals, new_numerals = _numerals(doc.older), {(s.title, s.kind): s.numeral for s in doc.sections}
    headings = {key: _heading_text(key[0], new_numerals.get(key, old_numerals.get(key))) for key in new_numerals}
    old_headings = {key: _heading_text(key[0], numeral) for key, numeral in old_numerals.items()}
    now_in = {token[2].clause_id: (token[1], token[2]) for token in newer if token[0] == "clause"}
    was_in = {token[2].clause_id: token[1] for token in older if token[0] == "clause"}
    gone_by = {c.clause_id: c for c in doc.removed}
    matcher = SequenceMatcher(None, [_key(t) for t in older], [_key(t) for t in newer], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(older[i1:i2], newer[j1:j2], strict=True)) if tag == "equal" else []
        pairs += [] if tag == "equal" else [(t, None) for t in older[i1:i2]] + [(None, t) for t in newer[j1:j2]]
        for old, new in pairs:
            kind, key, clause = new or old
            if kind == "section":
                before = old_numerals.get(key) if old else None
                after = new_numerals.get(key) if new else None
                _section_heading(word, doc, key[0], before, after, kept=bool(old and new))
            elif old and new:
                _paragraph(word, doc, old[2], new[2])
            elif new:
                moved_from = was_in.get(clause.clause_id)
                note = f"Moved here from section {old_headings[moved_from]}." if moved_from else ""
                _paragraph(word, doc, None, clause, whole="insert", note=note)
            else:
                moved_to, now = now_in.get(clause.clause_id, (None, None))
                note = f"Moved to section {headings[moved_to]}." if moved_to else ""
                _paragraph(word, doc, clause, None, whole="delete", note=note, by=gone_by.get(clause.clause_id) or now)


def _tokens(placed: list[tuple]) -> list[tuple]:
    """A text as ``[("section", key, None) | ("clause", key, clause)]``, a heading before each section's paragraphs."""
    tokens, current = [], None
    for title, kind, clause in placed:
        if (title, kind) != current:
            current = (title, kind)
            tokens.append(("section", current, None))
        tokens.append(("clause", current, clause))
    return tokens


def _key(token: tuple) -> tuple:
    kind, key, clause = token
    return (kind, key, clause.clause_id if clause is not None else None)


def _numerals(placed: list[tuple]) -> dict[tuple, str]:
    """Each section's numeral in a text given as ``[(title, kind, clause)]`` (the preamble has none)."""
    numerals, counted = {}, SectionNumerals()
    for title, kind, _ in placed:
        if (title, kind) not in numerals:
            numerals[(title, kind)] = counted.next(kind == SectionKind.PREAMBLE)
    return numerals


def _heading_text(title: str, numeral: str | None) -> str:
    return f"{numeral}. {title}" if numeral else title


def _section_heading(word, doc, title: str, before: str | None, after: str | None, *, kept: bool) -> None:
    """A section's heading: in both texts, its numeral tracked where it changed; in one only, whole."""
    write = {"author": doc.issuing_body, "date": doc.date, "style": "Heading 1"}
    if not kept:
        text = _heading_text(title, after if after is not None else before)
        add_tracked(word, [{"op": "equal", "text": text}], whole="insert" if after is not None else "delete", **write)
    elif before != after:
        add_tracked(word, [*_changed(before, after), {"op": "equal", "text": f". {title}"}], **write)
    else:
        add_tracked(word, [{"op": "equal", "text": _heading_text(title, after)}], **write)


def _changed(before: str, after: str) -> list[dict]:
    """``before`` deleted and ``after`` inserted (either may be empty): nothing added between them,
    so each text comes back exactly."""
    ops = [{"op": "delete", "text": before}] if before else []
    return ops + ([{"op": "insert", "text": after}] if after else [])


def _comment(word, paragraph, text: str, *, author: str, date: datetime) -> None:
    """A Word comment on ``paragraph``, dated as the change it explains (so the file is the same
    each time it is made)."""
    runs = paragraph.runs or [paragraph.add_run("")]
    comment = word.add_comment(runs, text=text, author=author[:255], initials="")
    comment._comment_elm.set(qn("w:date"), stamp(date))


def _unnumbered(paragraph) -> None:
    """A later block of an operative paragraph: in its style's indentation, without a number of its own."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "0")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    properties.append(numbering)
