"""The synoptic table of a round, as secretariats set it out: per paragraph, the text put to the
round, the proposals made on it with their proponents, how the round ended each, and (once it
closed) the paragraph as the revision the close published has it.

It is another form of the round's compilation (``compilation.Compilation``), rendered from the same
data: a closed round's from its paper frozen at the close, so it too reads the same whatever happens
to the draft afterwards.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..models import BRACKETED_STATUSES
from ..naming import cosponsored
from ..templatetags.drafting_tags import bracketed as bracketed_html
from .compilation import Compilation, CompiledClause
from .compilation_formats import markdown_text, redline_runs
from .md import critic_markup

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "md": ("text/markdown; charset=utf-8", "md"),
}

PENDING = "pending"


@dataclass
class Row:
    """One paragraph's row."""

    clause: CompiledClause
    revision: str  # "Rev.1", or "" before the round closed

    @property
    def proposals(self) -> list[dict]:
        """``{label, by, redline, rationale, outcome}`` for the new paragraph and each amendment."""
        clause, made = self.clause, []
        if clause.new_in_round:
            made.append(
                {
                    "label": "New paragraph",
                    "by": clause.proposed_by + cosponsored(clause.cosponsored_by),
                    "redline": [],
                    "outcome": clause.decided or clause.status_words or PENDING,
                }
            )
        for amendment in clause.amendments:
            made.append(
                {
                    "label": f"{amendment.name} ({amendment.kind_words})",
                    "by": amendment.proposed_by + cosponsored(amendment.cosponsored_by),
                    "redline": amendment.redline,
                    "outcome": amendment.status_words or PENDING,
                }
            )
        return made

    @property
    def in_revision(self) -> str:
        """How the paragraph stands in the revision: "OP4", or that it is not in it."""
        if not self.revision:
            return ""
        stands = self.clause.in_revision
        return f"{self.revision}, {stands['ref']}" if stands else f"Not in {self.revision}"

    @property
    def revision_text(self) -> str:
        """The paragraph's words in the revision (Markdown, as written), in brackets where not agreed."""
        stands = self.clause.in_revision
        if not stands:
            return ""
        return f"[{stands['text']}]" if stands["status"] in BRACKETED_STATUSES else stands["text"]

    @property
    def revision_html(self) -> str:
        """The same as the pages show it (sanitised when saved), brackets and all."""
        stands = self.clause.in_revision
        if not stands:
            return ""
        if stands["status"] in BRACKETED_STATUSES:
            return bracketed_html(stands["html"])
        return mark_safe(stands["html"])  # noqa: S308 - sanitised when saved


def rows(compilation: Compilation) -> list[tuple[str, list[Row]]]:
    """``(section heading, rows)`` in reading order."""
    return [
        (section.heading, [Row(clause, compilation.revision) for clause in section.clauses])
        for section in compilation.sections
    ]


def render(compilation: Compilation, fmt: str) -> bytes:
    return {"html": to_html, "pdf": to_pdf, "md": to_markdown, "docx": to_docx}[fmt](compilation)


def symbol(compilation: Compilation) -> str:
    """ "CCC/2026/L.1/CRP.1/Add.1": an addendum to the round's compilation, never its own symbol."""
    return f"{compilation.full_symbol}/Add.1"


def title(compilation: Compilation) -> str:
    return f"Synoptic table — {compilation.round_title}"


def to_html(compilation: Compilation, *, for_pdf: bool = False) -> bytes:
    context = {
        "doc": compilation,
        "symbol": symbol(compilation),
        "title": title(compilation),
        "sections": rows(compilation),
        "for_pdf": for_pdf,
    }
    return render_to_string("exports/synoptic.html", context).encode()


def to_pdf(compilation: Compilation) -> bytes:
    """A4 landscape, tagged as the compilation is."""
    from . import pdf

    return pdf.from_html(to_html(compilation, for_pdf=True))


def to_markdown(compilation: Compilation) -> bytes:
    """One table per section; redlines in CriticMarkup."""
    revision = compilation.revision
    head = ["Paragraph as put to the round", "Proposals", "Outcome"] + ([revision] if revision else [])
    lines = [
        f"# {title(compilation)}",
        "",
        f"**{symbol(compilation)}**  ",
        f"{compilation.stage}  ",
        f"{compilation.date:%d %B %Y}",
        "",
    ]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n\n", "<br><br>").replace("\n", " ")

    for heading, section_rows in rows(compilation):
        lines += [f"## {heading}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in section_rows:
            clause = row.clause
            proposals = "<br><br>".join(
                f"**{p['label']}**, by {p['by']}" + (f": {critic_markup(p['redline'])}" if p["redline"] else "")
                for p in row.proposals
            )
            outcomes = "<br><br>".join(f"{p['label']}: {p['outcome']}" for p in row.proposals)
            cells = [f"**{clause.ref}** {markdown_text(clause)}", proposals or "—", outcomes or "—"]
            if revision:
                cells.append(f"**{row.in_revision}** {row.revision_text}".strip())
            lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines).encode()


def to_docx(compilation: Compilation) -> bytes:
    """A4 landscape Word document with one table per section, its header row repeated on every page."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from . import word_files

    class Meta:
        pass

    meta = Meta()
    for name in ("stage", "date", "distribution", "language", "issuing_body"):
        setattr(meta, name, getattr(compilation, name))
    meta.full_symbol = symbol(compilation)
    meta.title = meta.running_head = title(compilation)
    word = word_files.new_document(meta)
    page = word.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = page.page_height, page.page_width
    revision = compilation.revision
    head = ["Paragraph as put to the round", "Proposals", "Outcome"] + ([revision] if revision else [])
    for heading, section_rows in rows(compilation):
        word.add_heading(heading, level=1).paragraph_format.keep_with_next = True
        table = word.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for index, text in enumerate(head):
            header.cells[index].paragraphs[0].add_run(text).bold = True
        for row in section_rows:
            clause = row.clause
            added = table.add_row()
            keep = OxmlElement("w:cantSplit")  # a paragraph's row never breaks across two pages
            added._tr.get_or_add_trPr().append(keep)
            cells = added.cells
            text = cells[0].paragraphs[0]
            text.add_run(f"{clause.ref} ").bold = True
            text.add_run(markdown_text(clause).replace("*", ""))
            for index, proposal in enumerate(row.proposals):
                paragraph = cells[1].paragraphs[0] if index == 0 else cells[1].add_paragraph()
                paragraph.add_run(proposal["label"]).bold = True
                paragraph.add_run(f", by {proposal['by']}")
                if proposal["redline"]:
                    paragraph.add_run(": ")
                    redline_runs(paragraph, proposal["redline"])
                outcome = cells[2].paragraphs[0] if index == 0 else cells[2].add_paragraph()
                outcome.add_run(f"{proposal['label']}: {proposal['outcome']}")
            if revision:
                stands = cells[3].paragraphs[0]
                stands.add_run(row.in_revision).bold = True
                if row.revision_text:
                    stands.add_run(f" {row.revision_text}")
    return word_files.finish(word, meta)
