from codeofconduct.errors import Conflict, InvalidInput, TooLarge

from ..models import Phase
from ..selectors import active_round, phase_now


def clean_text(value: str | None, *, field: str, limit: int, required: bool = True) -> str:
    """Strip, refuse blank (400) or oversized (413) text, with a message naming the limit."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput("This field may not be blank.", field=field)
    if len(value) > limit:
        raise TooLarge(f"{field.capitalize()} is {len(value):,} characters; the limit is {limit:,}.", field=field)
    return value


def choose(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"Choose one of: {', '.join(choices.values)}.", field=field)
    return value


def require_open_round(draft, what: str):
    """The draft's open round, or a 409 naming the phase it is in."""
    round_ = active_round(draft)
    if round_ is None or round_.phase != Phase.OPEN:
        phase = phase_now(draft, round_)
        raise Conflict(f"{what} only while a consultation round is open (now: {phase}).", phase=phase)
    return round_
