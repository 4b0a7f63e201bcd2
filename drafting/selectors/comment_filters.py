"""Narrowing a comment thread: by stance, by the stakeholder group its author speaks for, by round.

The clause and amendment pages (a small GET form above the thread) and ``GET /api/v1/comments/``
read the same ``?stance=&group=&round=`` here, so a bad value is refused the same way (400 naming
the field) at both doors.

A comment belongs to the round during which it was written: from the round's opening (or its
creation, for a round moved by hand without one) until it closed. The group is the one its author
speaks for by ``accounts.selectors.speaking_for``'s rule.
"""

from dataclasses import dataclass

from django.db.models import OuterRef
from django.utils.translation import gettext as _

from accounts.models import StakeholderGroup
from accounts.selectors import group_spoken_for
from codeofconduct.errors import InvalidInput
from codeofconduct.inputs import whole_number

from ..models import Draft, Phase, Round, Stance


@dataclass(frozen=True)
class CommentFilter:
    stance: str = ""
    group: str = ""
    round: Round | None = None

    @property
    def active(self) -> bool:
        return bool(self.stance or self.group or self.round)

    def params(self) -> dict[str, str]:
        """The filter as a query string's values, for forms and links."""
        return {"stance": self.stance, "group": self.group, "round": str(self.round.pk) if self.round else ""}


def _choice(params, name: str, choices) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in choices.values:
        raise InvalidInput(
            _("Choose one of: %(values)s (or none for all).") % {"values": ", ".join(choices.values)}, field=name
        )
    return value


def comment_filter(params, draft: Draft) -> CommentFilter:
    """The filter a request asks for (``request.GET`` or ``query_params``); InvalidInput on a bad value."""
    stance = _choice(params, "stance", Stance)
    group = _choice(params, "group", StakeholderGroup)
    raw_round = (params.get("round") or "").strip()
    round_ = None
    if raw_round:
        round_id = whole_number(raw_round)
        round_ = Round.objects.filter(pk=round_id, draft=draft).first() if round_id is not None else None
        if round_ is None:
            raise InvalidInput(_("No such round in this draft; give the id of one of its rounds."), field="round")
    return CommentFilter(stance=stance, group=group, round=round_)


def filter_comments(comments, wanted: CommentFilter):
    """``comments`` (a queryset) narrowed to what ``wanted`` asks for."""
    if wanted.stance:
        comments = comments.filter(stance=wanted.stance)
    if wanted.group:
        comments = comments.alias(author_group=group_spoken_for(OuterRef("author_id"))).filter(
            author_group=wanted.group
        )
    if wanted.round is not None:
        round_ = wanted.round
        if round_.phase == Phase.SCHEDULED:
            return comments.none()  # nobody has commented in it yet
        comments = comments.filter(created_at__gte=round_.opened_at or round_.created_at)
        if round_.closed_at is not None:
            comments = comments.filter(created_at__lt=round_.closed_at)
    return comments


def rounds_to_filter_by(draft: Draft):
    """The draft's rounds that have opened, for the filter's choices."""
    rounds = Round.objects.filter(draft=draft).exclude(phase=Phase.SCHEDULED).order_by("created_at", "id")
    return rounds.only("id", "title", "phase")
