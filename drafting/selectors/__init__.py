"""Reads that join or filter by visibility; each returns querysets ready to render."""

from django.db.models import Count, Q

from .. import rules
from ..models import (
    CommentDisposition,
    ItemResult,
    Phase,
    Round,
    Snapshot,
    SnapshotClause,
    Vote,
    cited_as_voted,
)
from ..naming import Naming, amendment_author, proposer
from ..tally import count_votes, tally
from .lookups import (
    amendment_for,
    amendments_of,
    clause_for,
    clause_history,
    clause_version,
    comment_for,
    comments_on,
    draft_for,
    draft_members,
    draft_with_text,
    drafts_visible_to,
    export_job_for,
    follows,
    round_for,
    snapshot_for,
)
from .rounds import active_round, current_round, phase_now, round_of_comment
from .subjects import (
    amendment_subject,
    as_voter,
    clause_subject,
    comment_body_published,
    comment_body_visible,
    comment_subject,
    draft_phase,
    draft_subject,
    may_ask_to_join,
    round_subject,
    who_they_are,
)

__all__ = [
    "active_round",
    "amendment_for",
    "amendment_subject",
    "amendments_of",
    "as_voter",
    "clause_for",
    "clause_history",
    "clause_subject",
    "clause_version",
    "closed_round_rows",
    "comment_body_published",
    "comment_body_visible",
    "comment_for",
    "comment_subject",
    "comments_on",
    "compare_clauses",
    "compare_snapshots",
    "current_round",
    "draft_for",
    "draft_members",
    "draft_phase",
    "draft_subject",
    "draft_with_text",
    "drafts_visible_to",
    "export_job_for",
    "follows",
    "may_ask_to_join",
    "my_votes",
    "phase_now",
    "results_naming",
    "round_dispositions",
    "round_for",
    "round_of_comment",
    "round_participation",
    "round_results",
    "round_subject",
    "snapshot_for",
    "tallies",
    "tallies_visible",
    "who_they_are",
]


def tallies(round_: Round, *, clauses=(), amendments=()) -> dict[tuple[str, int], dict]:
    """Yes / no / abstain per item, from the one count (``drafting.tally``): ``{("clause", id): {...}}``."""
    if not clauses and not amendments:
        return {}
    counts = count_votes(round_, clauses=clauses, amendments=amendments)
    return {key: entry["totals"] for key, entry in counts.items()}


def tallies_visible(round_: Round | None, standing_: str) -> bool:
    return round_ is not None and rules.allowed("tallies_see", round_subject(round_, standing_))


def my_votes(user, round_: Round | None, *, clauses=(), amendments=()) -> dict[tuple[str, int], str]:
    if round_ is None or not user.is_authenticated:
        return {}
    votes = Vote.objects.filter(round=round_, voter=user).filter(Q(clause__in=clauses) | Q(amendment__in=amendments))
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
    naming = Naming.published(round_.draft_id, known=[round_])
    naming.load(
        (item.proposer_id, item.created_at) if kind == "clause" else (item.author_id, item.created_at)
        for kind, item in items
    )
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
        },
        "outcome": outcome,
        "reason": reason,
        "effect": effect,
        "totals": totals,
        "by_group": by_group,
    }


def round_participation(round_: Round) -> list[dict]:
    """Per stakeholder group: verified participants who may vote, how many voted, and votes cast."""
    from accounts.models import Membership, StakeholderGroup

    voted = {
        row["stakeholder_group"]: row
        for row in Vote.objects.filter(round=round_)
        .values("stakeholder_group")
        .annotate(voters=Count("voter", distinct=True), votes=Count("id"))
        .order_by()
    }
    eligible = dict(
        Membership.objects.filter(
            status=Membership.Status.VERIFIED,
            user__draft_memberships__draft=round_.draft,
            user__draft_memberships__role="participant",
        )
        .values("organization__stakeholder_group")
        .annotate(n=Count("user", distinct=True))
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


def compare_snapshots(old: Snapshot, new: Snapshot) -> list[dict]:
    """Clause by clause in the newer snapshot's reading order: added, removed (where it stood in the
    older one), changed (with a word diff of the text) or unchanged. ``previous_label`` is the
    clause's number in the older snapshot where a renumbering changed it ("17 (was 16 bis)")."""
    return compare_clauses(list(old.clauses.all()), list(new.clauses.all()))


def compare_clauses(old: list[SnapshotClause], new: list[SnapshotClause]) -> list[dict]:
    """``compare_snapshots`` of two lists of frozen clauses, saved or not (the close preview compares
    the snapshot a close would freeze)."""
    from ..diff import with_brackets, word_diff

    before = {c.clause_id: c for c in old}
    after = {c.clause_id: c for c in new}
    rows = []
    for a, b in _in_reading_order(list(before.values()), list(after.values())):
        shown = b or a
        row = {
            "clause": shown.clause_id,
            "number": shown.number,
            "number_suffix": shown.number_suffix,
            "label": shown.label,
            # Its number in the older snapshot; for a clause new since, the number it was cited by
            # before this snapshot renumbered the text ("1 bis").
            "previous_label": (a.label if a.label != b.label else "") if a and b else (b.previous_label if b else ""),
            # The same as cited in UN style: "OP3" (was "OP2 bis").
            "ref": shown.ref,
            "previous_ref": _previous_ref(a, b),
            "title": shown.title,
            "diff": None,
        }
        # The diff is of the text as it reads, square brackets included: a clause going into or out
        # of brackets shows them inserted or deleted, as every export's redline does.
        if a is None:
            row["change"] = "added"
            row["diff"] = with_brackets([{"op": "insert", "text": b.text}], False, b.is_bracketed)
        elif b is None:
            row["change"] = "removed"
            row["diff"] = with_brackets([{"op": "delete", "text": a.text}], a.is_bracketed, False)
        elif (a.title, a.text, a.status) != (b.title, b.text, b.status):
            row["change"] = "changed"
            ops = word_diff(a.text, b.text) if a.text != b.text else [{"op": "equal", "text": b.text}]
            row["diff"] = with_brackets(ops, a.is_bracketed, b.is_bracketed)
            row["from_status"], row["to_status"] = a.status, b.status
        else:
            row["change"] = "unchanged"
        rows.append(row)
    return rows


def _previous_ref(a: SnapshotClause | None, b: SnapshotClause | None) -> str:
    if a and b:
        return a.ref if a.ref != b.ref else ""
    if b and b.previous_label:
        return f"{'PP' if b.preambular else 'OP'}{b.previous_label}"
    return ""


def _in_reading_order(before: list, after: list) -> list[tuple]:
    """``(older, newer)`` pairs of the same clause (either may be None): the newer snapshot's clauses
    in its order, each removed clause right after the clause it followed in the older one."""
    kept = {c.clause_id for c in after}
    removed_after: dict[int | None, list] = {}
    leading = None
    for c in before:  # a snapshot's clauses come in reading order (SnapshotClause.Meta.ordering)
        if c.clause_id in kept:
            leading = c.clause_id
        else:
            removed_after.setdefault(leading, []).append(c)
    older = {c.clause_id: c for c in before}
    pairs = [(c, None) for c in removed_after.get(None, [])]
    for c in after:
        pairs.append((older.get(c.clause_id), c))
        pairs += [(gone, None) for gone in removed_after.get(c.clause_id, [])]
    return pairs
