"""Word-level diffs, as a negotiator reads a redline."""

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|[^\s\w]|\w+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[dict]:
    """Return ``[{op: equal|insert|delete, text}]`` turning ``old`` into ``new``, word by word.

    A replacement is a deletion followed by an insertion; neighbouring pieces with the same op are
    joined so the list stays short.
    """
    a, b = tokenize(old), tokenize(new)
    changes: list[dict] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if changes and changes[-1]["op"] == op:
            changes[-1]["text"] += text
        else:
            changes.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return changes
