"""A round's compilation of proposals (``compilation.Compilation``) as a file: HTML, PDF, Markdown,
JSON or DOCX, each rendered once while the compilation is unchanged (``compilation_file``), which
serves its synoptic table's formats (``synoptic``) the same way. The synoptic table prints a
paragraph and a proposal's redline as the compilation does (``markdown_text``, ``redline_runs``).
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from codeofconduct.errors import InvalidInput
from codeofconduct.languages import in_default_language

from ..models import Phase, Round, RoundPaper
from . import papers
from .compilation import Compilation, CompiledClause, from_data, to_data
from .compilation_build import build_compilation
from .md import critic_markup
from .schema import encode as encode_json
from .style import italic_opening, opening_word

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
}


def format_choice(params, *, form: str = "compilation") -> str:
    formats = _forms()[form]
    fmt = params.get("format", "")
    if fmt not in formats:
        raise InvalidInput(f"Choose a format: {', '.join(formats)}.", field="format")
    return fmt


def _forms() -> dict[str, dict]:
    """The forms a round's proposals are set out in, each with its formats."""
    from . import synoptic

    return {"compilation": FORMATS, "synoptic": synoptic.FORMATS}


@in_default_language  # the same file for every reader, whatever their interface language
def compilation_file(round_: Round, fmt: str, *, form: str = "compilation") -> tuple[bytes, str, str]:
    """``(content, content type, file name)`` of the round's compilation, or of its synoptic table
    (``form``), rendered once while the compilation is unchanged: a closed round's from its paper
    frozen at the close (``papers``), so every file of it is the same whatever happens to the draft
    afterwards; a running round's from the record as it is now."""
    from . import synoptic

    if round_.phase == Phase.CLOSED:
        compilation = from_data(papers.paper(round_, RoundPaper.Kind.COMPILATION))
    else:
        compilation = build_compilation(round_)
    payload = to_data(compilation)
    key = hashlib.sha256(json.dumps([form, fmt, payload], cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()
    made = caches[settings.RENDERS].get(f"compilation:{key}")
    if made is None:
        content_type, extension = _forms()[form][fmt]
        with timezone.override(UTC):  # the same file for every reader, whatever their time zone
            content = (
                render_compilation(compilation, fmt) if form == "compilation" else synoptic.render(compilation, fmt)
            )
        made = (content, content_type, compilation.filename(extension, form=form))
        caches[settings.RENDERS].set(f"compilation:{key}", made, timeout=settings.EXPORT_CACHE_SECONDS)
    return made


def compilation_for_reader(request, round_: Round, fmt: str, *, form: str = "compilation") -> tuple[bytes, str, str]:
    """What either door answers: the file. Anonymous readers are limited per address, as for exports:
    each request builds, and may render, the whole compilation."""
    from codeofconduct.limits import HEAVY_BY_ADDRESS, client_address

    if not request.user.is_authenticated:
        HEAVY_BY_ADDRESS.take(client_address(request))
    return compilation_file(round_, fmt, form=form)


def render_compilation(compilation: Compilation, fmt: str) -> bytes:
    return {"html": to_html, "pdf": to_pdf, "md": to_markdown, "json": to_json, "docx": to_docx}[fmt](compilation)


def to_html(compilation: Compilation, *, for_pdf: bool = False) -> bytes:
    """Standalone HTML, every text escaped but the clauses' own (sanitised when saved)."""
    return render_to_string("exports/compilation.html", {"doc": compilation, "for_pdf": for_pdf}).encode()


def to_pdf(compilation: Compilation) -> bytes:
    """A4, the symbol in every header, "Page x of y" in every footer, tagged for screen readers
    (PDF/UA), headings as bookmarks."""
    from . import pdf

    return pdf.from_html(to_html(compilation, for_pdf=True))


def markdown_text(clause: CompiledClause) -> str:
    text = clause.text
    if clause.preambular:
        text = italic_opening(text, lambda word: f"*{word}*")
    return f"[{text}]" if clause.bracketed else text


def to_markdown(compilation: Compilation) -> bytes:
    """Markdown; each amendment's redline in CriticMarkup ({--deleted--}{++inserted++})."""
    lines = [
        f"# {compilation.title}",
        "",
        f"**{compilation.full_symbol}**  ",
        f"{compilation.stage}  ",
        f"{compilation.date:%d %B %Y}  ",
        f"Distribution: {compilation.distribution}  ",
        f"Original: {compilation.language_name}  ",
        f"{compilation.issuing_body}",
        "",
        "Each paragraph of the text is followed by the amendments proposed to it in this round "
        "({++inserted++}, {--deleted--}); new paragraphs proposed in this round stand in their place.",
        "",
    ]
    for section in compilation.sections:
        lines += [f"## {section.heading}", ""]
        for clause in section.clauses:
            lines += [f"### {clause.heading}", ""]
            if clause.status_words:
                lines += [f"*Status: {clause.status_words}.*", ""]
            lines += [markdown_text(clause), ""]
            if clause.new_in_round:
                lines += [f"*New paragraph. {clause.attribution}.*", ""]
                if clause.rationale:
                    lines += [f"Rationale: {clause.rationale}", ""]
            for amendment in clause.amendments:
                status = f" — {amendment.status_words}" if amendment.status_words else ""
                lines += [f"#### {amendment.name} to {clause.ref} ({amendment.kind_words}){status}", ""]
                lines += [f"*{amendment.attribution}.*", "", critic_markup(amendment.redline), ""]
                if amendment.rationale:
                    lines += [f"Rationale: {amendment.rationale}", ""]
    return "\n".join(lines).encode()


def to_json(compilation: Compilation) -> bytes:
    return encode_json(to_data(compilation))


# DOCX


def redline_runs(paragraph, changes: list[dict]) -> None:
    """A proposal's redline as printed in a compilation: inserted words bold and underlined, deleted
    words struck through (formatting, not tracked changes: nothing here is for the reader to accept)."""
    for change in changes:
        run = paragraph.add_run(change["text"])
        if change["op"] == "insert":
            run.bold = run.underline = True
        elif change["op"] == "delete":
            run.font.strike = True


def _indented(word, text: str = ""):
    from docx.shared import Cm

    paragraph = word.add_paragraph(text)
    paragraph.paragraph_format.left_indent = Cm(1)
    return paragraph


def to_docx(compilation: Compilation) -> bytes:
    """A4 Word document with the secretariat's page set-up and front block (``word_files.new_document``,
    the compilation carries the identity it reads), sections as "Heading 1", paragraphs as "Heading 2"."""
    from docx.shared import Pt

    from . import word_files

    word = word_files.new_document(compilation)
    legend = word.add_paragraph(
        "Each paragraph of the text is followed by the amendments proposed to it in this round, oldest first: "
    )
    redline_runs(legend, [{"op": "insert", "text": "inserted words"}, {"op": "equal", "text": ", "}])
    redline_runs(legend, [{"op": "delete", "text": "deleted words"}, {"op": "equal", "text": ". "}])
    legend.add_run("New paragraphs proposed in this round stand in their place in the text.")
    if compilation.chatham_house:
        legend.add_run(" Under the Chatham House rule, proposals are attributed to stakeholder groups only.")
    for section in compilation.sections:
        word.add_heading(section.heading, level=1)
        for clause in section.clauses:
            word.add_heading(clause.heading, level=2)
            if clause.status_words:
                word.add_paragraph().add_run(f"Status: {clause.status_words}.").italic = True
            paragraphs = clause.paragraphs
            for index, text in enumerate(paragraphs):
                paragraph = word.add_paragraph()
                if clause.bracketed and index == 0:
                    paragraph.add_run("[")
                if clause.preambular and index == 0 and (parts := opening_word(text)):
                    before, opening, text = parts
                    if before:
                        paragraph.add_run(before)
                    paragraph.add_run(opening).italic = True
                paragraph.add_run(text)
                if clause.bracketed and index == len(paragraphs) - 1:
                    paragraph.add_run("]")
            if clause.new_in_round:
                word.add_paragraph().add_run(f"New paragraph. {clause.attribution}.").italic = True
                if clause.rationale:
                    word.add_paragraph(f"Rationale: {clause.rationale}")
            for amendment in clause.amendments:
                status = f" — {amendment.status_words}" if amendment.status_words else ""
                heading = _indented(word)
                heading.paragraph_format.keep_with_next = True
                heading.add_run(f"{amendment.name} to {clause.ref} ({amendment.kind_words}){status}").bold = True
                _indented(word).add_run(f"{amendment.attribution}.").italic = True
                redline_runs(_indented(word), amendment.redline)
                if amendment.rationale:
                    for run in _indented(word, f"Rationale: {amendment.rationale}").runs:
                        run.font.size = Pt(10)
    return word_files.finish(word, compilation)
