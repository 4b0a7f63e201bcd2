"""Closing a round, in one place: tally, apply what the votes decided, merge accepted amendments,
freeze the snapshot (Rev.N), and tell the authors and followers what happened.

Closing runs the same number of queries whatever the size of the ballot: the ballot and the
clauses it changes are read (and locked) at once, every outcome and merge is worked out in
memory, and the changes, their history, the results and the notices are each written in one
statement (on SQLite, a large one goes in batches of what its parameter limit allows).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from codeofconduct.history import bulk_update_with_history, history_record
from notifications import services as notifications

from ..markdown import render_markdown
from ..merge import merge_amendment
from ..models import Amendment, AmendmentStatus, Clause, ClauseStatus, ItemResult, Outcome, Phase, Round
from ..tally import ItemTally, tally
from .rounds import members_of, move
from .snapshots import snapshot_for_round


@transaction.atomic
def round_close(*, round_id: int, by: User | None) -> Round:
    """Close a voting round exactly once: tally, apply outcomes, merge amendments, snapshot.

    Everything happens in one transaction under the round's row lock. A second close (the schedule
    and a moderator at the same moment, or a retried task) waits for the lock and then finds the
    round closed (409); a vote waiting on the same lock is refused once it gets it.
    """
    round_ = move(round_id, by=by, action="round_close", target=Phase.CLOSED, stamp="closed_at", reason="Round closed")
    results = apply_outcomes(round_, by=by)
    snapshot = snapshot_for_round(round_=round_, by=by)
    _notify_outcomes(round_, results, snapshot_label=snapshot.label, by=by)
    return round_


def apply_outcomes(round_: Round, *, by: User | None) -> list[ItemResult]:
    """Store the tally of every item on the ballot and apply what it decided. Hold the round's lock.

    Proposed clauses become agreed or rejected; accepted amendments merge in submission order, each
    into its clause's text as the amendments before it left it.
    """
    counted = tally(round_, lock=True)
    clauses = _clauses_amended(counted)
    changes = _Changes(round_, by=by)
    results = []
    for item in counted:
        row = ItemResult(
            round=round_,
            outcome=item.outcome,
            by_group=item.by_group,
            **item.totals,
            **{item.kind: item.item},
        )
        results.append(row)
        if item.kind == "clause":
            row.effect = _decide_clause(item.item, row.outcome, changes)
        else:
            row.effect = _decide_amendment(item.item, row.outcome, clauses, changes)
    changes.write()
    ItemResult.objects.bulk_create(results)
    return results


def _clauses_amended(counted: list[ItemTally]) -> dict[int, Clause]:
    """The clauses that accepted amendments change, read and locked in one query, in id order.

    A proposed clause on the ballot is kept as its ballot entry, so its amendments merge into the
    version its own vote makes, as they would after that version was saved.
    """
    ids = {item.item.clause_id for item in counted if item.kind == "amendment" and item.outcome == Outcome.ACCEPTED}
    if not ids:
        return {}
    clauses = {clause.pk: clause for clause in Clause.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    clauses.update({item.item.pk: item.item for item in counted if item.kind == "clause" and item.item.pk in ids})
    return clauses


class _Changes:
    """What closing changes, kept in memory until ``write``: each changed clause and amendment as it
    ends up, and one history record per change, dated in the order the changes were made."""

    def __init__(self, round_: Round, *, by: User | None):
        self.round, self.by = round_, by
        self.clauses: dict[int, Clause] = {}
        self.clause_records: list[Clause] = []
        self.amendments: list[Amendment] = []
        self.amendment_records: list[Amendment] = []
        self._last: datetime | None = None

    def _now(self) -> datetime:
        """Now, and always later than the previous change: a clause's versions stay in order by date."""
        now = timezone.now()
        if self._last is not None and now <= self._last:
            now = self._last + timedelta(microseconds=1)
        self._last = now
        return now

    def new_clause_version(self, clause: Clause, *, reason: str) -> None:
        """What ``save_new_version`` does: the next version, its Markdown rendered once, a history entry."""
        when = self._now()
        clause.version += 1
        clause.text_html = render_markdown(clause.text)
        clause.updated_at = when
        self.clauses[clause.pk] = clause
        self.clause_records.append(history_record(clause, by=self.by, reason=reason, when=when))

    def amendment_decided(self, amendment: Amendment, status: str) -> None:
        when = self._now()
        amendment.status, amendment.updated_at = status, when
        self.amendments.append(amendment)
        reason = f"{amendment.get_status_display()} in {self.round.title}"
        self.amendment_records.append(history_record(amendment, by=self.by, reason=reason, when=when))

    def write(self) -> None:
        clause_fields = ["text", "text_html", "status", "version", "updated_at"]
        bulk_update_with_history(Clause, list(self.clauses.values()), self.clause_records, fields=clause_fields)
        bulk_update_with_history(Amendment, self.amendments, self.amendment_records, fields=["status", "updated_at"])


