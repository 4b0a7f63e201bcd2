"""What closing a round now would do, worked out by the code that closes it and writing nothing.

The preview tallies the ballot and decides every item with ``round_close.decide_close``, the
function the close itself runs, on objects that are never saved: the outcomes, the effects, the
text of each merge and each conflict are the ones closing would record. It then compares the
draft as closing would freeze it (Rev.N) with the draft's last snapshot, clause by clause.

It takes no lock: it shows the ballot as it stands, and a vote cast after it is read counts at the
close. Its queries are the same whatever the size of the ballot and the draft.
"""

from dataclasses import dataclass

from .. import rules
from ..diff import visible_word_diff
from ..markdown import render_markdown
from ..models import OUT_OF_THE_TEXT, READING_ORDER, Clause, Outcome, Round, Snapshot, SnapshotClause
from ..rivals import RivalSet, choose, rivals_on_ballot
from ..services.round_close import CloseDecisions, ItemDecision, clauses_amended, decide_close
from ..services.snapshots import next_revision_label, revision_numbers
from ..tally import tally
from .comparison import compare_clauses
from .results import _result_row, results_naming, round_participation
from .subjects import round_subject


@dataclass
class ClosePreview:
    round: Round
    items: list[dict]  # the results' rows, each with ``merged_text`` and ``conflict``
    summary: dict  # how many items are accepted, rejected, carried over; how many merges conflict
    snapshot_label: str  # the label of the snapshot closing freezes: "Rev.2"
    compared_with: Snapshot | None  # the draft's last snapshot; None before the first
    clauses: list[dict]  # clause by clause, the snapshot closing freezes against ``compared_with``
    # The round hides its tallies until it closes: the preview then shows what is on the ballot and
    # how many voted on each item, not outcomes (which would tell how the votes stand).
    tallies_hidden: bool = False
    participation: list[dict] | None = None
    # Each set of rival amendments (same or adjacent words), its members' rows and what is chosen
    # for it; under hidden tallies, without counts: the Chair then chooses blind.
    rivals: list[dict] | None = None

    @property
    def changed_clauses(self) -> list[dict]:
        """The clauses whose text, status or number closing changes."""
        return [row for row in self.clauses if row["change"] != "unchanged" or row["previous_label"]]


def round_close_preview(round_: Round, *, standing_: str, rivals: list[dict] | None = None) -> ClosePreview:
    """What closing ``round_`` now would do: for its moderators, while it votes (else 403 or 409).

    ``rivals``: the Chair's choices for the rival sets, as closing takes them (400 when they do not
    fit the ballot); by default, most support."""
    subject = round_subject(round_, standing_)
    rules.check("round_close_preview", subject)
    if not rules.allowed("tallies_see", subject):
        return _without_tallies(round_, rivals)
    counted = tally(round_)
    naming = results_naming(round_, ((t.kind, t.item) for t in counted))
    decided = decide_close(round_, counted, clauses_amended(counted), rivals=rivals)
    items = [_item(round_, d, naming) for d in decided.items]
    last = Snapshot.objects.filter(draft=round_.draft).order_by("-created_at", "-id").first()
    before = list(last.clauses.all()) if last is not None else []
    after = _frozen(round_, decided)
    return ClosePreview(
        round=round_,
        items=items,
        summary=_summary(decided),
        rivals=_rivals(decided.rivals, items),
        snapshot_label=next_revision_label(round_.draft),
        compared_with=last,
        clauses=_with_text(compare_clauses(before, after), before, after),
    )


def _without_tallies(round_: Round, rivals: list[dict] | None) -> ClosePreview:
    """The preview of a round that hides its tallies: each item on the ballot with the number of
    votes cast on it, and participation per group; outcomes are counted when it closes. The rival
    sets show without counts: the Chair's choice is made blind."""
    counted = tally(round_)
    naming = results_naming(round_, ((t.kind, t.item) for t in counted))
    sets = rivals_on_ballot(counted, chair=naming.the_chair().label)
    choose(sets, rivals, round_=round_, by_person=True)
    items = []
    for t in counted:
        row = _result_row(round_, t.kind, t.item, "", "", "", {}, {}, naming=naming)
        items.append({"item": row["item"], "votes": sum(t.totals.values())})
    return ClosePreview(
        round=round_,
        items=items,
        summary={},
        snapshot_label=next_revision_label(round_.draft),
        compared_with=None,
        clauses=[],
        tallies_hidden=True,
        participation=round_participation(round_),
        rivals=_rivals(sets, items),
    )


