"""Which of a draft's rounds is meant: the open or voting one, the current one, the one a comment
was made in, and the phase an action meets."""

from django.db.models import F
from django.db.models.expressions import RawSQL

from ..models import Comment, Draft, Phase, Round
from ..naming import round_at


def active_round(draft: Draft, *, for_update: bool = False):
    """The draft's open or voting round, or None. With ``for_update``, its row stays locked.

    Votes share the lock (``reading.voting_round``) and closing takes it whole: votes run side by
    side, and a close waits for the votes under way and then keeps every later vote waiting until it
    is done, when they find the round closed and are refused.
    """
    rounds = Round.objects.filter(draft=draft, phase__in=(Phase.OPEN, Phase.VOTING))
    if for_update:
        rounds = rounds.select_for_update()
    return rounds.first()


def phase_now(draft: Draft, active) -> str:
    """The phase to report when an action needs another: the active round's, else the latest round's."""
    if active is not None:
        return active.phase
    latest = current_round(draft)
    return latest.phase if latest else "none"


def current_round(draft: Draft):
    """The round a reader cares about now (``reading.CURRENT_ROUND``'s rule): the open or voting one,
    else the most recently closed."""
    from .reading import CURRENT_ROUND

    chosen = RawSQL(CURRENT_ROUND.format(draft="%s"), [draft.pk])  # noqa: S611 - the rule's SQL, the id as a parameter
    return Round.objects.filter(pk=chosen).first()


def round_of_comment(comment: Comment, draft: Draft):
    """The round a comment was made in, as the consoles' queues and the naming rule divide acts
    (``naming.round_at``): the first started round not closed when it was written (its close lasting
    until its snapshot), else the last closed one."""
    rounds = (
        Round.objects.filter(draft=draft)
        .exclude(phase=Phase.SCHEDULED)
        .annotate(closed_through=F("snapshot__created_at"))
        .order_by("created_at", "id")
    )
    return round_at(list(rounds), comment.created_at)
