"""Standalone, printable HTML in UN style (also the source of the PDF): a front block with the
document's identity, sections "I. Title", preambular paragraphs unnumbered with their first word in
italics, operative paragraphs numbered "1." in a circulated text ("OP1. Title" headings in the
working text and comparisons, with statuses in words), sources as notes, and for a comparison
insertions and deletions marked in words as well as colour, with a legend and who made each change.

Everything a person typed is escaped here or was sanitised when saved (``clause.html``)."""

import re
from datetime import UTC

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from drafting.templatetags.drafting_tags import bracketed
from drafting.templatetags.drafting_tags import when as moment

from .document import ExportClause, ExportDocument
from .style import italic_opening_html, language_name, opening_word, spaced, status_words


def w3c_date(value) -> str:
    """A date WeasyPrint copies into the PDF's CreationDate/ModDate (W3C's ISO 8601 profile)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def render(document: ExportDocument, *, for_pdf: bool = False) -> bytes:
    notes: list[dict] = []
    sections = [
        {
            "section": section,
            "id": f"section-{index}",
            "clauses": [_clause(clause, document, notes, for_pdf=for_pdf) for clause in section.clauses],
        }
        for index, section in enumerate(document.sections, 1)
    ]
    removed = [_clause(clause, document, notes, for_pdf=for_pdf, removed=True) for clause in document.removed]
    context = {
        "doc": document,
        "for_pdf": for_pdf,
        "sections": sections,
        "removed": removed,
        "notes": notes,
        "original": language_name(document.language),
        "created": w3c_date(document.date),
    }
    return render_to_string("exports/document.html", context).encode()


def _clause(clause: ExportClause, document: ExportDocument, notes: list[dict], *, for_pdf: bool, removed=False):
    """What the template shows for one paragraph, its markup built here so that every piece of user
    text passes one escape."""
    anchor = clause.ref.replace(" ", "-")
    if clause.redline:
        body = _redline_body(spaced(clause.redline), italic_first=clause.preambular)
    elif clause.preambular:
        body = italic_opening_html(clause.html.strip())
        body = bracketed(body) if clause.bracketed else mark_safe(body)  # noqa: S308 - sanitised at save time
    else:
        body = bracketed(clause.html) if clause.bracketed else mark_safe(clause.html)  # noqa: S308 - sanitised
    inline = document.un_style and not clause.preambular
    if inline:
        # UN style: the number opens the paragraph ("3.  States should ..."); no heading of its own.
        # In a comparison a new number shows the old one struck; a deleted paragraph's is struck.
        number = document.number(clause)
        if removed:
            number = format_html("<del>{}</del>", number)
        elif clause.added:
            number = format_html("<ins>{}</ins>", number)
        elif clause.previous_label and document.redline_label:
            number = format_html("<del>{}.</del><ins>{}</ins>", clause.previous_label, number)
        opening = format_html('<span class="number">{}</span> ', number)
        if document.shows_titles:
            opening += format_html('<span class="title">{}.</span> ', clause.title)
        body = _at_start(body, opening)
    note = None
    if document.cites_note(clause):
        note = {"number": len(notes) + 1, "text": clause.rationale.strip(), "ref": clause.ref}
        note["id"], note["call_id"] = f"note-{note['number']}", f"note-call-{note['number']}"
        notes.append(note)
        body = _at_end(body, _note_call(note, for_pdf=for_pdf))
    # A preambular paragraph has no heading: its status ends its own paragraph, never stands between two.
    status = _status(clause, document) if document.shows_status else mark_safe("")
    return {
        "clause": clause,
        "id": f"deleted-{anchor}" if removed else anchor,
        # Bookmarks are for finding a paragraph: they carry its title whether or not the text prints it.
        "bookmark": _bookmark(clause, document),
        "heading": "" if inline else _heading(clause, document, removed=removed),
        "inline": inline,
        "body": _at_end(body, format_html(' <span class="status">{}</span>', status))
        if clause.preambular and status
        else body,
        "status": "" if clause.preambular else status,
        "remarks": _remarks(clause, document),
        "note": note,
    }


def _bookmark(clause: ExportClause, document: ExportDocument) -> str:
    """How the PDF's bookmarks name a paragraph: its reference, and its title where the text prints titles."""
    name = clause.ref if clause.preambular else document.number(clause)
    return f"{name} {clause.title}" if document.shows_titles else name


