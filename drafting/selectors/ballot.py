"""The ballot of a round, and competing amendments side by side: what a delegate votes on, in one place.

The ballot is what the round votes on (``drafting.tally.ballot``; after the close, what it voted on),
arranged as the draft reads: by section, clause number and suffix, each clause's amendments under
it. Whether the person may vote is the vote rule's answer (``drafting.rules``), asked once for the
whole ballot: every item on it is one the rule lets vote on, so only the person and the phase decide.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Count

from .. import rules
from ..competing import competing_amendments
from ..diff import word_diff
from ..models import (
    Amendment,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    ItemResult,
    Phase,
    Round,
    Section,
    SectionNumerals,
    Vote,
    cited_as_voted,
)
from ..naming import Naming, name_on_page
from ..tally import EMPTY, ballot, count_votes
from .cosponsors import name_cosponsors
from .results import tallies_visible, voice
from .rounds import current_round
from .subjects import as_voter, may_ask_to_join, who_they_are
from .suggestions import redline_against_current, suggestion, suggestions_on


@dataclass
class BallotItem:
    kind: str  # "clause" (adopt this proposed clause) or "amendment" (accept this amendment)
    item: Clause | Amendment
    clause: Clause  # the proposed clause itself, or the clause the amendment changes
    section: Section
    my_vote: str | None = None
    tally: dict | None = None
    competes_with: list[int] = field(default_factory=list)  # amendments changing the same words
    result: ItemResult | None = None  # once the round closed: its stored result, with the number it was voted under

    @cached_property
    def redline(self) -> list[dict] | None:
        """An amendment's word diff against the text it was written against (as its own page shows it)."""
        if self.kind != "amendment":
            return None
        return word_diff(self.item.base_text, self.item.new_text)

    @property
    def number(self) -> str:
        return self.clause.label

    @property
    def ref(self) -> str:
        """The paragraph as cited in UN style: "PP2", "OP16 bis"; once the round closed, as its
        ballot cited it, with its number now where a revision changed it ("OP11, now OP10")."""
        return cited_as_voted(self.clause, self.cited_as, shown=True)

    @property
    def cited_as(self) -> str:
        """The paragraph as the ballot cited it while the round voted ("OP11")."""
        return self.result.cited_as if self.result is not None else self.clause.ref

    @property
    def title(self) -> str:
        return self.clause.title

    @property
    def outdated(self) -> bool:
        """An amendment written against an earlier version of its clause (its redline shows that text)."""
        return self.kind == "amendment" and self.item.base_version != self.clause.version

    @property
    def dom_id(self) -> str:
        return f"ballot-{self.kind}-{self.item.id}"

    def reading_order(self) -> tuple:
        number = (self.clause.number, self.clause.number_suffix)
        if self.result is not None and self.result.cited_number is not None:
            number = (self.result.cited_number, self.result.cited_suffix)  # as the ballot read when it voted
        position = (self.section.position, self.section.id, *number)
        if self.kind == "clause":
            return (*position, 0, 0)
        return (*position, 1, self.item.created_at.timestamp(), self.item.id)


