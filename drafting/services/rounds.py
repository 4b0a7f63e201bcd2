"""Consultation rounds: created by moderators and moved phase by phase."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import StakeholderGroup, User
from codeofconduct.errors import Conflict, InvalidInput, NotAllowed
from codeofconduct.history import save_with_history

from .. import permissions
from ..merge import MergeConflict, merge3
from ..models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    Draft,
    ItemResult,
    Outcome,
    Phase,
    Round,
    VotingRule,
)
from ..selectors import round_for
from ..tally import EMPTY, count_votes, decide
from . import notifications
from .common import choose, clean_text
from .drafts import save_new_version
from .snapshots import snapshot_for_round


def _check_schedule(opens_at: datetime | None, voting_opens_at: datetime | None, closes_at: datetime | None) -> None:
    given = [
        (name, when)
        for name, when in (("opens_at", opens_at), ("voting_opens_at", voting_opens_at), ("closes_at", closes_at))
        if when
    ]
    for (earlier, first), (later, second) in zip(given, given[1:], strict=False):
        if second <= first:
            raise InvalidInput(f"{later} must come after {earlier}.", field=later)


@transaction.atomic
def round_create(
    *,
    draft: Draft,
    by: User,
    title: str,
    voting_rule: str = VotingRule.SIMPLE_MAJORITY,
    quorum: int = 0,
    eligible_groups: list[str] | None = None,
    hide_tallies_until_close: bool = True,
    chatham_house: bool = False,
    opens_at: datetime | None = None,
    voting_opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Round:
    if not permissions.can_moderate(permissions.standing(by, draft)):
        raise NotAllowed("Only a moderator of this draft can create rounds.")
    title = clean_text(title, field="title", limit=settings.MAX_TITLE)
    choose(voting_rule, VotingRule, field="voting_rule")
    if quorum is None or quorum < 0:
        raise InvalidInput("Quorum is a number of votes, 0 or more.", field="quorum")
    groups = list(dict.fromkeys(eligible_groups)) if eligible_groups else list(StakeholderGroup.values)
    unknown = [g for g in groups if g not in StakeholderGroup.values]
    if unknown:
        raise InvalidInput(f"Unknown stakeholder group: {', '.join(unknown)}.", field="eligible_groups")
    _check_schedule(opens_at, voting_opens_at, closes_at)
    round_ = Round(
        draft=draft,
        title=title,
        voting_rule=voting_rule,
        quorum=quorum,
        eligible_groups=groups,
        hide_tallies_until_close=hide_tallies_until_close,
        chatham_house=chatham_house,
        opens_at=opens_at,
        voting_opens_at=voting_opens_at,
        closes_at=closes_at,
        created_by=by,
    )
    save_with_history(round_, by=by, reason="Round created")
    return round_


def _move(round_id: int, *, by: User | None, source: str, target: str, stamp: str, reason: str) -> Round:
    """Move a round from ``source`` to ``target`` while holding its row lock; 409 from any other phase.

    ``by`` is None when the schedule moves the round.
    """
    if by is None:
        round_ = Round.objects.select_for_update(of=("self",)).select_related("draft").get(pk=round_id)
    else:
        round_, standing_ = round_for(by, round_id, for_update=True)
        if not permissions.can_moderate(standing_):
            raise NotAllowed("Only a moderator of this draft can move its rounds.")
    if round_.phase != source:
        raise Conflict(
            f"“{round_.title}” is {round_.phase}; it can only move to {target} from {source}.", phase=round_.phase
        )
    round_.phase = target
    setattr(round_, stamp, timezone.now())
    try:
        with transaction.atomic():
            save_with_history(round_, by=by, reason=reason if by else f"{reason} on schedule")
    except IntegrityError as exc:  # the one-active-round constraint
        raise Conflict("Another round of this draft is open or voting; close it first.", phase=source) from exc
    return round_


def _members(draft: Draft) -> list[int]:
    return list(draft.memberships.values_list("user_id", flat=True))


@transaction.atomic
def round_open(*, round_id: int, by: User | None) -> Round:
    round_ = _move(round_id, by=by, source=Phase.SCHEDULED, target=Phase.OPEN, stamp="opened_at", reason="Round opened")
    closes = f" It closes {round_.closes_at:%Y-%m-%d %H:%M} UTC." if round_.closes_at else ""
    notifications.notify(
        kind="round_opened",
        draft=round_.draft,
        actor=by,
        recipients=_members(round_.draft),
        followers_of_draft=True,
        message=f"“{round_.title}” of {round_.draft.title} is open for proposals, amendments and comments.{closes}",
        url=reverse("draft-detail", args=[round_.draft.slug]),
    )
    return round_


@transaction.atomic
def round_start_voting(*, round_id: int, by: User | None) -> Round:
    return _move(
        round_id, by=by, source=Phase.OPEN, target=Phase.VOTING, stamp="voting_started_at", reason="Voting started"
    )


@transaction.atomic
def round_close(*, round_id: int, by: User | None) -> Round:
    """Close a voting round exactly once: tally, apply outcomes, merge amendments, snapshot.

    Everything happens in one transaction under the round's row lock. A second close (the schedule
    and a moderator at the same moment, or a retried task) waits for the lock and then finds the
    round closed (409); a vote waiting on the same lock is refused once it gets it.
    """
    round_ = _move(round_id, by=by, source=Phase.VOTING, target=Phase.CLOSED, stamp="closed_at", reason="Round closed")
    results = apply_outcomes(round_, by=by)
    snapshot = snapshot_for_round(round_=round_, by=by)
    _notify_outcomes(round_, results, snapshot_label=snapshot.label, by=by)
    return round_


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
        recipients=_members(round_.draft),
        followers_of_draft=True,
        message=f"“{round_.title}” of {round_.draft.title} closed: {counts['accepted']} accepted, "
        f"{counts['rejected']} rejected, {counts['no_quorum']} carried over without quorum. {snapshot_label} is published.",
        url=reverse("round-results", args=[round_.pk]),
    )


def rounds_warn_closing_soon(*, now=None) -> list[int]:
    """Tell people once when an open or voting round closes within 24 hours."""
    now = now or timezone.now()
    warned = []
    due = Round.objects.filter(
        phase__in=(Phase.OPEN, Phase.VOTING), closing_notice_at__isnull=True, closes_at__lte=now + timedelta(hours=24)
    ).values_list("id", flat=True)
    for round_id in list(due):
        with transaction.atomic():
            round_ = Round.objects.select_for_update(of=("self",)).select_related("draft").get(pk=round_id)
            if round_.closing_notice_at is not None:
                continue
            round_.closing_notice_at = now
            round_.save(update_fields=["closing_notice_at"])
            notifications.notify(
                kind="round_closing",
                draft=round_.draft,
                actor=None,
                recipients=_members(round_.draft),
                followers_of_draft=True,
                message=f"“{round_.title}” of {round_.draft.title} closes {round_.closes_at:%Y-%m-%d %H:%M} UTC, "
                "within 24 hours.",
                url=reverse("draft-detail", args=[round_.draft.slug]),
            )
            warned.append(round_id)
    return warned


def apply_outcomes(round_: Round, *, by: User | None) -> list[ItemResult]:
    """Tally every item on the ballot and apply what the votes decided. Hold the round's lock."""
    counts = count_votes(round_)
    draft = round_.draft
    clauses = list(
        Clause.objects.select_for_update().filter(draft=draft, status=ClauseStatus.PROPOSED).order_by("number")
    )
    amendments = list(
        Amendment.objects.select_for_update()
        .filter(clause__draft=draft, status=AmendmentStatus.SUBMITTED)
        .order_by("created_at", "id")
    )
    results = []

    def result(kind: str, item) -> ItemResult:
        entry = counts.get((kind, item.id), {"totals": dict(EMPTY), "by_group": {}})
        outcome = decide(round_.voting_rule, round_.quorum, entry["totals"], entry["by_group"])
        row = ItemResult(round=round_, outcome=outcome, by_group=entry["by_group"], **entry["totals"], **{kind: item})
        results.append(row)
        return row

    for clause in clauses:
        row = result("clause", clause)
        if row.outcome == Outcome.ACCEPTED:
            clause.status, row.effect = ClauseStatus.AGREED, "agreed"
            save_new_version(clause, by=by, reason=f"Adopted in {round_.title}")
        elif row.outcome == Outcome.REJECTED:
            clause.status, row.effect = ClauseStatus.REJECTED, "rejected"
            save_new_version(clause, by=by, reason=f"Rejected in {round_.title}")
        else:
            row.effect = "carried over"

    for amendment in amendments:  # in the order they were submitted
        row = result("amendment", amendment)
        if row.outcome == Outcome.NO_QUORUM:
            row.effect = "carried over"
            continue
        if row.outcome == Outcome.REJECTED:
            amendment.status, row.effect = AmendmentStatus.REJECTED, "rejected"
        else:
            amendment.status, row.effect = _merge(amendment, round_, by=by)
        save_with_history(amendment, by=by, reason=f"{amendment.get_status_display()} in {round_.title}")

    ItemResult.objects.bulk_create(results)
    return results


