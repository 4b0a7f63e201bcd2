from codeofconduct.errors import InvalidInput, TooLarge
from codeofconduct.inputs import refuse_control_characters, refuse_line_breaks

# The largest number a PositiveIntegerField column holds on PostgreSQL (32-bit): a larger quorum or
# position is refused naming the field, not left to fail in the database as a 500.
LARGEST_COUNT = 2**31 - 1


def clean_text(value: str | None, *, field: str, limit: int, required: bool = True, one_line: bool = False) -> str:
    """Strip, refuse blank (400) or oversized (413) text, with a message naming the limit.

    Control characters are refused everywhere (they reach here from the admin, imports and commands
    too, not only through the guarded doors); ``one_line`` fields (titles, labels) refuse line
    breaks, since they become email subjects and headings.
    """
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput("This field may not be blank.", field=field)
    if len(value) > limit:
        raise TooLarge(f"{field.capitalize()} is {len(value):,} characters; the limit is {limit:,}.", field=field)
    refuse_control_characters(value, field=field)
    if one_line:
        refuse_line_breaks(value, field=field, label=field.capitalize())
    return value


def choose(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"Choose one of: {', '.join(choices.values)}.", field=field)
    return value
