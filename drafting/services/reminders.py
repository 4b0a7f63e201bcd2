"""The Chair reminds the delegations that have not voted: once per delegation and round, recorded,
told to the delegation's voting members through the notification outbox."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput
from notifications import services as notifications

from .. import rules
from ..models import VoteReminder
from ..selectors import round_for, round_subject
from ..selectors.turnout import turnout


@transaction.atomic
def vote_remind(*, round_id: int, by: User, organization_id: int | None = None) -> list[VoteReminder]:
    """Remind one delegation (``organization_id``), or every delegation that has not voted on every
    item and was not reminded in this round yet. Holds the round's row lock, so the round cannot
    close meanwhile and two moderators reminding at once remind each delegation once."""
    round_, standing_ = round_for(by, round_id, for_update=True)
    rules.check("vote_remind", round_subject(round_, standing_))
    if organization_id is not None and round_.chatham_house:
        raise InvalidInput(
            _(
                "Under the Chatham House rule delegations are not named: remind every delegation that has not "
                "voted at once."
            ),
            field="organization",
        )
    seen = turnout(round_)
    items = len(seen.items)
    if organization_id is not None:
        chosen = [d for d in seen.delegations if d.organization_id == organization_id]
        if not chosen:
            raise InvalidInput(_("That organization does not vote in this round."), field="organization")
        if chosen[0].voted >= items:
            raise Conflict(_("That delegation has voted on every item."))
        if chosen[0].reminded_at is not None:
            raise Conflict(
                _("That delegation was reminded in “%(round)s” already; a delegation is reminded once.")
                % {"round": round_.title}
            )
    else:
        chosen = seen.to_remind
        if not chosen:
            raise Conflict(_("No delegation is left to remind: every one has voted on every item or was reminded."))
    reminders = VoteReminder.objects.bulk_create(
        VoteReminder(
            round=round_,
            organization_id=d.organization_id,
            sent_by=by,
            voted=d.voted,
            items=items,
            members=len(d.behind_members),
        )
        for d in chosen
    )
    ballot = reverse("round-ballot", args=[round_.id])
    chair = round_.draft.chair_name
    # One event per delegation, written at once (a broker that is down delays none of them: the
    # sweep enqueues what it refused). Per person, only the members who have not voted on every item.
    notifications.notify_many(
        {
            "kind": "vote_reminder",
            "draft": round_.draft,
            "actor": by,
            "recipients": delegation.behind_members,
            "message": f"A reminder from {chair}: “{round_.title}” of {round_.draft.title} is voting, and your "
            f"delegation has voted on {delegation.voted} of {items} item{'s' if items != 1 else ''}.",
            "url": ballot,
        }
        for delegation in chosen
    )
    return reminders