def _rivals(sets: list[RivalSet], items: list[dict]) -> list[dict]:
    """Each rival set with its members' rows (as ``items`` has them), the clause, the choice and,
    under most support, the member accepted (None: none passes its vote, or tallies are hidden)."""
    rows = {row["item"]["id"]: row for row in items if row["item"]["type"] == "amendment"}
    return [
        {
            "amendments": s.ids,
            "key": s.key,
            "clause": s.clause,
            "choice": s.choice,
            "text": s.text,
            "accepted": s.winner.item.id if s.winner is not None else None,
            "members": [rows[i] for i in s.ids],
        }
        for s in sets
    ]


def _item(round_: Round, decision: ItemDecision, naming) -> dict:
    """The results' row of one item, with what its merge gives or why it conflicts.

    ``merge_redline`` (for the page) marks the merge against the text it lands on: the clause as
    the items before it on the ballot leave it.
    """
    t = decision.tally
    row = _result_row(round_, t.kind, t.item, t.outcome, t.reason, decision.effect, t.totals, t.by_group, naming=naming)
    row["merged_text"], row["conflict"] = decision.merged_text, decision.conflict
    row["clause"] = t.item.clause if t.kind == "amendment" else t.item
    row["merge_redline"] = None
    if decision.text_before is not None:
        # As the reader will see it: the words, not the Markdown around them.
        before, merged = render_markdown(decision.text_before), render_markdown(decision.merged_text or "")
        row["merge_redline"] = visible_word_diff(before, merged)
    return row


def _summary(decided: CloseDecisions) -> dict:
    outcomes = [d.tally.outcome for d in decided.items]
    return {
        "accepted": outcomes.count(Outcome.ACCEPTED),
        "rejected": outcomes.count(Outcome.REJECTED),
        "no_quorum": outcomes.count(Outcome.NO_QUORUM),
        "superseded": outcomes.count(Outcome.SUPERSEDED),
        "carried_over": outcomes.count(Outcome.CARRIED_OVER),
        "conflicted": sum(1 for d in decided.items if d.conflict is not None),
        "merged": sum(1 for d in decided.items if d.tally.kind == "amendment" and d.text_before is not None),
    }


def _frozen(round_: Round, decided: CloseDecisions) -> list[SnapshotClause]:
    """The clauses of the snapshot closing would freeze, as unsaved ``SnapshotClause`` rows: each
    clause as closing leaves it, numbered 1, 2, 3 in reading order as a revision is published
    (``services.snapshots``), with its number before where that changes."""
    clauses = Clause.objects.filter(draft=round_.draft).select_related("section")
    live = []
    for clause in clauses.order_by(*READING_ORDER):
        decided_clause = decided.clauses.get(clause.pk)
        if decided_clause is not None:
            clause.text, clause.status, clause.version = (
                decided_clause.text,
                decided_clause.status,
                decided_clause.version,
            )
        if clause.status not in OUT_OF_THE_TEXT:
            live.append(clause)
    numbers = revision_numbers(live)
    return [
        SnapshotClause(
            clause=clause,
            section_title=clause.section.title,
            section_position=clause.section.position,
            section_kind=clause.section.kind,
            number=numbers[clause.pk][0],
            number_suffix=numbers[clause.pk][1],
            previous_label=clause.label if (clause.number, clause.number_suffix) != numbers[clause.pk] else "",
            title=clause.title,
            text=clause.text,
            status=clause.status,
            version=clause.version,
        )
        for clause in live
    ]


def _with_text(rows: list[dict], before: list, after: list) -> list[dict]:
    """The compare's rows, each added or removed clause with its whole text marked inserted or deleted."""
    texts = {"removed": {c.clause_id: c.text for c in before}, "added": {c.clause_id: c.text for c in after}}
    for row in rows:
        if row["change"] in texts and row["diff"] is None:
            op = "insert" if row["change"] == "added" else "delete"
            row["diff"] = [{"op": op, "text": texts[row["change"]][row["clause"]]}]
    return rows
