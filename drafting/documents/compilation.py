"""A compilation of proposals: what a round put before the next reading, as a secretariat circulates it
(a conference room paper, "CCC/2026/L.1/CRP.1").

What it holds, and the choices behind it:

- Every clause of the text in reading order (sections "I. Principles", the preamble without a
  numeral; paragraphs cited PP1 / OP3), bracketed where not yet agreed: once the round closed, as
  the round's record stood at its close (``compilation_build._record``: the text put to the vote,
  the numbers its ballot cited), while it runs as it stands now; a clause rejected or withdrawn is
  left out unless this round proposed it or amended it.
- After each clause, every amendment the round had before it, oldest first (once it closed, those
  it voted on, one carried over from an earlier round included, with how it ended them: "superseded
  by amendment 12", never what a later round did): its kind, its text as a redline against the text
  it was written on, its rationale, and its status in words. A closed round's ballot items are cited
  by the numbers it voted them under, and the revision its close published stands beside each
  paragraph (``in_revision``, which the synoptic table prints). Withdrawn
  amendments stay, marked "withdrawn by its proposer": delegations saw them circulate, and the
  compilation is the round's record, so nothing proposed disappears without a word.
- Each clause this round proposed stands in its place in the text, marked as a new paragraph.
- Every proposal is attributed to the delegation that made it: "Proposed by Brazil (Government)",
  the organization and stakeholder group its author spoke for then, and to those co-sponsoring it:
  "Proposed by Brazil (Government), co-sponsored by Kenya (Government)". Under the Chatham House
  rule only groups are told: "Proposed by a government delegation, co-sponsored by 2 delegations
  (Government, Civil society)". People are never named.
- The date is the latest proposal or change to one (else the day the round opened), not now.

``compilation_build.build_compilation`` gathers it, ``from_data`` makes it again from the paper
``to_data`` stored; ``compilation_formats.render_compilation`` writes it as HTML, PDF, Markdown,
JSON or DOCX, and ``compilation_formats.compilation_file`` caches each rendering until something in
it changes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from ..models import BRACKETED_STATUSES, AmendmentKind, AmendmentStatus, ClauseStatus
from ..naming import cosponsored
from ..templatetags.drafting_tags import bracketed as bracketed_html
from .style import STATUS_WORDS, Heading, italic_opening_html, language_name, safe_name

AMENDMENT_KIND_WORDS = {
    AmendmentKind.MODIFY: "change of text",
    AmendmentKind.DELETE: "deletion of the paragraph",
}
# A pending amendment needs no mark, as agreed text needs none; the others say what became of it.
AMENDMENT_STATUS_WORDS = {
    AmendmentStatus.SUBMITTED: "",
    AmendmentStatus.ACCEPTED: "accepted",
    AmendmentStatus.REJECTED: "rejected",
    AmendmentStatus.WITHDRAWN: "withdrawn by its proposer",
    AmendmentStatus.CONFLICTED: "overtaken by a later change to the paragraph",
    AmendmentStatus.SUPERSEDED: "superseded by a rival amendment or the Chair's compromise",
    AmendmentStatus.CARRIED_OVER: "carried over to the next round with its rivals",
}


@dataclass
class CompiledAmendment:
    amendment_id: int
    kind: str
    status: str
    text: str
    base_text: str
    rationale: str
    # Who proposed it, as the document tells it: "Brazil (Government)", "a government delegation".
    proposed_by: str
    created_at: datetime
    # The delegations co-sponsoring it ("Kenya (Government), Chile (Government)"; "2 delegations
    # (Government, Civil society)" under the Chatham House rule); "" when none.
    cosponsored_by: str = ""
    # ``[{op: equal|insert|delete, text}]`` from the text it was written on to the text it proposes.
    redline: list[dict] = field(default_factory=list)
    # The paragraph's version it was written on, when the paragraph has changed since (0: it has not).
    stale_from: int = 0
    # Once the round closed: how it ended the amendment, in words ("superseded by amendment 12"),
    # from the round's stored result, whatever later rounds did with it (``status`` is then its
    # status as the round left it).
    ended: str = ""

    @property
    def kind_words(self) -> str:
        return AMENDMENT_KIND_WORDS.get(self.kind, self.kind)

    @property
    def name(self) -> str:
        """ "Amendment 12": its number everywhere on the platform (ballot, results, report, notices)."""
        return f"Amendment {self.amendment_id}"

    @property
    def status_words(self) -> str:
        return self.ended or AMENDMENT_STATUS_WORDS.get(self.status, self.status)

    @property
    def attribution(self) -> str:
        """Who proposed it, and whether the paragraph has changed under it since."""
        said = f"Proposed by {self.proposed_by}{cosponsored(self.cosponsored_by)}"
        if self.stale_from:
            said += (
                f"; written on version {self.stale_from} of the paragraph, which has changed since, "
                "so its changes are shown against the words it was written on"
            )
        return said


@dataclass
class CompiledClause:
    clause_id: int
    ref: str
    title: str
    text: str
    html: str
    status: str
    preambular: bool
    # Proposed in this round (then ``proposed_by`` says by whom, and ``rationale`` gives its reasons).
    new_in_round: bool = False
    proposed_by: str = ""
    cosponsored_by: str = ""  # as an amendment's
    rationale: str = ""
    amendments: list[CompiledAmendment] = field(default_factory=list)
    # Once the round closed: how it decided this paragraph, when proposed in it ("adopted"), and how
    # the paragraph stands in the revision the close published (``{ref, text, html, status}``; None
    # when it left the text).
    decided: str = ""
    in_revision: dict | None = None

    @property
    def bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES

    @property
    def status_words(self) -> str:
        return "" if self.status == ClauseStatus.AGREED else STATUS_WORDS.get(self.status, self.status)

    @property
    def attribution(self) -> str:
        if not self.new_in_round:
            return ""
        said = f"Proposed by {self.proposed_by}{cosponsored(self.cosponsored_by)}"
        return f"{said}; {self.decided}" if self.decided else said

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()] or [""]

    @property
    def heading(self) -> str:
        """ "OP3. Title"; a preambular paragraph by its reference alone, as the text has no title for it."""
        return self.ref if self.preambular else f"{self.ref}. {self.title}"

    @property
    def display_html(self) -> str:
        """The sanitised text as printed: a preambular paragraph's participle in italics, and square
        brackets around text not yet agreed."""
        html = self.html
        if self.preambular:
            html = italic_opening_html(html)
        return bracketed_html(html) if self.bracketed else mark_safe(html)  # noqa: S308 - sanitised at save


@dataclass
class CompiledSection(Heading):
    title: str
    kind: str
    numeral: str
    clauses: list[CompiledClause] = field(default_factory=list)
    section_id: int = 0


@dataclass
class Compilation:
    """Everything the compilation prints, nothing read from the draft while it is rendered: a closed
    round's compilation is stored as it stood at the close (``RoundPaper``) and rendered from that."""

    title: str
    symbol: str
    # The round's place among the draft's rounds: its conference room paper number.
    number: int
    stage: str
    date: datetime
    distribution: str
    language: str
    issuing_body: str
    chatham_house: bool
    round_id: int
    round_title: str
    round_phase: str
    sections: list[CompiledSection]
    # Once the round closed: the revision its close published ("Rev.1"), which the synoptic table
    # sets beside the proposals ("" before, or for a round closed without one).
    revision: str = ""

    @property
    def crp(self) -> str:
        return f"CRP.{self.number}"

    @property
    def full_symbol(self) -> str:
        """ "CCC/2026/L.1/CRP.1": the draft's symbol with the round's conference room paper number."""
        return f"{self.symbol}/{self.crp}"

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def running_head(self) -> str:
        """What the DOCX page header prints after the symbol (the stage is too long for it)."""
        return self.title

    @property
    def amendment_count(self) -> int:
        return sum(len(c.amendments) for s in self.sections for c in s.clauses)

    @property
    def new_clause_count(self) -> int:
        return sum(c.new_in_round for s in self.sections for c in s.clauses)

    def filename(self, extension: str, *, form: str = "compilation") -> str:
        """``<symbol>-<round>-<form>.<ext>``, lower-case ASCII: "ccc-2026-l-1-crp-1-compilation.pdf"."""
        return f"{safe_name(self.symbol)}-{safe_name(self.crp)}-{form}.{extension}"


