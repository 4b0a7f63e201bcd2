"""Consultation rounds: created by moderators and moved phase by phase."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import StakeholderGroup, User
from codeofconduct.errors import Conflict, InvalidInput, NotAllowed
from codeofconduct.history import save_with_history

from .. import permissions
from ..models import Draft, Phase, Round, VotingRule
from ..selectors import round_for
from .common import choose, clean_text


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
        opens_at=opens_at,
        voting_opens_at=voting_opens_at,
        closes_at=closes_at,
        created_by=by,
    )
    save_with_history(round_, by=by, reason="Round created")
    return round_


def _move(round_id: int, *, by: User, source: str, target: str, stamp: str, reason: str) -> Round:
    """Move a round from ``source`` to ``target`` while holding its row lock; 409 from any other phase."""
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
            save_with_history(round_, by=by, reason=reason)
    except IntegrityError as exc:  # the one-active-round constraint
        raise Conflict("Another round of this draft is open or voting; close it first.", phase=source) from exc
    return round_


@transaction.atomic
def round_open(*, round_id: int, by: User) -> Round:
    return _move(round_id, by=by, source=Phase.SCHEDULED, target=Phase.OPEN, stamp="opened_at", reason="Round opened")


@transaction.atomic
def round_start_voting(*, round_id: int, by: User) -> Round:
    return _move(
        round_id, by=by, source=Phase.OPEN, target=Phase.VOTING, stamp="voting_started_at", reason="Voting started"
    )


@transaction.atomic
def round_close(*, round_id: int, by: User) -> Round:
    return _move(round_id, by=by, source=Phase.VOTING, target=Phase.CLOSED, stamp="closed_at", reason="Round closed")
