"""A compilation of proposals: what a round put before the next reading, as a secretariat circulates it
(a conference room paper, "CCC/2026/L.1/CRP.1").

What it holds, and the choices behind it:

- Every clause of the text in reading order (sections "I. Principles", the preamble without a
  numeral; paragraphs cited PP1 / OP3), bracketed where not yet agreed: once the round closed, as
  the round's record stood at its close (``_record``: the text put to the vote, the numbers its
  ballot cited), while it runs as it stands now; a clause rejected or withdrawn is left out unless
  this round proposed it or amended it.
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
  the organization and stakeholder group its author spoke for then. Under the Chatham House rule
  only the group is told: "Proposed by a government delegation". People are never named.
- The date is the latest proposal or change to one (else the day the round opened), not now.

``build_compilation`` gathers it; ``render_compilation`` writes it as HTML, PDF, Markdown, JSON or
DOCX; ``compilation_file`` caches each rendering until something in it changes.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from accounts.models import Organization, StakeholderGroup, User
from codeofconduct.errors import InvalidInput

from ..diff import word_diff
from ..models import (
    BRACKETED_STATUSES,
    OUT_OF_THE_TEXT,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    ItemResult,
    Outcome,
    Phase,
    Round,
    RoundPaper,
    Section,
    SectionKind,
    SectionNumerals,
    Snapshot,
)
from ..naming import Named, Naming, amendment_author, proposer
from ..tally import ballot
from ..templatetags.drafting_tags import bracketed as bracketed_html
from . import papers
from .document import (
    STATUS_WORDS,
    Heading,
    italic_opening,
    italic_opening_html,
    language_name,
    opening_word,
    safe_name,
    spaced,
)
from .md import critic_markup
from .schema import encode as encode_json

# Raise when a renderer changes what it makes from the same compilation, so no stale file is served.
RENDERING_VERSION = 4

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
# Where the round stands, as the front block says it.
ROUND_STATE_WORDS = {
    Phase.SCHEDULED: "not yet open",
    Phase.OPEN: "still open",
    Phase.VOTING: "proposals closed, voting under way",
    Phase.CLOSED: "closed",
}
# How a closed round decided a paragraph proposed in it.
PROPOSAL_OUTCOME_WORDS = {
    Outcome.ACCEPTED: "adopted",
    Outcome.REJECTED: "rejected",
    Outcome.NO_QUORUM: "not decided for want of a quorum; carried to the next round's ballot",
}
# Who proposed, under the Chatham House rule: the stakeholder group, never the organization.
GROUP_PHRASES = {
    StakeholderGroup.GOVERNMENT: "a government delegation",
    StakeholderGroup.INDUSTRY: "an industry representative",
    StakeholderGroup.ACADEMIA: "an academic representative",
    StakeholderGroup.CIVIL_SOCIETY: "a civil society representative",
}
# Someone who spoke for no organization when proposing.
NOBODY_IN_PARTICULAR = "a participant"

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
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
        said = f"Proposed by {self.proposed_by}"
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
        return f"Proposed by {self.proposed_by}; {self.decided}" if self.decided else f"Proposed by {self.proposed_by}"

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


@dataclass
class _Record:
    """What the compilation is made of: the draft's sections, paragraphs and the round's amendments,
    as they stood when the round closed (its history at ``closed_at``), or as they are while it runs."""

    sections: dict[int, Section]
    clauses: list[Clause]  # in reading order
    amendments: list[Amendment]  # oldest first


def build_compilation(round_: Round) -> Compilation:
    """The compilation of ``round_``'s proposals against its draft's text (see the module's docstring).

    The caller has checked that the reader may see the round (``selectors.round_for``). A closed
    round's compilation is made from the record as it stood at its close, whenever it is made: the
    text put to the vote, the numbers the ballot cited, the proposals as voted on.
    """
    draft = round_.draft
    results, decided = _voted(round_)
    record = _record(round_, results, decided)
    clauses, amendments = record.clauses, record.amendments
    proposals = [c for c in clauses if c.round_id == round_.id]
    # Proposals are told by organization, as a compilation cites delegations; the round's rule
    # decides whether even that is told (``Naming.published``).
    naming = Naming.published(draft.pk, known=[round_], chair=draft.chair_name)
    naming.load(
        [*((c.proposer_id, c.created_at) for c in proposals), *((a.author_id, a.created_at) for a in amendments)]
    )

    versions = {c.pk: c.version for c in clauses}
    by_clause: dict[int, list[CompiledAmendment]] = {}
    for amendment in amendments:
        status, ended = _ended(results[amendment.id]) if amendment.id in results else (amendment.status, "")
        by_clause.setdefault(amendment.clause_id, []).append(
            CompiledAmendment(
                amendment_id=amendment.id,
                kind=amendment.kind,
                status=status,
                text=amendment.new_text,
                base_text=amendment.base_text,
                rationale=amendment.rationale,
                proposed_by=_proposer(amendment_author(naming, amendment, published_in=round_.id)),
                created_at=amendment.created_at,
                redline=spaced(word_diff(amendment.base_text, amendment.new_text)),
                stale_from=amendment.base_version if amendment.base_version != versions[amendment.clause_id] else 0,
                ended=ended,
            )
        )

    revision, in_revision = _revision(round_)
    sections: list[CompiledSection] = []
    numerals = SectionNumerals()
    for clause in clauses:
        section = record.sections[clause.section_id]
        if not sections or sections[-1].section_id != section.pk:
            numeral = numerals.next(section.kind == SectionKind.PREAMBLE)
            sections.append(
                CompiledSection(title=section.title, kind=section.kind, numeral=numeral, section_id=section.pk)
            )
        new = clause.round_id == round_.id
        sections[-1].clauses.append(
            CompiledClause(
                clause_id=clause.id,
                ref=clause.ref,
                title=clause.title,
                text=clause.text,
                html=clause.text_html,
                status=clause.status,
                preambular=clause.preambular,
                new_in_round=new,
                proposed_by=(
                    _proposer(proposer(naming, clause, published_in=round_.id))  # the Chair's paragraph says so
                    if new
                    else ""
                ),
                rationale=clause.rationale if new else "",
                amendments=by_clause.get(clause.id, []),
                decided=decided.get(clause.id, ""),
                in_revision=in_revision.get(clause.id) if revision else None,
            )
        )
    state = ROUND_STATE_WORDS.get(round_.phase, round_.get_phase_display().lower())
    return Compilation(
        title=f"Compilation of proposals — {round_.title}",
        symbol=draft.document_symbol,
        number=_round_number(round_),
        # Which text and which round (the round's title is the moderator's, so it stands quoted).
        stage=f"{draft.title}: proposals made in the round “{round_.title}” ({state})",
        date=_as_of(round_, amendments, proposals),
        distribution=draft.get_distribution_display(),
        language=draft.original_language or "en",
        issuing_body=draft.owning_body,
        chatham_house=round_.chatham_house,
        round_id=round_.id,
        round_title=round_.title,
        round_phase=round_.phase,
        sections=sections,
        revision=revision,
    )


def _record(round_: Round, results: dict[int, ItemResult], decided: dict[int, str]) -> _Record:
    """The sections, paragraphs and amendments the compilation shows (``_before_the_round``): for a
    closed round as its history recorded them at ``closed_at`` (a paragraph proposed, amended or
    renumbered since is shown as the round had it); for a running round as they are."""
    draft = round_.draft
    if round_.phase == Phase.CLOSED:
        when = round_.closed_at or round_.created_at  # an imported record may not say
        sections = _as_it_stood(Section, when, draft_id=draft.pk)
        clauses = _as_it_stood(Clause, when, draft_id=draft.pk)
        amendments = _as_it_stood(Amendment, when, clause_id__in=list(clauses))
        # A row whose history does not reach back to the close (an imported record's may not) is
        # shown as it is, rather than left out of the round's paper.
        voted = Amendment.objects.filter(pk__in=set(results) - set(amendments))
        amendments.update({a.pk: a for a in voted})
        needed = {a.clause_id for a in amendments.values()} | set(decided)
        clauses.update({c.pk: c for c in Clause.objects.filter(pk__in=needed - set(clauses))})
        amendments = [
            a
            for a in amendments.values()
            if a.id in results or (a.round_id == round_.id and a.status == AmendmentStatus.WITHDRAWN)
        ]
    else:
        sections = {s.pk: s for s in draft.sections.all()}
        clauses = {c.pk: c for c in draft.clauses.all()}
        amendments = list(Amendment.objects.filter(_before_the_round(round_), clause__draft=draft))
    # Who proposed what, read once: the naming rule cites their user names.
    people = User.objects.in_bulk(
        ({a.author_id for a in amendments} | {c.proposer_id for c in clauses.values()}) - {None}
    )
    organizations = Organization.objects.in_bulk({a.organization_id for a in amendments} - {None})
    for amendment in amendments:
        amendment.author = people.get(amendment.author_id)
        amendment.organization = organizations.get(amendment.organization_id)
    for clause in clauses.values():
        clause.proposer = people.get(clause.proposer_id)
    amended = {a.clause_id for a in amendments}
    shown = [
        c for c in clauses.values() if c.status not in OUT_OF_THE_TEXT or c.round_id == round_.id or c.pk in amended
    ]
    # A paragraph of a section with no history (none here, but an imported record may lack it) is
    # placed by its section as it is.
    missing = {c.section_id for c in shown} - set(sections)
    sections.update({s.pk: s for s in Section.objects.filter(pk__in=missing)})
    shown.sort(key=lambda c: (sections[c.section_id].position, c.section_id, c.number, c.number_suffix))
    amendments.sort(key=lambda a: (a.created_at, a.id))
    return _Record(sections=sections, clauses=shown, amendments=amendments)


def _voted(round_: Round) -> tuple[dict[int, ItemResult], dict[int, str]]:
    """For a closed round, what it voted on: ``{amendment id: its result}``, and ``{clause id: how it
    decided that proposed paragraph}`` in words ("adopted")."""
    if round_.phase != Phase.CLOSED:
        return {}, {}
    stored = list(ItemResult.objects.filter(round=round_))
    return (
        {r.amendment_id: r for r in stored if r.amendment_id},
        {
            r.clause_id: PROPOSAL_OUTCOME_WORDS.get(r.outcome, r.get_outcome_display().lower())
            for r in stored
            if r.clause_id
        },
    )


def _before_the_round(round_: Round) -> Q:
    """The amendments a running round has before it: those on its ballot and those filed in it.
    (Once it closed: those it voted on, an amendment carried over from an earlier round included,
    the Chair's compromise tabled at its close not, and those withdrawn during it; see ``_record``.)"""
    if round_.phase in (Phase.OPEN, Phase.VOTING):
        return Q(pk__in=[item.id for kind, item in ballot(round_) if kind == "amendment"]) | Q(round=round_)
    return Q(round=round_)


def _as_it_stood(model, when: datetime, **filters) -> dict:
    """``{id: instance}`` of the rows of ``model`` matching ``filters`` as its history recorded them at
    ``when``, one deleted by then left out (simple-history's ``as_of``, narrowed before it is read)."""
    records = (
        model.history.filter(history_date__lte=when, **filters)
        .latest_of_each()
        .as_instances()
        .order_by("history_date", "history_id")
    )
    return {instance.pk: instance for instance in records}


def _revision(round_: Round) -> tuple[str, dict[int, dict]]:
    """The revision a closed round's close published ("Rev.1") and, per paragraph, how it stands there."""
    snapshot = Snapshot.objects.filter(round=round_).first() if round_.phase == Phase.CLOSED else None
    if snapshot is None:
        return "", {}
    return snapshot.rev, {
        row.clause_id: {"ref": row.ref, "text": row.text, "html": row.text_html, "status": row.status}
        for row in snapshot.clauses.all()
    }


def _ended(result: ItemResult) -> tuple[str, str]:
    """How the round ended an amendment: its status then (``ItemResult.ended_status``) and the words
    for it ("superseded by amendment 12")."""
    status = result.ended_status
    if result.outcome == Outcome.NO_QUORUM:
        return status, "not decided for want of a quorum; carried to the next round's ballot"
    if result.outcome == Outcome.SUPERSEDED:
        return status, result.effect  # "superseded by amendment 12", or "by a compromise"
    return status, AMENDMENT_STATUS_WORDS[status]


def _proposer(named: Named) -> str:
    """ "Brazil (Government)"; under the Chatham House rule "a government delegation"; "the Chair"."""
    if named.chair:
        return named.label
    speaking = named.speaking_for
    if speaking is None:
        return NOBODY_IN_PARTICULAR
    if named.withheld:
        return GROUP_PHRASES.get(speaking.stakeholder_group, NOBODY_IN_PARTICULAR)
    if speaking.organization is None:
        return NOBODY_IN_PARTICULAR
    return str(speaking) if speaking.group_label else speaking.organization.name


def _round_number(round_: Round) -> int:
    earlier = Round.objects.filter(draft_id=round_.draft_id).filter(
        Q(created_at__lt=round_.created_at) | Q(created_at=round_.created_at, id__lt=round_.id)
    )
    return earlier.count() + 1


def _as_of(round_: Round, amendments, proposals) -> datetime:
    """The latest proposal or change to one; with none, the day the round opened (or was created)."""
    moments = [a.updated_at for a in amendments] + [c.updated_at for c in proposals]
    return max(moments) if moments else (round_.opened_at or round_.created_at)


# Formats


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
    key = hashlib.sha256(
        json.dumps([RENDERING_VERSION, form, fmt, payload], cls=DjangoJSONEncoder, sort_keys=True).encode()
    ).hexdigest()
    made = cache.get(f"compilation:{key}")
    if made is None:
        content_type, extension = _forms()[form][fmt]
        with timezone.override(UTC):  # the same file for every reader, whatever their time zone
            content = (
                render_compilation(compilation, fmt) if form == "compilation" else synoptic.render(compilation, fmt)
            )
        made = (content, content_type, compilation.filename(extension, form=form))
        cache.set(f"compilation:{key}", made, timeout=settings.EXPORT_CACHE_SECONDS)
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


def _markdown_text(clause: CompiledClause) -> str:
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
            lines += [_markdown_text(clause), ""]
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


def to_json(compilation: Compilation) -> bytes:
    return encode_json(to_data(compilation))


# DOCX


def _redline_runs(paragraph, changes: list[dict]) -> None:
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
    """A4 Word document with the secretariat's page set-up and front block (``docx.new_document``,
    the compilation carries the identity it reads), sections as "Heading 1", paragraphs as "Heading 2"."""
    from docx.shared import Pt

    from . import docx as word_files

    word = word_files.new_document(compilation)
    legend = word.add_paragraph(
        "Each paragraph of the text is followed by the amendments proposed to it in this round, oldest first: "
    )
    _redline_runs(legend, [{"op": "insert", "text": "inserted words"}, {"op": "equal", "text": ", "}])
    _redline_runs(legend, [{"op": "delete", "text": "deleted words"}, {"op": "equal", "text": ". "}])
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
                _redline_runs(_indented(word), amendment.redline)
                if amendment.rationale:
                    for run in _indented(word, f"Rationale: {amendment.rationale}").runs:
                        run.font.size = Pt(10)
    return word_files.finish(word, compilation)