def _heading(clause: ExportClause, document: ExportDocument, *, removed: bool) -> str:
    """An operative paragraph's heading where it has one (the working text, a comparison): "OP3.
    Title"; the title only where the edition prints titles."""
    number = clause.ref if removed else document.number(clause)
    return f"{number}. {clause.title}" if document.shows_titles else number


def _at_start(body: str, addition: str) -> SafeString:
    """``addition`` inside the first paragraph, before its first word."""
    body = str(body).lstrip()
    if body.startswith("<p>"):
        return mark_safe("<p>" + addition + body[3:])  # noqa: S308 - both parts already safe
    return mark_safe(addition + body)  # noqa: S308 - both parts already safe


def _status(clause: ExportClause, document: ExportDocument) -> SafeString:
    """ "Status: proposed, not yet agreed"; against an earlier text, the old status struck and the
    new one inserted. Agreed text that stayed agreed needs no mark."""
    was = clause.previous_status
    if document.redline_label and was and was != clause.status and "removed" not in _kinds(clause):
        return format_html(
            'Status: <del class="status-was">{}</del> → <ins class="status-now">{}</ins>',
            status_words(was),
            status_words(clause.status),
        )
    return format_html("Status: {}", clause.status_words) if clause.status_words else mark_safe("")


def _kinds(clause: ExportClause) -> set[str]:
    return {change["kind"] for change in clause.changes}


def _remarks(clause: ExportClause, document: ExportDocument) -> list[SafeString]:
    """The changes a reader cannot see in the words: added, deleted, moved, renumbered; then who
    made the latest change and when."""
    if not document.redline_label:
        return []
    out = []
    for change in clause.changes:
        kind = change["kind"]
        if kind == "added":
            out.append(format_html("New paragraph since {}.", document.redline_rev))
        elif kind == "removed":
            out.append(format_html("Deleted since {}.", document.redline_rev))
        elif kind == "moved":
            out.append(
                format_html("Moved from <del>{}</del> to <ins>{}</ins>.", change.get("from", ""), change.get("to", ""))
            )
        elif kind == "renumbered" and not document.un_style:
            out.append(
                format_html("Renumbered from <del>{}</del> to <ins>{}</ins>.", change.get("from", ""), change["to"])
            )
    if clause.changes and clause.changed_by:
        when = f", {moment(clause.changed_at)}" if clause.changed_at else ""
        out.append(format_html("Changed by {}{}.", clause.changed_by, when))
    return out


def _text(text: str) -> str:
    return str(escape(text.replace("\r\n", "\n"))).replace("\n", "<br>")


def _redline_body(ops: list[dict], *, italic_first: bool) -> SafeString:
    """A paragraph of ``<ins>``/``<del>`` runs. The ops already carry the clause's square brackets
    (inserted, deleted or kept), so none are added here. For a preambular paragraph the opening word
    is in italics, in the old text and the new."""
    parts, opening = [], italic_first
    for op in ops:
        text = op["text"]
        words = opening_word(text) if opening else None
        if words:
            before, word, rest = words
            html = f"{escape(before)}<em>{escape(word)}</em>{_text(rest)}"
        else:
            html = _text(text)
        if opening and op["op"] != "delete" and re.search(r"\w", text):
            opening = False  # the new text's first word is reached
        tag = {"insert": "ins", "delete": "del"}.get(op["op"])
        parts.append(f"<{tag}>{html}</{tag}>" if tag else html)
    return mark_safe("<p>" + "".join(parts) + "</p>")  # noqa: S308 - every text escaped above


def _at_end(body: str, addition: str) -> SafeString:
    """``addition`` inside the last paragraph, so a note call follows the text's last word."""
    body = str(body).rstrip()
    if body.endswith("</p>"):
        return mark_safe(body[:-4] + addition + "</p>")  # noqa: S308 - both parts already safe
    return mark_safe(body + addition)  # noqa: S308 - both parts already safe


def _note_call(note: dict, *, for_pdf: bool) -> str:
    """In the PDF the note itself, which WeasyPrint floats to the foot of the page and calls by
    number; on screen a numbered link to the notes at the end, which link back."""
    if for_pdf:
        return str(format_html('<span class="footnote">{}</span>', note["text"]))
    return str(
        format_html(
            '<sup class="note-call"><a href="#{}" id="{}" role="doc-noteref" aria-label="Note {}">{}</a></sup>',
            note["id"],
            note["call_id"],
            note["number"],
            note["number"],
        )
    )
