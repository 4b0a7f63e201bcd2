"""Word-level diffs, as a negotiator reads a redline."""

import re
from difflib import SequenceMatcher
from html.parser import HTMLParser

_TOKEN = re.compile(r"\s+|\w+|[^\s\w]")
# Where a passage is cut into pieces when two texts are too far apart to compare word by word.
_PIECE_END = re.compile(r"[.;:!?]|\s*\n\s*")
# Word-by-word comparison costs up to the product of the two lengths; past this many token pairs,
# the texts are compared piece by piece (sentences and lines) and only pieces within it word by word.
WORD_PAIRS_BOUND = 250_000


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _pieces(tokens: list[str]) -> list[tuple[str, ...]]:
    """The tokens cut after each sentence or line end, as hashable pieces."""
    pieces, start = [], 0
    for i, token in enumerate(tokens):
        if _PIECE_END.fullmatch(token):
            pieces.append(tuple(tokens[start : i + 1]))
            start = i + 1
    if start < len(tokens):
        pieces.append(tuple(tokens[start:]))
    return pieces


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher.get_opcodes()`` over tokens, bounded. Past the bound, the common start and
    end are taken off first; what is left, when too long to compare word by word, is compared piece by piece,
    and only replaced pieces short enough are compared word by word (the rest reads as replaced)."""
    if len(a) * len(b) <= WORD_PAIRS_BOUND:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    result = [("equal", 0, head, 0, head)] if head else []
    result += _middle(mid_a, mid_b, head, head)
    if tail:
        result.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return _merged(result)


def _middle(a, b, at_a: int, at_b: int) -> list[tuple[str, int, int, int, int]]:
    if not a and not b:
        return []
    if not a or not b:
        return [("insert" if not a else "delete", at_a, at_a + len(a), at_b, at_b + len(b))]
    if len(a) * len(b) <= WORD_PAIRS_BOUND:
        return [
            (tag, i1 + at_a, i2 + at_a, j1 + at_b, j2 + at_b)
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        ]
    pieces_a, pieces_b = _pieces(a), _pieces(b)
    if len(pieces_a) * len(pieces_b) > WORD_PAIRS_BOUND or (len(pieces_a) == 1 and len(pieces_b) == 1):
        return [("replace", at_a, at_a + len(a), at_b, at_b + len(b))]
    starts_a = [0]
    for piece in pieces_a:
        starts_a.append(starts_a[-1] + len(piece))
    starts_b = [0]
    for piece in pieces_b:
        starts_b.append(starts_b[-1] + len(piece))
    result = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, pieces_a, pieces_b, autojunk=False).get_opcodes():
        ta1, ta2, tb1, tb2 = starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]
        if tag == "equal":
            result.append(("equal", at_a + ta1, at_a + ta2, at_b + tb1, at_b + tb2))
        elif (ta2 - ta1) * (tb2 - tb1) <= WORD_PAIRS_BOUND:
            result += _middle(a[ta1:ta2], b[tb1:tb2], at_a + ta1, at_b + tb1)
        else:
            result.append(("replace", at_a + ta1, at_a + ta2, at_b + tb1, at_b + tb2))
    return result


def _merged(codes):
    """Neighbouring opcodes of the same kind as one."""
    merged = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if merged and merged[-1][0] == code[0] == "equal":
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        else:
            merged.append(code)
    return merged


def word_diff(old: str, new: str) -> list[dict]:
    """Return ``[{op: equal|insert|delete, text}]`` turning ``old`` into ``new``, word by word.

    A replaced passage reads as one deletion followed by one insertion: a bare space left equal
    between two changes is folded into them, so "~~should not knowingly allow~~ shall cooperate"
    does not come out as a patchwork of single words.
    """
    a, b = tokenize(old), tokenize(new)
    pieces: list[tuple[str, str, str]] = []  # (op, old text, new text)
    for tag, i1, i2, j1, j2 in opcodes(a, b):
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
    return [(i1, i2) for tag, i1, i2, _, _ in opcodes(tokenize(old), tokenize(new)) if tag != "equal"]


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two changes touch the same words; insertions at the same point or inside a change count."""
    if a[0] == a[1] or b[0] == b[1]:
        point, span = (a, b) if a[0] == a[1] else (b, a)
        return span[0] <= point[0] <= span[1]
    return a[0] < b[1] and b[0] < a[1]


