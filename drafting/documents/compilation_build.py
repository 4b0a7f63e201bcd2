"""Gathering a round's compilation of proposals (``compilation.Compilation``, whose docstring says
what it holds and why): the draft's record as it stood when the round closed, or as it stands while
the round runs, each proposal with the delegation that made it and how the round ended it, in words.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from accounts.models import Organization, StakeholderGroup, User

from ..diff import word_diff
from ..models import (
    OUT_OF_THE_TEXT,
    Amendment,
    AmendmentStatus,
    Clause,
    ItemResult,
    Outcome,
    Phase,
    Round,
    Section,
    SectionKind,
    SectionNumerals,
    Snapshot,
)
from ..naming import Named, Naming, amendment_author, proposer
from ..selectors.cosponsors import name_cosponsors
from ..tally import ballot
from .compilation import AMENDMENT_STATUS_WORDS, Compilation, CompiledAmendment, CompiledClause, CompiledSection
from .style import spaced

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


@dataclass
class _Record:
    """What the compilation is made of: the draft's sections, paragraphs and the round's amendments,
    as they stood when the round closed (its history at ``closed_at``), or as they are while it runs."""

    sections: dict[int, Section]
    clauses: list[Clause]  # in reading order
    amendments: list[Amendment]  # oldest first


def build_compilation(round_: Round) -> Compilation:
    """The compilation of ``round_``'s proposals against its draft's text (see ``compilation``'s docstring).

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
    # And who co-sponsors each (one query): co-sponsors change only while the round is open, so a
    # closed round's are as they stood at its close.
    name_cosponsors(naming, [*proposals, *amendments], published_in=round_.id)

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
                cosponsored_by=amendment.cosponsors.label if amendment.cosponsors else "",
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
                cosponsored_by=clause.cosponsors.label if new and clause.cosponsors else "",
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
