"""Consultation rounds: created by moderators and moved phase by phase."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StakeholderGroup, User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import pending_history, save_with_history, write_with_history
from live import services as live_pages
from live.models import Kind
from notifications import services as notifications

from .. import rules
from ..models import (
    Amendment,
    AmendmentStatus,
    Counting,
    Draft,
    Phase,
    Round,
    VotingRule,
)
from ..selectors import active_round, round_for, round_subject
from .common import LARGEST_COUNT, choose, clean_text
from .snapshots import original_for_round


def schedule_errors(
    opens_at: datetime | None, voting_opens_at: datetime | None, closes_at: datetime | None
) -> dict[str, str]:
    """What is wrong with a round's schedule, by field: each time must come after the ones before it."""
    errors = {}
    if opens_at and voting_opens_at and voting_opens_at <= opens_at:
        errors["voting_opens_at"] = _("Voting must open after the round opens.")
    if closes_at and voting_opens_at and closes_at <= voting_opens_at:
        errors["closes_at"] = _("The round must close after voting opens.")
    elif closes_at and opens_at and closes_at <= opens_at:
        errors["closes_at"] = _("The round must close after it opens.")
    return errors


def _check_schedule(opens_at: datetime | None, voting_opens_at: datetime | None, closes_at: datetime | None) -> None:
    """Refuse a schedule out of order, naming every field that is wrong (the API shows each)."""
    errors = schedule_errors(opens_at, voting_opens_at, closes_at)
    if errors:
        (field, message), *others = errors.items()
        raise InvalidInput(message, field=field, **{name: [text] for name, text in others})


def _check_voting(voting_rule: str, quorum: int | None, eligible_groups) -> list[str]:
    """Check a round's voting settings; the groups that vote (every group when none is named)."""
    choose(voting_rule, VotingRule, field="voting_rule")
    if quorum is None or not 0 <= quorum <= LARGEST_COUNT:
        raise InvalidInput(
            _("Quorum is a number of votes, from 0 to %(largest)s.") % {"largest": f"{LARGEST_COUNT:,}"}, field="quorum"
        )
    groups = list(dict.fromkeys(eligible_groups)) if eligible_groups else list(StakeholderGroup.values)
    unknown = [g for g in groups if g not in StakeholderGroup.values]
    if unknown:
        raise InvalidInput(
            _("Unknown stakeholder group: %(groups)s.") % {"groups": ", ".join(unknown)},
            field="eligible_groups",
        )
    return groups


VOTING_SETTINGS = ("voting_rule", "counting", "quorum", "eligible_groups", "hide_tallies_until_close", "chatham_house")
SCHEDULE = ("opens_at", "voting_opens_at", "closes_at")


