"""Counting votes (in the database) and deciding outcomes under each voting rule."""

from django.db.models import Count, Q

from .models import Outcome, Round, Vote, VoteChoice, VotingRule

EMPTY = {"yes": 0, "no": 0, "abstain": 0}


def count_votes(round_: Round) -> dict[tuple[str, int], dict]:
    """``{(type, id): {"totals": {yes, no, abstain}, "by_group": {group: {yes, no, abstain}}}}``.

    One grouped query: the database counts, Python only arranges the rows.
    """
    rows = (
        Vote.objects.filter(round=round_)
        .values("clause_id", "amendment_id", "stakeholder_group")
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


def decide(rule: str, quorum: int, totals: dict, by_group: dict) -> str:
    """The outcome of one item.

    Below quorum (and always with no vote at all) an item is undecided: ``no_quorum``, it carries
    over. Under ``multistakeholder`` a group takes part when it cast a yes or a no; a group that
    only abstained neither carries nor blocks.
    """
    yes, no, abstain = totals["yes"], totals["no"], totals["abstain"]
    if yes + no + abstain < max(quorum, 1):
        return Outcome.NO_QUORUM
    if rule == VotingRule.SIMPLE_MAJORITY:
        passed = yes > no
    elif rule == VotingRule.TWO_THIRDS:
        passed = yes > 0 and 3 * yes >= 2 * (yes + no)
    elif rule == VotingRule.CONSENSUS:
        passed = yes >= 1 and no == 0
    elif rule == VotingRule.MULTISTAKEHOLDER:
        taking_part = [g for g in by_group.values() if g["yes"] + g["no"] > 0]
        passed = len(taking_part) >= 2 and all(g["yes"] > g["no"] for g in taking_part)
    else:  # pragma: no cover - the model's choices allow nothing else
        raise ValueError(rule)
    return Outcome.ACCEPTED if passed else Outcome.REJECTED
