"""Where votes are counted: the ballot, the count per item and stakeholder group, and each outcome.

One count serves everything that shows or uses a tally: closing a round (which stores it), the
live provisional results while a round votes, and the yes / no / abstain beside each item.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import (
    READING_ORDER,
    Amendment,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    Outcome,
    Round,
    Vote,
    VoteChoice,
    VotingRule,
)

EMPTY = {"yes": 0, "no": 0, "abstain": 0}


def count_votes(round_: Round, *, clauses=None, amendments=None) -> dict[tuple[str, int], dict]:
    """``{(type, id): {"totals": {yes, no, abstain}, "by_group": {group: {yes, no, abstain}}}}``.

    One grouped query: the database counts, Python only arranges the rows. With ``clauses`` or
    ``amendments``, only those items are counted.
    """
    votes = Vote.objects.filter(round=round_)
    if clauses is not None or amendments is not None:
        votes = votes.filter(Q(clause__in=list(clauses or [])) | Q(amendment__in=list(amendments or [])))
    rows = (
        votes.values("clause_id", "amendment_id", "stakeholder_group")
        .annotate(
            yes=Count("id", filter=Q(choice=VoteChoice.YES)),
            no=Count("id", filter=Q(choice=VoteChoice.NO)),
            abstain=Count("id", filter=Q(choice=VoteChoice.ABSTAIN)),
        )
        .order_by()
    )
    counts: dict[tuple[str, int], dict] = {}
    for row in rows:
        key = ("clause", row["clause_id"]) if row["clause_id"] else ("amendment", row["amendment_id"])
        entry = counts.setdefault(key, {"totals": dict(EMPTY), "by_group": {}})
        group = {choice: row[choice] for choice in EMPTY}
        entry["by_group"][row["stakeholder_group"]] = group
        for choice in EMPTY:
            entry["totals"][choice] += group[choice]
    return counts


@dataclass(frozen=True)
class Decision:
    """The outcome of one item and why, in the words of the rule that decided it."""

    outcome: str
    reason: str


def _score(tally: dict) -> str:
    return f"{tally['yes']}-{tally['no']}"


def _groups(by_group: dict, names) -> str:
    from accounts.models import StakeholderGroup

    return ", ".join(
        f"{StakeholderGroup(g).label if g in StakeholderGroup.values else g} {_score(by_group[g])}" for g in names
    )


def decide(rule: str, quorum: int, totals: dict, by_group: dict) -> Decision:
    """The outcome of one item, with its reason.

    Below quorum (and always with no vote at all) an item is undecided: ``no_quorum``, it carries
    over. Under ``multistakeholder`` a group takes part when it cast a yes or a no; a group that
    only abstained neither carries nor blocks. The reason is written here, beside the test that
    decides, so what a page says of an outcome is what decided it.
    """
    yes, no, abstain = totals["yes"], totals["no"], totals["abstain"]
    cast = yes + no + abstain
    if cast < max(quorum, 1):
        if not cast:
            return Decision(Outcome.NO_QUORUM, "No votes were cast; it carries over.")
        return Decision(
            Outcome.NO_QUORUM,
            f"{cast} vote{'s' if cast != 1 else ''} cast, below the quorum of {quorum}; it carries over.",
        )
    if yes + no == 0:
        return Decision(Outcome.REJECTED, f"No votes for or against ({abstain} abstained).")
    score = f"{yes} for, {no} against"
    if rule == VotingRule.SIMPLE_MAJORITY:
        if yes > no:
            return Decision(Outcome.ACCEPTED, f"{score}: more for than against.")
        if yes == no:
            return Decision(Outcome.REJECTED, f"{score}: a tie; a simple majority needs more for than against.")
        return Decision(Outcome.REJECTED, f"{score}: a simple majority needs more for than against.")
    if rule == VotingRule.TWO_THIRDS:
        if yes > 0 and 3 * yes >= 2 * (yes + no):
            return Decision(Outcome.ACCEPTED, f"{score}: at least two thirds of those for or against.")
        return Decision(Outcome.REJECTED, f"{score}: the rule needs two thirds of those for or against.")
    if rule == VotingRule.CONSENSUS:
        if no == 0:
            return Decision(Outcome.ACCEPTED, f"{score}: no objection.")
        return Decision(Outcome.REJECTED, f"{score}: consensus needs no votes against.")
    if rule == VotingRule.MULTISTAKEHOLDER:
        taking_part = [g for g in by_group if by_group[g]["yes"] + by_group[g]["no"] > 0]
        short = [g for g in taking_part if by_group[g]["yes"] <= by_group[g]["no"]]
        if short:
            return Decision(
                Outcome.REJECTED,
                f"{_groups(by_group, short)}; the multistakeholder rule needs a majority in every group that voted.",
            )
        if len(taking_part) < 2:
            return Decision(
                Outcome.REJECTED,
                f"Only {_groups(by_group, taking_part)} voted; the multistakeholder rule needs a majority "
                "in at least two groups.",
            )
        return Decision(Outcome.ACCEPTED, f"A majority in every group that voted: {_groups(by_group, taking_part)}.")
    raise ValueError(rule)  # pragma: no cover - the model's choices allow nothing else


@dataclass
class ItemTally:
    kind: str  # "clause" or "amendment"
    item: Clause | Amendment
    totals: dict
    by_group: dict
    outcome: str
    reason: str

    @property
    def clause(self) -> Clause:
        """The proposed clause, or the clause the amendment changes: the paragraph the ballot cites."""
        return self.item if self.kind == "clause" else self.item.clause


def ballot(round_: Round, *, lock: bool = False) -> list[tuple[str, Clause | Amendment]]:
    """What the round votes on: proposed clauses in reading order, then submitted amendments in the order
    they were submitted (the order closing merges them). With ``lock``, their rows stay locked."""
    clauses = Clause.objects.filter(draft=round_.draft, status=ClauseStatus.PROPOSED).select_related("proposer")
    amendments = Amendment.objects.filter(clause__draft=round_.draft, status=AmendmentStatus.SUBMITTED)
    if lock:
        clauses = clauses.select_for_update(of=("self",))
        amendments = amendments.select_for_update(of=("self",))
    amendments = amendments.select_related("author", "organization", "clause")
    return [("clause", c) for c in clauses.order_by(*READING_ORDER)] + [
        ("amendment", a) for a in amendments.order_by("created_at", "id")
    ]


def tally(round_: Round, *, lock: bool = False) -> list[ItemTally]:
    """Count and decide every item on the round's ballot under the round's rule and quorum."""
    counts = count_votes(round_)
    result = []
    for kind, item in ballot(round_, lock=lock):
        entry = counts.get((kind, item.id), {"totals": dict(EMPTY), "by_group": {}})
        decided = decide(round_.voting_rule, round_.quorum, entry["totals"], entry["by_group"])
        result.append(ItemTally(kind, item, entry["totals"], entry["by_group"], decided.outcome, decided.reason))
    return result
