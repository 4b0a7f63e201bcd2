"""What every export format renders: the consolidated text, current or a snapshot, optionally as a
redline against an earlier snapshot, with the document's identity (symbol, Rev.N, date, distribution)
and its paragraphs in UN style (PP unnumbered, OP1 ..., sections I, II ...). ``document_build.build``
reads it from the draft."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from django.db.models import Max

from ..models import (
    BRACKETED_STATUSES,
    DEFAULT_CHAIR,
    DEFAULT_ISSUING_BODY,
    ClauseStatus,
    Distribution,
    Draft,
    SectionKind,
    Snapshot,
    number_label,
    paragraph_ref,
)
from .style import STATUS_WORDS, Heading, language_name, safe_name


class Edition:
    """The kinds of document the text is printed as."""

    CIRCULATED = "circulated"  # the original (L.1) or a revision (L.1/Rev.N), as circulated
    WORKING = "working"  # the text between revisions, as it stands now
    COMPARISON = "comparison"  # two texts compared, for convenience


EDITION_NOTICES = {
    Edition.WORKING: "Working text, not for circulation",
    Edition.COMPARISON: "Prepared for convenience; not an official document",
}
# About ten A4 pages of text in UN style: a shorter text has no title page and no contents page.
SHORT_TEXT_WORDS = 4000


@dataclass
class ExportClause:
    clause_id: int
    number: int
    title: str
    text: str
    html: str
    status: str
    version: int
    # A word diff against the earlier snapshot when a redline was asked for (None: unchanged or no redline).
    redline: list[dict] | None = None
    added: bool = False
    number_suffix: int = 0
    # The number before the snapshot renumbered the draft ("16 bis"); blank when it did not change.
    previous_label: str = ""
    preambular: bool = False
    # The sources and reasons given for the clause: a footnote in every format that has them.
    rationale: str = ""
    # Against an earlier snapshot: every change, in words a machine and a reader both take, e.g.
    # {"kind": "text"}, {"kind": "status", "from": "agreed", "to": "bracketed"}, {"kind": "added"},
    # {"kind": "removed"}, {"kind": "moved", "from": "I. Principles", "to": "II. Norms"},
    # {"kind": "renumbered", "from": "OP16 bis", "to": "OP17"}.
    changes: list[dict] = field(default_factory=list)
    # Who made the latest change and when (a tracked change's author and date): "ana, Brazil (Government)".
    changed_by: str = ""
    changed_at: datetime | None = None
    # The status it had in the earlier snapshot, when that differs (redline only).
    previous_status: str = ""
    # The Chair put it in the text (the zero draft, a moderator's paragraph, the Chair's proposal):
    # its sources are the secretariat's and print as footnotes of a circulated text.
    chairs: bool = False

    @property
    def label(self) -> str:
        """The number as cited: "16", "16 bis"."""
        return number_label(self.number, self.number_suffix)

    @property
    def ref(self) -> str:
        """The paragraph reference negotiators cite: "PP2", "OP16 bis"."""
        return paragraph_ref(self.number, self.number_suffix, preambular=self.preambular)

    @property
    def previous_ref(self) -> str:
        if not self.previous_label:
            return ""
        return f"{'PP' if self.preambular else 'OP'}{self.previous_label}"

    @property
    def cited(self) -> str:
        """The reference with the one it had before, where that changed: "OP17 (was OP16 bis)"."""
        return f"{self.ref} (was {self.previous_ref})" if self.previous_label else self.ref

    @property
    def bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES

    @property
    def status_words(self) -> str:
        """The status as a document states it ("" for agreed text, which needs no mark)."""
        return "" if self.status == ClauseStatus.AGREED else STATUS_WORDS.get(self.status, self.status)

    @property
    def paragraphs(self) -> list[str]:
        """The text as plain paragraphs (blank lines part them)."""
        return [p.strip() for p in self.text.split("\n\n") if p.strip()] or [""]


class Identity:
    """What every circulated document says of the draft it comes from: title, symbol, distribution,
    original language, issuing body, the Chair. Mixed into a document class that has a ``draft`` and
    an ``identity``: a snapshot's, as it was circulated under (``Snapshot.identity``), which wins
    over the draft's settings now."""

    def said(self, name: str):
        """The draft's ``name`` (one of ``Snapshot.IDENTITY``) as the text was circulated under it."""
        return self.identity[name] if name in self.identity else getattr(self.draft, name)

    @property
    def draft_title(self) -> str:
        return self.said("title")

    @property
    def symbol(self) -> str:
        """The draft's document symbol, "CCC/2026/L.1"."""
        return self.said("document_symbol")

    @property
    def distribution(self) -> str:
        return Distribution(self.said("distribution")).label

    @property
    def language(self) -> str:
        return self.said("original_language") or "en"

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def issuing_body(self) -> str:
        return self.said("issuing_body") or DEFAULT_ISSUING_BODY

    @property
    def chair_name(self) -> str:
        return self.said("chair") or DEFAULT_CHAIR


