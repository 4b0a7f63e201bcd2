"""How a notice's text is shortened, wherever it has to be: an email's subject, a stored message, a label."""

import re

ELLIPSIS = "…"
# The last word that fits, then the space after it; what may close a cut-off phrase is dropped.
_LAST_WHOLE_WORD = re.compile(r"(.*\S)\s", re.DOTALL)
_TRAILING = " \t\n,;:.–—-"


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: whole when it fits, else cut after its last whole
    word that leaves room for "…" (never mid-word, unless its first word alone is too long)."""
    if len(text) <= limit:
        return text
    whole = _LAST_WHOLE_WORD.match(text[:limit])
    head = whole.group(1).rstrip(_TRAILING) if whole else ""
    return (head or text[: limit - 1]) + ELLIPSIS
