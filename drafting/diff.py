"""Word-level diffs, as a negotiator reads a redline."""

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\w+|[^\s\w]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[dict]:
    """Return ``[{op: equal|insert|delete, text}]`` turning ``old`` into ``new``, word by word.

    A replaced passage reads as one deletion followed by one insertion: a bare space left equal
    between two changes is folded into them, so "~~should not knowingly allow~~ shall cooperate"
    does not come out as a patchwork of single words.
    """
    a, b = tokenize(old), tokenize(new)
    pieces: list[tuple[str, str, str]] = []  # (op, old text, new text)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        pieces.append(("equal" if tag == "equal" else "change", old_text, new_text))

    for i in range(1, len(pieces) - 1):
        op, text, _ = pieces[i]
        if op == "equal" and not text.strip() and pieces[i - 1][0] == pieces[i + 1][0] == "change":
            pieces[i] = ("change", text, text)

    changes: list[dict] = []
    pending_delete, pending_insert = "", ""

    def flush() -> None:
        nonlocal pending_delete, pending_insert
        if pending_delete:
            changes.append({"op": "delete", "text": pending_delete})
        if pending_insert:
            changes.append({"op": "insert", "text": pending_insert})
        pending_delete, pending_insert = "", ""

    for op, old_text, new_text in pieces:
        if op == "change":
            pending_delete += old_text
            pending_insert += new_text
        else:
            flush()
            if changes and changes[-1]["op"] == "equal":
                changes[-1]["text"] += old_text
            elif old_text:
                changes.append({"op": "equal", "text": old_text})
    flush()
    return changes


def changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """The token ranges ``[start, end)`` of ``old`` that ``new`` changes (an insertion is empty)."""
    matcher = SequenceMatcher(None, tokenize(old), tokenize(new), autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two changes touch the same words; insertions at the same point or inside a change count."""
    if a[0] == a[1] or b[0] == b[1]:
        point, span = (a, b) if a[0] == a[1] else (b, a)
        return span[0] <= point[0] <= span[1]
    return a[0] < b[1] and b[0] < a[1]


def map_spans(spans: list[tuple[int, int]], old: str, new: str) -> list[tuple[int, int]]:
    """Carry token ranges of ``old`` over to ``new`` (what is inside a changed stretch maps to all of it)."""
    opcodes = SequenceMatcher(None, tokenize(old), tokenize(new), autojunk=False).get_opcodes()

    def at(i: int, *, end: bool) -> int:
        for tag, i1, i2, j1, j2 in opcodes:
            if i1 <= i < i2 or (i == i2 and end) or (i1 == i2 == i):
                if tag == "equal":
                    return j1 + (i - i1)
                return j2 if end else j1
        return len(tokenize(new))

    return [(at(s, end=False), at(e, end=True)) for s, e in spans]
