"""Markdown in UN style: a front block (symbol, stage, date, distribution, original language,
issuing body), sections "I. Title", preambular paragraphs unnumbered with their first word in
italics, operative paragraphs "1. ..." in a circulated text ("### OP1. Title" with statuses in
words in the working text and comparisons), sources as footnotes ``[^1]``.
A redline uses CriticMarkup: {++inserted++}, {--deleted--}, {~~old~>new~~} for a status or number
that changed, {>>remarks<<} for moves and who made each change."""

import re

from django.utils import dateformat, timezone

from drafting.templatetags.drafting_tags import when as moment

from .document import Edition, ExportClause, ExportDocument
from .style import italic_opening, language_name, spaced, status_words

_MARKS = {"insert": "{{++{}++}}", "delete": "{{--{}--}}", "equal": "{}"}


def _day(value) -> str:
    """ "4 December 2026", in the zone the HTML and PDF show."""
    return dateformat.format(timezone.localtime(value), "j F Y")


def _italic(word: str) -> str:
    return f"*{word}*"


def critic_markup(ops: list[dict], *, italic_first: bool = False) -> str:
    """The ops (``word_diff``'s) as CriticMarkup, for every Markdown paper; they carry the clause's
    square brackets already."""
    parts, opening = [], italic_first
    for op in ops:
        text = op["text"]
        if opening:
            text = italic_opening(text, _italic)
        if opening and op["op"] != "delete" and re.search(r"\w", op["text"]):
            opening = False
        if op["op"] != "equal" and not text.strip():
            parts.append(text)  # CriticMarkup around bare whitespace reads as nothing
            continue
        parts.append(_MARKS[op["op"]].format(text))
    return "".join(parts)


def _body(clause: ExportClause) -> str:
    if clause.redline:
        return critic_markup(spaced(clause.redline), italic_first=clause.preambular)
    text = clause.text
    if clause.preambular and not text.lstrip().startswith(("*", "_")):
        text = italic_opening(text, _italic)
    return f"[{text}]" if clause.bracketed else text


def _status(clause: ExportClause, document: ExportDocument) -> str:
    was = clause.previous_status
    if document.redline_label and was and was != clause.status and "removed" not in {c["kind"] for c in clause.changes}:
        return f"*Status:* {{~~{status_words(was)}~>{status_words(clause.status)}~~}}"
    return f"*Status: {clause.status_words}*" if clause.status_words else ""


def _remarks(clause: ExportClause, document: ExportDocument) -> list[str]:
    if not document.redline_label:
        return []
    out = []
    for change in clause.changes:
        kind = change["kind"]
        if kind == "added":
            out.append(f"{{>>New paragraph since {document.redline_rev}.<<}}")
        elif kind == "removed":
            out.append(f"{{>>Deleted since {document.redline_rev}.<<}}")
        elif kind == "moved":
            out.append(f"{{>>Moved from {change.get('from', '')} to {change.get('to', '')}.<<}}")
        elif kind == "renumbered" and not document.un_style:
            out.append(f"Renumbered: {{~~{change.get('from', '')}~>{change.get('to', '')}~~}}")
    if clause.changes and clause.changed_by:
        when = f", {moment(clause.changed_at)}" if clause.changed_at else ""
        out.append(f"{{>>Changed by {clause.changed_by}{when}.<<}}")
    return out


def _paragraph(clause: ExportClause, document: ExportDocument, notes: list[str], *, removed=False) -> list[str]:
    """A paragraph as the edition prints it (``ExportDocument``): in UN style an operative one opens
    on its number ("3. States ...", in a comparison "{--2.--}{++3.++} States ..."); in the working
    text it has an "### OP3. Title" heading."""
    lines = []
    inline = document.un_style and not clause.preambular
    if not clause.preambular and not inline:
        number = clause.ref if removed else document.number(clause)
        heading = f"{number}. {clause.title}" if document.shows_titles else number
        lines += [f"### {{--{heading}--}}" if removed else f"### {heading}", ""]
    status = "" if removed or not document.shows_status else _status(clause, document)
    if status and not clause.preambular:
        lines += [status, ""]
    body = _body(clause)
    if status and clause.preambular:
        body += f" ({status})"  # its own paragraph's, never standing between two
    if inline:
        title = f"*{clause.title}.* " if document.shows_titles else ""
        number = document.number(clause)
        if removed:
            number = f"{{--{number}--}}"
        elif clause.added:
            number = f"{{++{number}++}}"
        elif clause.previous_label and document.redline_label:
            number = f"{{--{clause.previous_label}.--}}{{++{number}++}}"
        body = f"{number} {title}{body}"
    if document.cites_note(clause):
        notes.append(clause.rationale.strip())
        # A reference straight after "]" would read as a link label.
        body += f"{' ' if body.endswith(']') else ''}[^{len(notes)}]"
    lines += [body, ""]
    remarks = _remarks(clause, document)
    if remarks:
        lines += ["  \n".join(remarks), ""]
    return lines


def render(document: ExportDocument) -> bytes:
    front = [
        f"Symbol: {document.full_symbol}",
        f"Stage: {document.stage}",
        f"Date: {document.dated if document.edition == Edition.WORKING else _day(document.date)}",
        f"Distribution: {document.distribution}",
        f"Original: {language_name(document.language)}",
        f"Issued by: {document.issuing_body}",
    ]
    lines = [f"# {document.title}", ""]
    if document.notice:
        lines += [f"**{document.notice.upper()}**", ""]
    if document.edition == Edition.COMPARISON:
        front.insert(0, f"Draft: {document.draft_title}")
    lines += ["  \n".join(front), ""]
    if document.redline_label:
        since = f" of {_day(document.redline_date)}" if document.redline_date else ""
        lines += [
            f"Changes against {document.redline_rev}{since}: {{++inserted++}}, {{--deleted--}}, "
            "{~~old~>new~~} for a status or number that changed, {>>remarks<<} for moves and who made each change.",
            "",
        ]
    lines += ["Text in square brackets is not yet agreed.", ""]
    notes: list[str] = []
    for section in document.sections:
        lines += [f"## {section.heading}", ""]
        for clause in section.clauses:
            lines += _paragraph(clause, document, notes)
    if document.removed:
        lines += [f"## Deleted since {document.redline_rev}", ""]
        for clause in document.removed:
            lines += _paragraph(clause, document, notes, removed=True)
    for number, note in enumerate(notes, 1):
        continued = note.replace("\n", "\n    ")
        lines += [f"[^{number}]: {continued}", ""]
    return "\n".join(lines).encode()