def to_data(compilation: Compilation) -> dict:
    """Everything the compilation shows, for machines, for the cache's fingerprint, and as a closed
    round's paper is stored (``from_data`` makes the same compilation again from it)."""
    return {
        "format": "codeofconduct-compilation",
        "format_version": 2,
        "title": compilation.title,
        "symbol": compilation.symbol,
        "number": compilation.number,
        "full_symbol": compilation.full_symbol,
        "stage": compilation.stage,
        "date": compilation.date,
        "distribution": compilation.distribution,
        "language": compilation.language,
        "issuing_body": compilation.issuing_body,
        "revision": compilation.revision,
        "round": {
            "id": compilation.round_id,
            "title": compilation.round_title,
            "phase": compilation.round_phase,
            "chatham_house": compilation.chatham_house,
        },
        "sections": [
            {
                "id": section.section_id,
                "heading": section.heading,
                "title": section.title,
                "kind": section.kind,
                "numeral": section.numeral,
                "clauses": [
                    {
                        "id": clause.clause_id,
                        "ref": clause.ref,
                        "title": clause.title,
                        "text": clause.text,
                        "html": clause.html,
                        "preambular": clause.preambular,
                        "status": clause.status,
                        "status_words": clause.status_words,
                        "new_in_round": clause.new_in_round,
                        "proposed_by": clause.proposed_by or None,
                        "cosponsored_by": clause.cosponsored_by,
                        "rationale": clause.rationale,
                        "decided": clause.decided,
                        "in_revision": clause.in_revision,
                        "amendments": [
                            {
                                "id": a.amendment_id,
                                "kind": a.kind,
                                "status": a.status,
                                "ended": a.ended,
                                "status_words": a.status_words,
                                "proposed_by": a.proposed_by,
                                "cosponsored_by": a.cosponsored_by,
                                "text": a.text,
                                "base_text": a.base_text,
                                "redline": a.redline,
                                "stale_from": a.stale_from,
                                "rationale": a.rationale,
                                "created_at": a.created_at,
                            }
                            for a in clause.amendments
                        ],
                    }
                    for clause in section.clauses
                ],
            }
            for section in compilation.sections
        ],
    }


