"""The names people read for the values the database keeps: stakeholder groups, outcomes, effects."""

from django import template

from accounts.models import StakeholderGroup
from codeofconduct.timezones import display

from ..models import Outcome, Phase

register = template.Library()

# What closing did to an item, as the results page says it beside the outcome. ``None``: the
# outcome says it all already.
EFFECTS = {
    "agreed": "The clause is agreed.",
    "adopted in brackets": "Adopted, but its text still holds square brackets: it stays bracketed until they are settled.",
    "rejected": None,
    "carried over": "Carried over: decided in a later round.",
    "merged": "Merged into the clause.",
    "merged three-way": "Merged into the clause, beside later changes to it.",
    "deleted": "The clause is deleted.",
    "conflicted": "Not merged: it conflicts with later changes to the clause.",
    "clause rejected": "Not merged: the clause was rejected.",
    "clause withdrawn": "Not merged: the clause was withdrawn.",
}


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value or "")


MOVE_LABELS = {"open": "Open…", "start-voting": "Start voting…", "close": "Close…"}


@register.filter
def move_label(move) -> str:
    """A round's next move as its button reads; "…": each asks first."""
    return MOVE_LABELS.get(move, "")


@register.filter
def group_label(value) -> str:
    """``civil_society`` -> "Civil society"."""
    return _label(StakeholderGroup, value)


@register.filter
def group_labels(values) -> str:
    """A list of stakeholder groups as one line: "Government, Civil society"."""
    return ", ".join(_label(StakeholderGroup, value) for value in values or ())


@register.filter
def outcome_label(value) -> str:
    """``no_quorum`` -> "No quorum"."""
    return _label(Outcome, value)


@register.filter
def effect_text(effect, outcome=None) -> str:
    """What closing did to an item, unless its outcome already says so."""
    if not effect:
        return ""
    if effect in EFFECTS:
        return EFFECTS[effect] or ""
    if outcome and effect.casefold() == _label(Outcome, outcome).casefold():
        return ""
    return effect[:1].upper() + effect[1:]


def _when(value) -> str:
    return display(value)  # the person's own zone, named, as every time on a page


@register.filter
def round_schedule(round_) -> str:
    """What a round's schedule means in its phase now: "voting opens …", "closed on …"; "" if nothing is due."""
    if round_ is None:
        return ""
    if round_.phase == Phase.SCHEDULED:
        return f"opens {_when(round_.opens_at)}" if round_.opens_at else ""
    if round_.phase == Phase.CLOSED:
        return f"closed on {_when(round_.closed_at)}" if round_.closed_at else ""
    parts = []
    if round_.phase == Phase.OPEN and round_.voting_opens_at:
        parts.append(f"voting opens {_when(round_.voting_opens_at)}")
    if round_.closes_at:
        parts.append(f"closes {_when(round_.closes_at)}")
    return " · ".join(parts)