@dataclass
class ExportSection(Heading):
    title: str
    position: int
    clauses: list[ExportClause] = field(default_factory=list)
    kind: str = SectionKind.OPERATIVE
    # "I", "II" ... for operative sections; blank for the preamble, which has no numeral.
    numeral: str = ""


@dataclass
class ExportDocument(Identity):
    draft: Draft
    label: str
    date: datetime
    sections: list[ExportSection]
    redline_label: str | None = None
    removed: list[ExportClause] = field(default_factory=list)
    # Rev.N of the snapshot shown (None: the current working text, not yet a revision).
    revision: int | None = None
    # Rev.N of the snapshot a redline compares with.
    redline_revision: int | None = None
    redline_date: datetime | None = None
    # A comparison's older text in its reading order, each paragraph with its section then:
    # ``[(section title, section kind, ExportClause)]`` (what a DOCX needs to show moves and
    # deletions where they were, so that rejecting every change gives the older text back).
    older: list[tuple[str, str, "ExportClause"]] = field(default_factory=list)
    # The identity the snapshot shown was circulated under (``Identity``); empty for the working text.
    identity: dict = field(default_factory=dict)

    @property
    def edition(self) -> str:
        """What this document is, which decides how it reads (``Edition``): a text circulated (the
        original L.1 or a revision), the working text between revisions, or a comparison of two."""
        if self.redline_label:
            return Edition.COMPARISON
        return Edition.WORKING if self.revision is None else Edition.CIRCULATED

    @property
    def title(self) -> str:
        """The title it carries: the draft's; a comparison's says which two texts it compares."""
        if self.edition == Edition.COMPARISON:
            return f"Comparison of {self.redline_rev} and {self.name}"
        if self.edition == Edition.WORKING:
            return f"{self.draft_title} (working text)"
        return self.draft_title

    @property
    def notice(self) -> str:
        """What the document says of itself under its title, where it is not a circulated text."""
        return EDITION_NOTICES.get(self.edition, "")

    @property
    def rev(self) -> str:
        """The revision as printed, "Rev.2"; blank for the original and the working text."""
        return f"Rev.{self.revision}" if self.revision else ""

    @property
    def full_symbol(self) -> str:
        """The symbol as printed on the document: "CCC/2026/L.1/Rev.2"; the original's is the
        draft's ("CCC/2026/L.1"); a comparison's names what it compares, so that it is never taken
        for the text it compares."""
        own = f"{self.symbol}/{self.rev}" if self.rev else self.symbol
        if self.edition == Edition.COMPARISON:
            return f"{own} compared with {self.redline_rev}"
        if self.edition == Edition.WORKING:
            return f"{own} (working text)"
        return own

    @property
    def distribution(self) -> str:
        """ "General"; the working text is not circulated."""
        return "Not for circulation" if self.edition == Edition.WORKING else Identity.distribution.fget(self)

    @property
    def dated(self) -> str:
        """The date as the front block prints it; the working text's with the time, as it changes
        within a day: "7 December 2026", "7 December 2026, 14:05 UTC"."""
        day = f"{self.date.day} {self.date:%B %Y}"
        if self.edition != Edition.WORKING:
            return day
        moment = self.date.astimezone(UTC)
        return f"{day}, {moment:%H:%M} UTC"

    @cached_property
    def stage(self) -> str:
        """What the text is: "Rev.2 (First reading)", the original, or the working text and the
        revision it follows."""
        if self.revision is not None:
            name = self.rev or "Original"
            return name if self.label == name else f"{name} ({self.label})"
        latest = self.draft.snapshots.aggregate(m=Max("revision"))["m"]
        after = "" if latest is None else f" after {f'Rev.{latest}' if latest else 'the original'}"
        return f"Working text{after}"

    @property
    def un_style(self) -> bool:
        """A circulated text, and a comparison of circulated texts, read as the texts are circulated
        (UN paragraph style); the working text is the drafters' edition."""
        return self.edition != Edition.WORKING

    @property
    def shows_status(self) -> bool:
        """Status lines ("proposed, not yet agreed") belong to the working text; a circulated text,
        and a comparison, say what is not agreed by square brackets alone."""
        return not self.un_style

    @property
    def shows_titles(self) -> bool:
        """Paragraph titles are the drafters' handles: printed in UN style only where the draft makes
        them part of the text."""
        return not self.un_style or bool(self.said("titles_in_text"))

    def number(self, clause: "ExportClause") -> str:
        """An operative paragraph's number as printed: "3." in UN style (no "OP"), "OP3" (with "was
        OP2 bis" where it changed) in the working text."""
        if self.un_style:
            return f"{clause.label}."
        return clause.cited

    def cites_note(self, clause: "ExportClause") -> bool:
        """Whether the paragraph's sources print as its footnote: in UN style only the Chair's (a
        delegation's reasons are not the secretariat's text); in the working text all of them."""
        return bool(clause.rationale.strip()) and (not self.un_style or clause.chairs)

    @property
    def numbered_by_word(self) -> bool:
        """Whether Word numbers the operative paragraphs itself (the template's *Operative Paragraph*
        list): in a circulated text, or a comparison of two, whose paragraphs run 1, 2, 3 ... (every
        revision's do). A working text's "16 bis" is typed."""
        if self.edition == Edition.WORKING:
            return False
        texts = [[c for s in self.sections for c in s.clauses]]
        if self.edition == Edition.COMPARISON:
            if self.revision is None:
                return False
            texts.append([c for _, _, c in self.older])
        return all(_runs_on(text) for text in texts)

    @property
    def words(self) -> int:
        return sum(len(c.text.split()) for s in self.sections for c in s.clauses)

    @property
    def short(self) -> bool:
        """Under about ten pages: no separate title page and no contents page."""
        return self.words < SHORT_TEXT_WORDS

    @property
    def redline_rev(self) -> str:
        """The text a comparison compares with, as cited: "Rev.1", "the original"."""
        if self.redline_revision is None:
            return self.redline_label or ""
        return text_name(self.redline_revision)

    @property
    def name(self) -> str:
        """This text as cited: "Rev.2", "the original", "the working text"."""
        return "the working text" if self.revision is None else text_name(self.revision)

    @property
    def kind(self) -> str:
        return "redline" if self.redline_label else "text"

    def filename(self, extension: str, kind: str | None = None) -> str:
        """``<symbol>-<rev>-<kind>.<ext>``, lower-case ASCII safe on every system:
        "ccc-2026-l-1-rev-2-redline-against-rev-1.docx", "ccc-2026-l-1-original-text.pdf"; the
        working text's carries its date and time, as it changes: "ccc-2026-l-1-working-text-2026-12-07-1405.pdf"."""
        kind = kind or self.kind
        if kind == "redline" and self.redline_rev:
            kind = f"redline-against-{self.redline_rev}"
        if self.revision is None:
            stage = "working"
            if self.edition == Edition.WORKING:
                kind = f"{kind}-{self.date.astimezone(UTC):%Y-%m-%d-%H%M}"
        else:
            stage = self.rev or "original"
        return f"{safe_name(self.symbol)}-{safe_name(stage)}-{safe_name(kind)}.{extension}"


def text_name(revision: int) -> str:
    """A circulated text as cited: "Rev.2"; the original (``Snapshot.ORIGINAL``) "the original"."""
    return f"Rev.{revision}" if revision != Snapshot.ORIGINAL else "the original"


def _runs_on(clauses) -> bool:
    """The operative paragraphs are numbered 1, 2, 3 ... with no gap and no "bis"."""
    operative = [c for c in clauses if not c.preambular]
    return all((c.number, c.number_suffix) == (n, 0) for n, c in enumerate(operative, 1))