def from_data(data: dict) -> Compilation:
    """The compilation ``to_data`` wrote (dates as the JSON encoder wrote them)."""
    round_ = data["round"]
    return Compilation(
        title=data["title"],
        symbol=data["symbol"],
        number=data["number"],
        stage=data["stage"],
        date=_moment(data["date"]),
        distribution=data["distribution"],
        language=data["language"],
        issuing_body=data["issuing_body"],
        chatham_house=round_["chatham_house"],
        round_id=round_["id"],
        round_title=round_["title"],
        round_phase=round_["phase"],
        revision=data["revision"],
        sections=[
            CompiledSection(
                title=section["title"],
                kind=section["kind"],
                numeral=section["numeral"],
                section_id=section["id"],
                clauses=[
                    CompiledClause(
                        clause_id=clause["id"],
                        ref=clause["ref"],
                        title=clause["title"],
                        text=clause["text"],
                        html=clause["html"],
                        status=clause["status"],
                        preambular=clause["preambular"],
                        new_in_round=clause["new_in_round"],
                        proposed_by=clause["proposed_by"] or "",
                        cosponsored_by=clause.get("cosponsored_by", ""),  # a paper stored before co-sponsors
                        rationale=clause["rationale"],
                        decided=clause["decided"],
                        in_revision=clause["in_revision"],
                        amendments=[
                            CompiledAmendment(
                                amendment_id=a["id"],
                                kind=a["kind"],
                                status=a["status"],
                                text=a["text"],
                                base_text=a["base_text"],
                                rationale=a["rationale"],
                                proposed_by=a["proposed_by"],
                                cosponsored_by=a.get("cosponsored_by", ""),
                                created_at=_moment(a["created_at"]),
                                redline=a["redline"],
                                stale_from=a["stale_from"],
                                ended=a["ended"],
                            )
                            for a in clause["amendments"]
                        ],
                    )
                    for clause in section["clauses"]
                ],
            )
            for section in data["sections"]
        ],
    )


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else parse_datetime(value)
