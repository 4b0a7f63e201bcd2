"""Closing a round, in one place: tally, apply what the votes decided, merge accepted amendments,
freeze the snapshot (Rev.N), and tell the authors and followers what happened.

Closing runs the same number of queries whatever the size of the ballot: the ballot and the
clauses it changes are read (and locked) at once, every outcome and merge is worked out in
memory, and the changes, their history, the results and the notices are each written in one
statement.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from codeofconduct.history import pending_history, write_with_history
from codeofconduct.languages import recorded
from live import services as live_pages
from live.models import Kind
from notifications import services as notifications

from .. import rivals as rivalry
from ..diff import changed_spans, map_spans, spans_touch, tokenize
from ..documents import papers
from ..markdown import render_markdown, square_brackets
from ..merge import merge_amendment
from ..models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    ItemResult,
    Outcome,
    Phase,
    Round,
    Snapshot,
)
from ..naming import Naming, amendment_author
from ..refusals import said as said_in_words
from ..tally import ItemTally, tally
from .rounds import members_of, move
from .snapshots import snapshot_for_round


@transaction.atomic
def round_close(*, round_id: int, by: User | None, rivals: list[dict] | None = None) -> Round:
    """Close a voting round exactly once: tally, apply outcomes, merge amendments, snapshot.

    Everything happens in one transaction under the round's row lock. A second close (the schedule
    and a moderator at the same moment, or a retried task) waits for the lock and then finds the
    round closed (409); a vote waiting on the same lock is refused once it gets it.

    ``rivals``: the Chair's choice for each rival set (``drafting.rivals.choose``); a set not named,
    and every set at a scheduled close, goes to the one with most support. A choice that does not
    fit the ballot is refused (400) and nothing changes.
    """
    round_ = move(round_id, by=by, action="round_close", target=Phase.CLOSED, stamp="closed_at", reason="Round closed")
    results = apply_outcomes(round_, by=by, rivals=rivals)
    snapshot = snapshot_for_round(round_=round_, by=by)
    papers.freeze(round_)
    _notify_outcomes(round_, results, snapshot=snapshot, by=by)
    # The round's own move is told with its history row; the outcomes are written in bulk.
    live_pages.changed(round_.draft_id, Kind.TEXT)
    live_pages.changed(round_.draft_id, Kind.AMENDMENTS)
    return round_


def apply_outcomes(round_: Round, *, by: User | None, rivals: list[dict] | None = None) -> list[ItemResult]:
    """Store the tally of every item on the ballot and apply what it decided. Hold the round's lock.

    Proposed clauses become agreed or rejected; accepted amendments merge in submission order, each
    into its clause's text as the amendments before it left it (``decide_close``).
    """
    counted = tally(round_, lock=True)
    changes = _Changes(round_, by=by)
    decided = decide_close(round_, counted, clauses_amended(counted, lock=True), changes=changes, rivals=rivals)
    changes.write()
    results = [
        ItemResult(
            round=round_,
            outcome=d.tally.outcome,
            reason=d.tally.reason,
            effect=d.effect,
            # Before the revision this close publishes renumbers the text: the number the ballot cited.
            cited_number=d.tally.clause.number,
            cited_suffix=d.tally.clause.number_suffix,
            by_group=d.tally.by_group,
            **d.tally.totals,
            **{d.tally.kind: d.tally.item},
        )
        for d in decided.items
    ]
    ItemResult.objects.bulk_create(results)
    return results


def clauses_amended(counted: list[ItemTally], *, lock: bool = False) -> dict[int, Clause]:
    """The clauses that accepted amendments change, read in one query (with ``lock``, locked, in id order).

    A proposed clause on the ballot is kept as its ballot entry, so its amendments merge into the
    version its own vote makes, as they would after that version was saved.
    """
    ids = {item.item.clause_id for item in counted if item.kind == "amendment" and item.outcome == Outcome.ACCEPTED}
    if not ids:
        return {}
    clauses = Clause.objects.filter(pk__in=ids).order_by("pk")
    if lock:
        clauses = clauses.select_for_update()
    clauses = {clause.pk: clause for clause in clauses}
    clauses.update({item.item.pk: item.item for item in counted if item.kind == "clause" and item.item.pk in ids})
    return clauses


@dataclass
class ItemDecision:
    """What closing does with one item on the ballot.

    For an accepted amendment, either ``merged_text`` (its clause's text once it is merged; None when
    it deletes the clause) with ``text_before`` (the text it merged onto), or ``conflict``: why it
    cannot merge.
    """

    tally: ItemTally
    effect: str
    merged_text: str | None = None
    text_before: str | None = None
    conflict: str | None = None


@dataclass
class CloseDecisions:
    items: list[ItemDecision]
    clauses: dict[int, Clause]  # every clause closing changes, as closing leaves it
    naming: Naming  # how merge reasons name the amendments' authors: as published, by the round's rule
    rivals: list["rivalry.RivalSet"] = field(default_factory=list)  # each set of rivals, as settled
    settled: dict[int, "rivalry.Settled"] = field(default_factory=dict)  # rivals not accepted, by id


def decide_close(
    round_: Round,
    counted: list[ItemTally],
    clauses: dict[int, Clause],
    *,
    changes: "_Changes | None" = None,
    rivals: list[dict] | None = None,
) -> CloseDecisions:
    """Work out what closing does with the tallied ballot ``counted``, writing nothing.

    ``clauses`` are the clauses accepted amendments change (``clauses_amended``). Each set of rival
    amendments is settled first, as ``rivals`` chooses (``drafting.rivals``): at most one of a set
    is accepted. The ballot's items and those clauses are changed in memory as closing leaves them
    (status, text, version), in the order closing makes the changes; ``changes``, when given,
    records each change as it is made, to be written by the close (and tables the Chair's
    compromise texts at once, so the notices can cite them). The close and its preview both come
    here, so the preview is what closing would do.
    """
    naming = Naming.published(round_.draft_id, known=[round_])
    naming.load((item.item.author_id, item.item.created_at) for item in counted if item.kind == "amendment")
    decided = CloseDecisions(
        items=[], clauses={}, naming=naming, rivals=rivalry.rivals_on_ballot(counted, chair=naming.the_chair().label)
    )
    by = changes.by if changes is not None else None
    rivalry.choose(decided.rivals, rivals, round_=round_, by_person=changes is None or by is not None)
    compromises = [s for s in decided.rivals if s.choice == rivalry.RivalChoice.COMPROMISE]
    for rival_set in compromises:
        rival_set.compromise = rivalry.compromise_amendment(rival_set, round_, by)
    if changes is not None:
        changes.table([s.compromise for s in compromises], chair=naming.the_chair().label)
    for rival_set in decided.rivals:
        decided.settled.update(rivalry.settle(rival_set))
    merged_before: dict[int, list[Amendment]] = {}  # the amendments merged into each clause so far
    for item in counted:
        if item.kind == "clause":
            decision = _decide_clause(round_, item, decided, changes)
        else:
            decision = _decide_amendment(round_, item, clauses, merged_before, decided, changes)
        decided.items.append(decision)
    return decided


def _new_version(
    clause: Clause,
    *,
    reason: str,
    decided: CloseDecisions,
    changes: "_Changes | None",
    merged: Amendment | None = None,
) -> None:
    clause.version += 1
    decided.clauses[clause.pk] = clause
    if changes is not None:
        changes.new_clause_version(clause, reason=reason, merged=merged)


def _decide_clause(round_: Round, item: ItemTally, decided: CloseDecisions, changes) -> ItemDecision:
    if item.outcome == Outcome.NO_QUORUM:
        return ItemDecision(item, "carried over")
    clause, adopted = item.item, item.outcome == Outcome.ACCEPTED
    if not adopted:
        clause.status, effect, reason = ClauseStatus.REJECTED, "rejected", f"Rejected in {round_.title}"
    elif square_brackets(clause.text):  # adopted, but its words are not all settled: it stays bracketed
        clause.status, effect = ClauseStatus.BRACKETED, "adopted in brackets"
        reason = f"Adopted in {round_.title}; its text still holds square brackets, so it stays bracketed"
    else:
        clause.status, effect, reason = ClauseStatus.AGREED, "agreed", f"Adopted in {round_.title}"
    _new_version(clause, reason=reason, decided=decided, changes=changes)
    return ItemDecision(item, effect)


def _decide_amendment(
    round_: Round, item: ItemTally, clauses: dict[int, Clause], merged_before: dict, decided: CloseDecisions, changes
) -> ItemDecision:
    amendment = item.item
    settled = decided.settled.get(amendment.id)
    if settled is not None:  # a rival the close did not accept (``drafting.rivals``)
        amendment.status = settled.status
        amendment.settled_notice = settled.notice  # what its author is told (``_notify_outcomes``)
        if changes is not None:
            changes.amendment_decided(amendment)
        return ItemDecision(item, settled.effect)
    if item.outcome == Outcome.NO_QUORUM:
        return ItemDecision(item, "carried over")
    if item.outcome == Outcome.REJECTED:
        decision = ItemDecision(item, "rejected")
        status = AmendmentStatus.REJECTED
    else:
        clause = clauses[amendment.clause_id]
        before = clause.text
        merged = merge_amendment(amendment, clause)
        status = merged.status
        decision = ItemDecision(item, merged.effect)
        if merged.status == AmendmentStatus.CONFLICTED:
            decision.conflict = _why_conflicted(amendment, clause, merged.effect, merged_before.get(clause.pk, []))
        if merged.text is not None or merged.clause_status is not None:
            if merged.clause_status is not None:
                clause.status = merged.clause_status
            if merged.text is not None:
                clause.text = merged.text
                if clause.status == ClauseStatus.AGREED and square_brackets(clause.text):
                    clause.status = ClauseStatus.BRACKETED  # the accepted words bring brackets back
            decision.text_before = before
            decision.merged_text = merged.text
            merged_before.setdefault(clause.pk, []).append(amendment)
            # The new version is the author's change; its history names who applied it.
            by = changes.by if changes is not None else None
            reason = merge_reason(amendment, merged.effect, round_, by=by, naming=decided.naming)
            _new_version(clause, reason=reason, decided=decided, changes=changes, merged=amendment)
    amendment.status = status
    if changes is not None:
        changes.amendment_decided(amendment)
    return decision


def merge_reason(amendment: Amendment, effect: str, round_: Round, *, by: User | None, naming: Naming) -> str:
    """The history reason of a merge, naming the amendment's author with the organization it recorded
    when submitted (or the Chair, for the Chair's amendment), and who applied it: "Amendment 12 by
    ana (Brazil, Government) merged three-way, applied by the Chair at the close of First reading".
    Under the Chatham House rule the author is told by stakeholder group only ("by a participant
    (Government)"): the reason is shown with the clause's history, in the catch-up and in exports."""
    author = amendment_author(naming, amendment).label
    done = "deleted the clause" if effect == "deleted" else effect
    applied = f"by {naming.the_chair().label} at the close" if by is not None else "at the scheduled close"
    return f"Amendment {amendment.id} by {author} {done}, applied {applied} of {round_.title}"


def _why_conflicted(amendment: Amendment, clause: Clause, effect: str, merged_before: list[Amendment]) -> str:
    """Why an accepted amendment cannot be merged, naming the amendments of this round in its way.

    Only the wording: whether it merges is ``merge_amendment``'s decision alone.
    """
    if effect != "conflicted":  # the clause itself is gone: "clause rejected", "clause withdrawn"
        deleted_by = next((e for e in reversed(merged_before) if e.kind == AmendmentKind.DELETE), None)
        if deleted_by is not None:
            return _("Amendment %(amendment)s, accepted before it in this round, deletes clause %(clause)s.") % {
                "amendment": deleted_by.id,
                "clause": clause.ref,
            }
        return _("Clause %(clause)s is %(status)s; there is no text left to amend.") % {
            "clause": clause.ref,
            "status": said_in_words(clause.status),
        }
    if amendment.kind == AmendmentKind.DELETE:
        in_the_way = merged_before
    else:
        own = changed_spans(amendment.base_text, amendment.new_text)
        in_the_way = [e for e in merged_before if _overlap(own, e, amendment.base_text)]
    # Shown on the close preview only: what closing stores (results, history) stays in English.
    said_of = {
        "ids": ", ".join(str(e.id) for e in in_the_way),
        "version": amendment.base_version,
        "clause": clause.ref,
    }
    if amendment.kind == AmendmentKind.DELETE:
        if in_the_way:
            return (
                ngettext(
                    "It deletes the text of version %(version)s, but amendment %(ids)s, merged before it in this "
                    "round, changed that text.",
                    "It deletes the text of version %(version)s, but amendments %(ids)s, merged before it in this "
                    "round, changed that text.",
                    len(in_the_way),
                )
                % said_of
            )
        return _("It deletes the text of version %(version)s, but clause %(clause)s has changed since.") % said_of
    if in_the_way:
        return (
            ngettext(
                "It changes the same words as amendment %(ids)s, merged before it in this round.",
                "It changes the same words as amendments %(ids)s, merged before it in this round.",
                len(in_the_way),
            )
            % said_of
        )
    return _("It changes words that were changed in clause %(clause)s since version %(version)s.") % said_of


def _overlap(spans: list[tuple[int, int]], other: Amendment, text: str) -> bool:
    """Whether ``other`` changes words of ``text`` inside ``spans`` (token ranges of ``text``)."""
    theirs = changed_spans(other.base_text, other.new_text)
    if other.base_text != text:
        theirs = map_spans(theirs, other.base_text, text)
    tokens = tokenize(text)
    return any(spans_touch(a, b, tokens) for a in spans for b in theirs)


class _Changes:
    """What closing changes, kept in memory until ``write``: each changed clause and amendment as it
    ends up, and one history record per change, dated in the order the changes were made."""

    def __init__(self, round_: Round, *, by: User | None):
        self.round, self.by = round_, by
        self.clauses: dict[int, Clause] = {}
        self.clause_records: list[Clause] = []
        self.amendments: list[Amendment] = []
        self.amendment_records: list[Amendment] = []
        # Every change is dated after the moment the round closed, so its record as it stood then
        # (``documents.papers``) is the record before the close changed anything.
        self._last: datetime | None = round_.closed_at

    def _now(self) -> datetime:
        """Now, and always later than the previous change: a clause's versions stay in order by date."""
        now = timezone.now()
        if self._last is not None and now <= self._last:
            now = self._last + timedelta(microseconds=1)
        self._last = now
        return now

    def new_clause_version(self, clause: Clause, *, reason: str, merged: Amendment | None = None) -> None:
        """What ``save_new_version`` does for the version just decided: its Markdown rendered once, a history entry.

        The version is the Chair's (the close decides it), unless it is ``merged``: then it is the
        amendment's author's change (or the Chair's, for the Chair's amendment), and an amendment
        carried over from another round keeps that round on the row, so the naming rule tells it
        by that round too.
        """
        when = self._now()
        clause.text_html = render_markdown(clause.text)
        clause.updated_at = when
        self.clauses[clause.pk] = clause
        by, own = self.by, {"history_as_chair": True}
        if merged is not None:
            by, own = merged.author, {"history_as_chair": merged.as_chair}
            if merged.round_id != self.round.id:
                own["act_round_id"] = merged.round_id
        self.clause_records.append(pending_history(clause, by=by, reason=reason, when=when, history=own))

    def amendment_decided(self, amendment: Amendment) -> None:
        when = self._now()
        amendment.updated_at = when
        self.amendments.append(amendment)
        with recorded():
            reason = f"{amendment.get_status_display()} in {self.round.title}"
        self.amendment_records.append(pending_history(amendment, by=self.by, reason=reason, when=when))

    def table(self, compromises: list[Amendment], *, chair: str) -> None:
        """Save the Chair's compromise amendments now (one statement, and one for their history), so
        the results and notices of the rivals they replace can cite them by number."""
        if not compromises:
            return
        when = self._now()
        for amendment in compromises:
            amendment.created_at = amendment.updated_at = when
        Amendment.objects.bulk_create(compromises)
        reason = f"Compromise text tabled by {chair} at the close of {self.round.title}"
        records = [pending_history(a, by=self.by, reason=reason, when=when) for a in compromises]
        Amendment.history.bulk_history_create(records)

    def write(self) -> None:
        clause_fields = ["text", "text_html", "status", "version", "updated_at"]
        write_with_history(Clause, list(self.clauses.values()), self.clause_records, fields=clause_fields)
        write_with_history(Amendment, self.amendments, self.amendment_records, fields=["status", "updated_at"])


def _notify_outcomes(round_: Round, results: list[ItemResult], *, snapshot: Snapshot, by: User | None) -> None:
    """Tell each author what became of their item, and everyone following the draft the summary.

    Each item is cited by the number its ballot cited, with the number ``snapshot`` (the revision
    the close published) gives the paragraph where that differs.
    """
    in_revision = {row.clause_id: row.ref for row in snapshot.clauses.all()}
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
                f"Your proposed clause {result.cited_as} “{clause.title}”",
                reverse("clause-detail", args=[clause.pk]),
            )
        else:
            amendment = result.amendment
            author, key = amendment.author, ("amendment", amendment.status)
            clause = amendment.clause
            subject = f"Your amendment {amendment.id} to clause {result.cited_as}"
            url = reverse("amendment-detail", args=[amendment.pk])
        done = said.get(key)
        if result.amendment_id and getattr(result.amendment, "settled_notice", None):
            done = result.amendment.settled_notice  # a rival: superseded or carried over, and by what
        if result.effect == "adopted in brackets":
            done = "was adopted, but its text still holds square brackets: it stays bracketed until they are settled"
        if done is not None and author is not None:
            events.append(
                {
                    "kind": f"{key[0]}_{key[1]}",
                    "draft": round_.draft,
                    "actor": by,
                    "recipients": [author],
                    "message": f"{subject} {done} in “{round_.title}”{_renumbered(result, clause, in_revision, snapshot)}.",
                    "url": url,
                }
            )
    events.append(
        {
            "kind": "round_closed",
            "draft": round_.draft,
            "actor": by,
            "recipients": members_of(round_.draft),
            "followers_of_draft": True,
            "message": f"“{round_.title}” of {round_.draft.title} closed: {_counted(results)}. "
            f"{snapshot.label} is published.",
            "url": reverse("round-results", args=[round_.pk]),
        }
    )
    notifications.notify_many(events)


def _renumbered(result: ItemResult, clause: Clause, in_revision: dict[int, str], snapshot: Snapshot) -> str:
    """ "; it is OP10 in Rev.2" when the revision numbers the paragraph otherwise than its ballot did."""
    now = in_revision.get(clause.pk)
    if now is None or now == result.cited_as:
        return ""
    paragraph = "it" if result.clause_id else "the clause"
    return f"; {paragraph} is {now} in {snapshot.label}"


def _counted(results: list[ItemResult]) -> str:
    """ "3 accepted, 1 rejected, 0 carried over without quorum", and the rivals the close settled
    (", 1 superseded by a rival, 2 carried over with their rivals") when there are any."""
    counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in Outcome.values}
    said = f"{counts['accepted']} accepted, {counts['rejected']} rejected, {counts['no_quorum']} carried over without quorum"
    if counts[Outcome.SUPERSEDED]:
        said += f", {counts[Outcome.SUPERSEDED]} superseded by a rival"
    if counts[Outcome.CARRIED_OVER]:
        said += f", {counts[Outcome.CARRIED_OVER]} carried over with their rivals"
    return said