@transaction.atomic
def round_update(*, round_id: int, by: User, **changes) -> Round:
    """Correct a round's title and schedule until it closes, and its voting settings until voting starts.

    Holds the round's row lock, so a change cannot slip between a schedule tick and the move it makes.
    """
    unknown = set(changes) - {"title", *VOTING_SETTINGS, *SCHEDULE}
    if unknown:
        raise InvalidInput(
            # Translators: "%(fields)s" names fields of the API that do not exist ("colour, size").
            _("A round has no %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    round_, standing_ = round_for(by, round_id, for_update=True)
    subject = round_subject(round_, standing_)
    rules.check("round_edit", subject)
    changed = [name for name, value in changes.items() if getattr(round_, name) != value]
    if set(changed) & set(VOTING_SETTINGS):
        rules.check("round_change_rules", subject)
    if "title" in changes:
        changes["title"] = clean_text(changes["title"], field="title", limit=settings.MAX_TITLE, one_line=True)
    merged = {name: changes.get(name, getattr(round_, name)) for name in ("title", *VOTING_SETTINGS, *SCHEDULE)}
    merged["eligible_groups"] = _check_voting(merged["voting_rule"], merged["quorum"], merged["eligible_groups"])
    choose(merged["counting"], Counting, field="counting")
    _check_schedule(merged["opens_at"], merged["voting_opens_at"], merged["closes_at"])
    if not changed:
        return round_
    for name in changed:
        setattr(round_, name, merged[name])
    if {"voting_opens_at", "closes_at"} & set(changed):
        round_.closing_notice_at = None  # a moved close is announced again when it comes near
    save_with_history(round_, by=by, reason=f"Changed {', '.join(changed)}")
    return round_


@transaction.atomic
def round_create(
    *,
    draft: Draft,
    by: User,
    title: str,
    voting_rule: str = VotingRule.SIMPLE_MAJORITY,
    counting: str = Counting.PER_DELEGATION,
    quorum: int = 0,
    eligible_groups: list[str] | None = None,
    hide_tallies_until_close: bool = True,
    chatham_house: bool = False,
    opens_at: datetime | None = None,
    voting_opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Round:
    rules.check("round_create", rules.Subject(rules.standing(by, draft)))
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    groups = _check_voting(voting_rule, quorum, eligible_groups)
    choose(counting, Counting, field="counting")
    _check_schedule(opens_at, voting_opens_at, closes_at)
    round_ = Round(
        draft=draft,
        title=title,
        voting_rule=voting_rule,
        counting=counting,
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


def move(round_id: int, *, by: User | None, action: str, target: str, stamp: str, reason: str) -> Round:
    """Move a round to ``target`` while holding its row lock, if ``action``'s rule allows it now.

    ``by`` is None when the schedule moves the round; the schedule acts as the draft's moderators.
    """
    if by is None:
        round_ = Round.objects.select_for_update(of=("self",)).select_related("draft").get(pk=round_id)
        standing_ = rules.ADMIN
    else:
        round_, standing_ = round_for(by, round_id, for_update=True)
    source = round_.phase
    rules.check(action, round_subject(round_, standing_, active=active_round(round_.draft)))
    round_.phase = target
    setattr(round_, stamp, timezone.now())
    try:
        with transaction.atomic():
            save_with_history(round_, by=by, reason=reason if by else f"{reason} on schedule")
    except IntegrityError as exc:  # the one-active-round constraint: another round opened meanwhile
        round_.phase = source
        rules.check(action, round_subject(round_, standing_, active=active_round(round_.draft)))
        raise Conflict(_("Another round of this draft opened meanwhile."), phase=source) from exc
    return round_


def members_of(draft: Draft) -> list[int]:
    return list(draft.memberships.values_list("user_id", flat=True))


def round_opened_notice(round_: Round, by: User | None) -> dict:
    """What opening ``round_`` tells, and whom (``notifications.notify``'s arguments): the draft's
    members and followers. The page that asks first shows who (``notifications.audience``)."""
    closes = f" It closes {round_.closes_at:%Y-%m-%d %H:%M} UTC." if round_.closes_at else ""
    return {
        "kind": "round_opened",
        "draft": round_.draft,
        "actor": by,
        "recipients": members_of(round_.draft),
        "followers_of_draft": True,
        "message": f"“{round_.title}” of {round_.draft.title} is open for proposals, amendments and comments.{closes}",
        "url": reverse("draft-detail", args=[round_.draft.slug]),
    }


@transaction.atomic
def round_open(*, round_id: int, by: User | None) -> Round:
    round_ = move(round_id, by=by, action="round_open", target=Phase.OPEN, stamp="opened_at", reason="Round opened")
    original_for_round(round_=round_, by=by)
    _carried_onto_the_ballot(round_, by=by)
    notifications.notify(**round_opened_notice(round_, by))
    return round_


def _carried_onto_the_ballot(round_: Round, *, by: User | None) -> None:
    """Put the rivals an earlier close carried over back on the ballot: submitted again, so this
    round votes on them as on any amendment (and their authors may still withdraw them while it is
    open). Their record keeps "Carried over" as how that round ended, and this row says why they
    are back. Two statements whatever their number."""
    carried = list(Amendment.objects.filter(clause__draft=round_.draft, status=AmendmentStatus.CARRIED_OVER))
    now = timezone.now()
    reason = f"Back on the ballot of {round_.title}, carried over with its rivals"
    for amendment in carried:
        amendment.status, amendment.updated_at = AmendmentStatus.SUBMITTED, now
    records = [pending_history(a, by=by, reason=reason, when=now) for a in carried]
    write_with_history(Amendment, carried, records, fields=["status", "updated_at"])
    if carried:
        live_pages.changed(round_.draft_id, Kind.AMENDMENTS)  # written in bulk, without the history signal


@transaction.atomic
def round_start_voting(*, round_id: int, by: User | None) -> Round:
    round_ = move(
        round_id,
        by=by,
        action="round_start_voting",
        target=Phase.VOTING,
        stamp="voting_started_at",
        reason="Voting started",
    )
    closes = f" It closes {round_.closes_at:%Y-%m-%d %H:%M} UTC." if round_.closes_at else ""
    notifications.notify(
        kind="round_voting",
        draft=round_.draft,
        actor=by,
        recipients=members_of(round_.draft),
        followers_of_draft=True,
        message=f"Voting has started in “{round_.title}” of {round_.draft.title}: the ballot lists every item.{closes}",
        url=reverse("round-ballot", args=[round_.id]),
    )
    return round_


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
                recipients=members_of(round_.draft),
                followers_of_draft=True,
                message=f"“{round_.title}” of {round_.draft.title} closes {round_.closes_at:%Y-%m-%d %H:%M} UTC, "
                "within 24 hours.",
                url=reverse("draft-detail", args=[round_.draft.slug]),
            )
            warned.append(round_id)
    return warned


def rounds_advance_on_schedule(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """Move every round whose scheduled time has come; returns ``[(round id, new phase)]``.

    Each move is its own transaction under the round's lock, so a moderator's click at the same
    moment simply wins or loses the race; the loser's move is skipped, never applied twice.
    """
    now = now or timezone.now()
    from .round_close import round_close

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
