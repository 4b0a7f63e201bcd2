from codeofconduct.errors import InvalidInput, TooLarge


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