def _decide_clause(clause: Clause, outcome: str, changes: _Changes) -> str:
    if outcome == Outcome.NO_QUORUM:
        return "carried over"
    adopted = outcome == Outcome.ACCEPTED
    clause.status = ClauseStatus.AGREED if adopted else ClauseStatus.REJECTED
    changes.new_clause_version(clause, reason=f"{'Adopted' if adopted else 'Rejected'} in {changes.round.title}")
    return "agreed" if adopted else "rejected"


def _decide_amendment(amendment: Amendment, outcome: str, clauses: dict[int, Clause], changes: _Changes) -> str:
    if outcome == Outcome.NO_QUORUM:
        return "carried over"
    if outcome == Outcome.REJECTED:
        status, effect = AmendmentStatus.REJECTED, "rejected"
    else:
        clause = clauses[amendment.clause_id]
        merged = merge_amendment(amendment, clause)
        status, effect = merged.status, merged.effect
        if merged.text is not None or merged.clause_status is not None:
            reason = f"Amendment {amendment.id} accepted in {changes.round.title}"
            if merged.clause_status is not None:
                clause.status, reason = merged.clause_status, f"Deleted: {reason}"
            if merged.text is not None:
                clause.text = merged.text
            changes.new_clause_version(clause, reason=reason)
    changes.amendment_decided(amendment, status)
    return effect


def _notify_outcomes(round_: Round, results: list[ItemResult], *, snapshot_label: str, by: User | None) -> None:
    """Tell each author what became of their item, and everyone following the draft the summary."""
    said = {
        ("clause", Outcome.ACCEPTED): "was adopted",
        ("clause", Outcome.REJECTED): "was rejected",
        ("amendment", AmendmentStatus.ACCEPTED): "was accepted and merged",
        ("amendment", AmendmentStatus.REJECTED): "was rejected",
        ("amendment", AmendmentStatus.CONFLICTED): "was accepted but conflicts with later changes to the clause",
    }
    events = []
    for result in results:
        if result.clause_id:
            clause, author, key = result.clause, result.clause.proposer, ("clause", result.outcome)
            subject, url = (
                f"Your proposed clause {clause.number} “{clause.title}”",
                reverse("clause-detail", args=[clause.pk]),
            )
        else:
            amendment = result.amendment
            author, key = amendment.author, ("amendment", amendment.status)
            subject = f"Your amendment {amendment.id} to clause {amendment.clause.number}"
            url = reverse("amendment-detail", args=[amendment.pk])
        if key in said and author is not None:
            events.append(
                {
                    "kind": f"{key[0]}_{key[1]}",
                    "draft": round_.draft,
                    "actor": by,
                    "recipients": [author],
                    "message": f"{subject} {said[key]} in “{round_.title}”.",
                    "url": url,
                }
            )
    counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in Outcome.values}
    events.append(
        {
            "kind": "round_closed",
            "draft": round_.draft,
            "actor": by,
            "recipients": members_of(round_.draft),
            "followers_of_draft": True,
            "message": f"“{round_.title}” of {round_.draft.title} closed: {counts['accepted']} accepted, "
            f"{counts['rejected']} rejected, {counts['no_quorum']} carried over without quorum. "
            f"{snapshot_label} is published.",
            "url": reverse("round-results", args=[round_.pk]),
        }
    )
    notifications.notify_many(events)
