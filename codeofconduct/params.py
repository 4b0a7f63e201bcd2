"""Reading numbers people send in query strings and forms."""


def whole_number(raw: str | None, default=None):
    """``raw`` as a non-negative int, or ``default``: ASCII digits only (``"²".isdigit()`` is true
    but ``int("²")`` fails)."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return default
    return int(raw)
