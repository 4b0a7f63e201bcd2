"""Closing a round, in one place: tally, apply what the votes decided, merge accepted amendments,
freeze the snapshot (Rev.N), and tell the authors and followers what happened."""

from django.db import transaction
from django.urls import reverse

from accounts.models import User
from codeofconduct.history import save_with_history
from notifications import services as notifications

from ..merge import merge_amendment
from ..models import AmendmentStatus, Clause, ClauseStatus, ItemResult, Outcome, Phase, Round
from ..tally import tally
from .drafts import save_new_version
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

    Proposed clauses become agreed or rejected; accepted amendments merge in submission order.
    """
    results = []
    for counted in tally(round_, lock=True):
        row = ItemResult(
            round=round_,
            outcome=counted.outcome,
            by_group=counted.by_group,
            **counted.totals,
            **{counted.kind: counted.item},
        )
        results.append(row)
        if counted.kind == "clause":
            row.effect = _decide_clause(counted.item, row.outcome, round_, by=by)
        else:
            row.effect = _decide_amendment(counted.item, row.outcome, round_, by=by)
    ItemResult.objects.bulk_create(results)
    return results


def _decide_clause(clause: Clause, outcome: str, round_: Round, *, by: User | None) -> str:
    if outcome == Outcome.NO_QUORUM:
        return "carried over"
    adopted = outcome == Outcome.ACCEPTED
    clause.status = ClauseStatus.AGREED if adopted else ClauseStatus.REJECTED
    save_new_version(clause, by=by, reason=f"{'Adopted' if adopted else 'Rejected'} in {round_.title}")
    return "agreed" if adopted else "rejected"


def _decide_amendment(amendment, outcome: str, round_: Round, *, by: User | None) -> str:
    if outcome == Outcome.NO_QUORUM:
        return "carried over"
    if outcome == Outcome.REJECTED:
        amendment.status, effect = AmendmentStatus.REJECTED, "rejected"
    else:
        clause = Clause.objects.select_for_update().get(pk=amendment.clause_id)
        merged = merge_amendment(amendment, clause)
        amendment.status, effect = merged.status, merged.effect
        if merged.text is not None or merged.clause_status is not None:
            reason = f"Amendment {amendment.id} accepted in {round_.title}"
            if merged.clause_status is not None:
                clause.status, reason = merged.clause_status, f"Deleted: {reason}"
            if merged.text is not None:
                clause.text = merged.text
            save_new_version(clause, by=by, reason=reason)
    save_with_history(amendment, by=by, reason=f"{amendment.get_status_display()} in {round_.title}")
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
            notifications.notify(
                kind=f"{key[0]}_{key[1]}",
                draft=round_.draft,
                actor=by,
                recipients=[author],
                message=f"{subject} {said[key]} in “{round_.title}”.",
                url=url,
            )
    counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in Outcome.values}
    notifications.notify(
        kind="round_closed",
        draft=round_.draft,
        actor=by,
        recipients=members_of(round_.draft),
        followers_of_draft=True,
        message=f"“{round_.title}” of {round_.draft.title} closed: {counts['accepted']} accepted, "
        f"{counts['rejected']} rejected, {counts['no_quorum']} carried over without quorum. {snapshot_label} is published.",
        url=reverse("round-results", args=[round_.pk]),
    )
