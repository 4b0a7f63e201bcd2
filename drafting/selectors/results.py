"""A round's counts and results: yes / no / abstain per item, the reader's own votes, the results
rows as API.md shapes them (stored after the close, counted live before), who took part per
stakeholder group, and the dispositions of comments."""

from django.db.models import Count, Q

from accounts.selectors import voting_organization

from .. import rules
from ..models import CommentDisposition, Counting, ItemResult, Phase, Round, Vote, cited_as_voted
from ..naming import Cosponsors, Naming, amendment_author, proposer
from ..tally import count_votes, tally
from .cosponsors import name_cosponsors
from .subjects import round_subject


def tallies(round_: Round, *, clauses=(), amendments=()) -> dict[tuple[str, int], dict]:
    """Yes / no / abstain per item, from the one count (``drafting.tally``): ``{("clause", id): {...}}``."""
    if not clauses and not amendments:
        return {}
    counts = count_votes(round_, clauses=clauses, amendments=amendments)
    return {key: entry["totals"] for key, entry in counts.items()}


def tallies_visible(round_: Round | None, standing_: str) -> bool:
    return round_ is not None and rules.allowed("tallies_see", round_subject(round_, standing_))


def voice(user, round_: Round, *, organization_id: int | None = None) -> Q:
    """The votes that speak for ``user`` in ``round_`` (``reading.reader_vote_joins`` says the same in
    SQL): their own where the round counts per person; their delegation's, whoever of its members
    cast it, where it counts per delegation (``organization_id``: the one they vote through, when
    the caller read it already)."""
    if round_.counting == Counting.PER_DELEGATION:
        if organization_id is not None:
            return Q(for_delegation=True, organization_id=organization_id)
        return Q(for_delegation=True, organization_id__in=voting_organization(user, round_.eligible_groups))
    return Q(for_delegation=False, voter=user)


def my_votes(user, round_: Round | None, *, clauses=(), amendments=()) -> dict[tuple[str, int], str]:
    if round_ is None or not user.is_authenticated:
        return {}
    votes = Vote.objects.filter(voice(user, round_), round=round_).filter(
        Q(clause__in=clauses) | Q(amendment__in=amendments)
    )
    return {
        ("clause", v.clause_id) if v.clause_id else ("amendment", v.amendment_id): v.choice
        for v in votes.only("clause_id", "amendment_id", "choice")
    }


def round_results(round_: Round, *, standing_: str) -> tuple[list[dict], bool]:
    """The round's results as API.md shapes them, and whether they are final.

    After close they come from the stored tallies; before, they are counted live and marked
    provisional. Raises Conflict while tallies are hidden from this reader.
    """
    rules.check("tallies_see", round_subject(round_, standing_))
    if round_.phase == Phase.CLOSED:
        return closed_round_rows(round_), True
    if round_.phase != Phase.VOTING:
        return [], False
    counted = tally(round_)
    naming = results_naming(round_, ((t.kind, t.item) for t in counted))
    rows = [
        _result_row(round_, t.kind, t.item, t.outcome, t.reason, "", t.totals, t.by_group, naming=naming)
        for t in counted
    ]
    return rows, False


def closed_round_rows(round_: Round) -> list[dict]:
    """A closed round's results from its stored tallies, as ``round_results`` gives them (the caller
    has checked the reader may see them)."""
    rows = ItemResult.objects.filter(round=round_).select_related(
        "clause__proposer", "amendment__author", "amendment__organization", "amendment__clause"
    )
    rows = list(rows)
    naming = results_naming(round_, ((r.item_type, r.clause or r.amendment) for r in rows))
    return [
        _result_row(
            round_,
            r.item_type,
            r.clause or r.amendment,
            r.outcome,
            r.reason,
            r.effect,
            {"yes": r.yes, "no": r.no, "abstain": r.abstain},
            r.by_group,
            naming=naming,
            cited_as=r.cited_as,
        )
        for r in rows
    ]


def results_naming(round_: Round, items) -> Naming:
    """How the results of ``round_`` name who proposed each ``(kind, item)``: as published
    (``Naming.published``), by the rule of the round the item was proposed in and of this one (an
    amendment carried over from a Chatham House round stays unnamed); what each spoke for is read
    in one query."""
    items = list(items)
    naming = Naming.published(round_.draft_id, known=[round_])
    naming.load(
        (item.proposer_id, item.created_at) if kind == "clause" else (item.author_id, item.created_at)
        for kind, item in items
    )
    # Each item's co-sponsors too, as the round publishes them (one query).
    name_cosponsors(naming, (item for _, item in items), published_in=round_.id)
    return naming


def _result_row(
    round_, kind, item, outcome, reason, effect, totals, by_group, *, naming: Naming, cited_as: str = ""
) -> dict:
    """``naming``: ``results_naming`` of the round's items. ``cited_as``: the paragraph as the ballot
    cited it (``ItemResult.cited_as``); before the close, the number it has now."""
    clause = item if kind == "clause" else item.clause
    cited = cited_as_voted(clause, cited_as)
    if kind == "clause":
        title = f"Clause {cited}: {item.title}"
        named = proposer(naming, item, published_in=round_.id)
    else:
        title = f"Amendment {item.id} to clause {cited}"
        named = amendment_author(naming, item, published_in=round_.id)
    by = {"group": named.group}
    if not named.withheld:
        by.update({"name": named.name, "organization": named.organization_name})
    cosponsors = getattr(item, "cosponsors", None) or Cosponsors()  # named by ``results_naming``
    return {
        "item": {
            "type": kind,
            "id": item.id,
            "title": title,
            "cited_as": cited_as or clause.ref,
            "ref": clause.ref,
            "by": by,
            "who": named.label,
            "speaking_for": named.data(),
            "cosponsored_by": cosponsors.label if cosponsors else "",
            "cosponsors": cosponsors.data(),
        },
        "outcome": outcome,
        "reason": reason,
        "effect": effect,
        "totals": totals,
        "by_group": by_group,
    }


def round_participation(round_: Round) -> list[dict]:
    """Per stakeholder group: the voices that may vote (verified participants, or their delegations
    where the round counts one voice per delegation), how many of them voted, and votes cast."""
    from accounts.models import Membership, StakeholderGroup

    per_delegation = round_.counting == Counting.PER_DELEGATION
    voted = {
        row["stakeholder_group"]: row
        for row in Vote.objects.filter(round=round_)
        .values("stakeholder_group")
        .annotate(voters=Count("organization" if per_delegation else "voter", distinct=True), votes=Count("id"))
        .order_by()
    }
    eligible = dict(
        Membership.objects.filter(
            status=Membership.Status.VERIFIED,
            user__draft_memberships__draft=round_.draft,
            user__draft_memberships__role="participant",
        )
        .values("organization__stakeholder_group")
        .annotate(n=Count("organization" if per_delegation else "user", distinct=True))
        .values_list("organization__stakeholder_group", "n")
        .order_by()
    )
    return [
        {
            "group": group,
            "label": label,
            "eligible": group in round_.eligible_groups,
            "participants": eligible.get(group, 0),
            "voters": voted.get(group, {}).get("voters", 0),
            "votes": voted.get(group, {}).get("votes", 0),
        }
        for group, label in StakeholderGroup.choices
    ]


def round_dispositions(round_: Round):
    return CommentDisposition.objects.filter(round=round_).select_related(
        "round", "comment__author", "comment__clause", "comment__amendment__clause"
    )