@dataclass
class Ballot:
    round: Round
    standing: str
    items: list[BallotItem]
    voting_open: bool  # the round is in its voting phase
    may_vote: bool  # and this person may vote in it
    eligible: bool  # this person votes in this round when it votes (verified, of a group that votes)
    reason: str | None  # why they may not vote now, in the vote rule's words; who they are comes first
    may_ask_to_join: bool  # not eligible, and the join rule lets them ask to take part in the draft
    tallies_hidden: bool
    sections: list[tuple[Section, list[BallotItem]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def voted(self) -> int:
        return sum(1 for entry in self.items if entry.my_vote is not None)

    def find(self, kind: str, item_id: int) -> BallotItem | None:
        return next((e for e in self.items if e.kind == kind and e.item.id == item_id), None)


def _items_of(round_: Round) -> list[tuple[str, Clause | Amendment, ItemResult | None]]:
    """What the round votes on; once closed, what it voted on: its stored results, which keep the
    paragraph number each was voted under."""
    if round_.phase != Phase.CLOSED:
        return [(kind, item, None) for kind, item in ballot(round_)]
    results = ItemResult.objects.filter(round=round_).select_related(
        "clause__proposer", "amendment__author", "amendment__organization", "amendment__clause"
    )
    return [(r.item_type, r.clause or r.amendment, r) for r in results]


def voter_subject(user, round_: Round, standing: str, *, phase: str | None = None) -> rules.Subject:
    """The vote rule's view of this person in ``round_`` (in ``phase``, by default the round's own),
    for any item on its ballot.

    Their verified membership in an eligible group is looked up only when it is what decides.
    """
    # Every item on a ballot is one the rule lets vote on.
    subject = rules.Subject(standing, phase=phase or round_.phase, state=ClauseStatus.PROPOSED)
    return who_they_are(user, as_voter(user, subject, round_))


def ballot_for(user, round_: Round, standing: str) -> Ballot:
    """The round's ballot as ``user`` sees it: every item in reading order with their vote on it.

    Runs the same few queries whatever the number of items, sections and votes.
    """
    sections = {s.id: s for s in Section.objects.filter(draft_id=round_.draft_id).order_by("position", "id")}
    numerals = SectionNumerals()
    for section in sections.values():  # headed as the draft page heads them: "II. Norms", the preamble bare
        section.numeral = numerals.next(section.is_preamble)
    entries = []
    for kind, item, result in _items_of(round_):
        clause = item if kind == "clause" else item.clause
        entries.append(BallotItem(kind, item, clause, sections[clause.section_id], result=result))
    entries.sort(key=BallotItem.reading_order)
    by_clause: dict[int, list[BallotItem]] = {}
    for entry in entries:
        if entry.kind == "amendment":
            by_clause.setdefault(entry.clause.id, []).append(entry)
    for rivals in by_clause.values():
        if len(rivals) < 2:
            continue
        competing = competing_amendments([e.item for e in rivals], rivals[0].clause.text)
        for entry in rivals:
            entry.competes_with = competing[entry.item.id]

    # Each proposer and author named as the naming rule shows them to this reader (a proposer with
    # what they spoke for when proposing: one query).
    name_on_page(
        user,
        round_.draft,
        clauses=[entry.item for entry in entries if entry.kind == "clause"],
        amendments=[entry.item for entry in entries if entry.kind == "amendment"],
    )
    # Their co-sponsors, by the same rule (one query).
    name_cosponsors(Naming(user, round_.draft_id, known=[round_]), [entry.item for entry in entries])
    mine = {
        ("clause", clause_id) if clause_id else ("amendment", amendment_id): choice
        for clause_id, amendment_id, choice in Vote.objects.filter(voice(user, round_), round=round_).values_list(
            "clause_id", "amendment_id", "choice"
        )
    }
    visible = tallies_visible(round_, standing)
    counts = count_votes(round_) if visible and round_.phase in (Phase.VOTING, Phase.CLOSED) and entries else None
    for entry in entries:
        key = (entry.kind, entry.item.id)
        entry.my_vote = mine.get(key)
        if counts is not None:
            entry.tally = counts.get(key, {"totals": dict(EMPTY)})["totals"]

    # Who the person is decides first (an observer, unverified, a group that does not vote here), so
    # they learn it before voting starts; then whether the round is voting now.
    subject = voter_subject(user, round_, standing, phase=Phase.VOTING)
    refused_person = rules.refusal("vote", subject)
    refusal = refused_person or rules.refusal("vote", replace(subject, phase=round_.phase))
    grouped: dict[int, tuple[Section, list[BallotItem]]] = {}
    for entry in entries:
        grouped.setdefault(entry.section.id, (entry.section, []))[1].append(entry)
    return Ballot(
        round=round_,
        standing=standing,
        items=entries,
        voting_open=round_.phase == Phase.VOTING,
        may_vote=refusal is None,
        eligible=refused_person is None,
        reason=refusal.message if refusal is not None else None,
        may_ask_to_join=refused_person is not None and may_ask_to_join(round_.draft, standing),
        tallies_hidden=not visible,
        sections=list(grouped.values()),
    )


# Competing amendments side by side --------------------------------------------------------------------


@dataclass
class Column:
    """One submitted amendment as a column beside the base text."""

    amendment: Amendment
    redline: list[dict]
    against_current: bool  # the redline is against the clause's current text (else against its own base)
    competes_with: list[int]
    comment_count: int
    my_vote: str | None = None
    tally: dict | None = None

    @property
    def dom_id(self) -> str:
        return f"vote-amendment-{self.amendment.id}"


@dataclass
class PastColumn:
    """An amendment as a closed round decided it: its result there, and its redline against the
    text its author saw. Rivals stay comparable after the close, as part of the record."""

    amendment: Amendment
    result: ItemResult
    redline: list[dict]
    comment_count: int

    @property
    def dom_id(self) -> str:
        return f"round-{self.result.round_id}-amendment-{self.amendment.id}"


def past_amendments(clause: Clause) -> list[tuple[Round, list[PastColumn]]]:
    """The clause's amendments as each closed round decided them, latest round first (an amendment
    carried over shows under each round that voted on it), in the order they were submitted. One query."""
    results = (
        ItemResult.objects.filter(amendment__clause=clause)
        .select_related("round", "amendment__author", "amendment__organization", "amendment__round")
        .annotate(comment_count=Count("amendment__comments"))
        .order_by("-round__closed_at", "-round_id", "amendment__created_at", "amendment_id")
    )
    rounds: dict[int, tuple[Round, list[PastColumn]]] = {}
    for result in results:
        a = result.amendment
        column = PastColumn(a, result, word_diff(a.base_text, a.new_text), result.comment_count)
        rounds.setdefault(result.round_id, (result.round, []))[1].append(column)
    return list(rounds.values())


def amendments_side_by_side(user, clause: Clause, standing: str) -> dict:
    """The clause's submitted amendments as columns against its current text, with what the vote
    control needs for each: the round, whether this person may vote, their votes and the tallies;
    then, round by round, the amendments closed rounds decided, with how each ended."""
    amendments = list(
        Amendment.objects.filter(clause=clause, status=AmendmentStatus.SUBMITTED)
        .select_related("author", "organization", "round")
        .annotate(comment_count=Count("comments"))
        .order_by("created_at", "id")
    )
    competing = competing_amendments(amendments, clause.text)
    past = past_amendments(clause)
    name_on_page(user, clause.draft, amendments=amendments + [c.amendment for _, cs in past for c in cs])
    columns, made = [], {}
    for amendment in amendments:
        redline, against_current = redline_against_current(amendment, clause)
        amendment.competes_with = competing[amendment.id]
        columns.append(Column(amendment, redline, against_current, competing[amendment.id], amendment.comment_count))
        made[amendment.id] = suggestion(amendment, clause, redline, against_current)

    round_ = current_round(clause.draft)
    voting = round_ is not None and round_.phase == Phase.VOTING
    visible = tallies_visible(round_, standing)
    may_vote = False
    if voting and columns and user.is_authenticated:
        may_vote = rules.allowed("vote", voter_subject(user, round_, standing))
        mine = dict(
            Vote.objects.filter(
                voice(user, round_), round=round_, amendment__in=[c.amendment for c in columns]
            ).values_list("amendment_id", "choice")
        )
        counts = count_votes(round_, amendments=[c.amendment for c in columns]) if visible else {}
        for column in columns:
            column.my_vote = mine.get(column.amendment.id)
            if visible:
                column.tally = counts.get(("amendment", column.amendment.id), {"totals": dict(EMPTY)})["totals"]
    return {
        "columns": columns,
        "suggestions": suggestions_on(clause, amendments, made=made),  # the same inline view as the clause's page
        "past": past,
        "round": round_,
        "voting": voting,
        "may_vote": may_vote,
        "tallies_hidden": round_ is not None and not visible,
    }