_WORD = re.compile(r"\w")


def spans_touch(a: tuple[int, int], b: tuple[int, int], tokens: list[str]) -> bool:
    """Whether two changes of ``tokens`` touch the same or adjacent words: no word stands between
    them (only spaces or punctuation), so together they would rewrite one phrase in a way neither
    wrote. The one test of rivalry: the three-way merge refuses such edits, and the ballot, the
    close preview and the close count such amendments as rivals."""
    if spans_overlap(a, b):
        return True
    left, right = (a, b) if a[0] <= b[0] else (b, a)
    return not any(_WORD.search(token) for token in tokens[left[1] : right[0]])


def map_spans(spans: list[tuple[int, int]], old: str, new: str) -> list[tuple[int, int]]:
    """Carry token ranges of ``old`` over to ``new`` (what is inside a changed stretch maps to all of it)."""
    codes = opcodes(tokenize(old), tokenize(new))

    def at(i: int, *, end: bool) -> int:
        for tag, i1, i2, j1, j2 in codes:
            if i1 <= i < i2 or (i == i2 and end) or (i1 == i2 == i):
                if tag == "equal":
                    return j1 + (i - i1)
                return j2 if end else j1
        return len(tokenize(new))

    return [(at(s, end=False), at(e, end=True)) for s, e in spans]


class _VisibleText(HTMLParser):
    """The words rendered HTML shows, with a line break at each block's edge (a blank line between paragraphs)."""

    _PARAGRAPHS = frozenset("p blockquote pre h1 h2 h3 h4 h5 h6 ul ol hr".split())
    _LINES = frozenset("li br".split())

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_pre = 0

    def _break(self, text: str) -> None:
        if self.parts and self.parts[-1].strip():
            self.parts.append(text)
        elif self.parts and len(text) > len(self.parts[-1]):
            self.parts[-1] = text

    def handle_starttag(self, tag, attrs):
        self.in_pre += tag == "pre"
        self._block_edge(tag)

    def handle_endtag(self, tag):
        self.in_pre -= tag == "pre"
        self._block_edge(tag)

    def _block_edge(self, tag):
        if tag in self._PARAGRAPHS:
            self._break("\n\n")
        elif tag in self._LINES:
            self._break("\n")

    def handle_data(self, data):
        if not self.parts or not self.parts[-1].strip():
            data = data.lstrip()  # the line breaks HTML has between blocks are not the text's
        if not self.in_pre:
            data = re.sub(r"\s*\n\s*", " ", data)  # a soft line break reads as a space
        if data:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees of a clause's rendered text: no markup, a blank line between paragraphs."""
    reader = _VisibleText()
    reader.feed(html or "")
    reader.close()
    text = "".join(reader.parts)
    return re.sub(r"[ \t]*\n[ \t]*(\n[ \t]*)+", "\n\n", text).strip()


def visible_word_diff(old_html: str, new_html: str) -> list[dict]:
    """``word_diff`` of two rendered texts as a reader sees them, so a redline never shows Markdown's
    ``**`` or link syntax. Takes the HTML kept with each version (Markdown is rendered once, at save)."""
    return word_diff(visible_text(old_html), visible_text(new_html))


def with_brackets(ops: list[dict], was_bracketed: bool, is_bracketed: bool) -> list[dict]:
    """The redline of a clause's text with its square brackets: a clause going into brackets shows
    them inserted, one agreed out of them shows them deleted, and kept brackets stay plain text."""
    if not was_bracketed and not is_bracketed:
        return ops
    if was_bracketed and is_bracketed:
        return [{"op": "equal", "text": "["}, *ops, {"op": "equal", "text": "]"}]
    op = "delete" if was_bracketed else "insert"
    return [{"op": op, "text": "["}, *ops, {"op": op, "text": "]"}]