def _merge(amendment: Amendment, round_: Round, *, by: User | None) -> tuple[str, str]:
    """Apply an accepted amendment to its clause as a new version; (amendment status, effect)."""
    clause = Clause.objects.select_for_update().get(pk=amendment.clause_id)
    reason = f"Amendment {amendment.id} accepted in {round_.title}"
    if clause.status in (ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN):
        return AmendmentStatus.CONFLICTED, f"clause {clause.status}"
    if amendment.kind == AmendmentKind.DELETE:
        if clause.text != amendment.base_text:
            return AmendmentStatus.CONFLICTED, "conflicted"
        clause.status = ClauseStatus.WITHDRAWN
        save_new_version(clause, by=by, reason=f"Deleted: {reason}")
        return AmendmentStatus.ACCEPTED, "deleted"
    if clause.text == amendment.base_text:
        clause.text, effect = amendment.text, "merged"
    else:
        try:
            clause.text, effect = merge3(amendment.base_text, clause.text, amendment.text), "merged three-way"
        except MergeConflict:
            return AmendmentStatus.CONFLICTED, "conflicted"
    save_new_version(clause, by=by, reason=reason)
    return AmendmentStatus.ACCEPTED, effect


def rounds_advance_on_schedule(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """Move every round whose scheduled time has come; returns ``[(round id, new phase)]``.

    Each move is its own transaction under the round's lock, so a moderator's click at the same
    moment simply wins or loses the race; the loser's move is skipped, never applied twice.
    """
    now = now or timezone.now()
    moves = (
        (Phase.SCHEDULED, "opens_at", round_open),
        (Phase.OPEN, "voting_opens_at", round_start_voting),
        (Phase.VOTING, "closes_at", round_close),
    )
    done = []
    for phase, field, move in moves:  # in this order, so one late tick can open and start voting
        due = Round.objects.filter(phase=phase, **{f"{field}__lte": now}).order_by(field).values_list("id", flat=True)
        for round_id in list(due):
            try:
                moved = move(round_id=round_id, by=None)
            except Conflict:
                continue  # moved by hand meanwhile, or another round of the draft is active
            done.append((moved.id, moved.phase))
    return done
