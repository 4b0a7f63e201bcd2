"""Suggestions on the words: an amendment computed from words selected in a paragraph.

A suggestion names a span ``[start, end)`` of a clause's text at one version (its Markdown, the text
the amendment API's ``text`` carries), the words it holds (``quote``) and what replaces them. The
amendment it becomes is that text with the span replaced, against the clause as it reads now: when
the clause moved on since the version, the span is carried over through the word diff of the two
versions if its words are still there, unchanged (``relocate``); otherwise the words are gone.

A page's reader selects words as the page shows them (rendered Markdown); ``locate`` finds those
words in the Markdown, whatever emphasis marks or line breaks stand between them.

Once submitted, a suggestion is an amendment like any other: what the pages show inline
(``excerpt``) is derived from its word diff, so an amendment of the whole text shows the same way.
"""

import re
import string
from bisect import bisect_right

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codeofconduct.errors import InvalidInput

from .diff import opcodes, tokenize

# Markdown's emphasis and code marks: not seen on the page, so they may stand between the words of a quote.
_MARKS = "*_`"
# Between two words: marks, a space, then any spaces and marks ("5 * 3", "**should** not"). The
# words of a quote neither begin nor end with a mark (``locate``), so taking these possessively
# (one way only) never takes a word's own character, and a quote that is not there is refused in
# time linear in the text, never by backtracking through every way to read a run of marks.
_BETWEEN_WORDS = rf"[{re.escape(_MARKS)}]*+\s[\s{re.escape(_MARKS)}]*+"
# What the page does not show as words: a link's address, or an HTML tag (not an autolink, whose
# address is shown, nor an escaped "\<"). Words found there are not the words a reader selected.
_UNSEEN = re.compile(r"\]\([^)]*\)|(?<!\\)<(?![A-Za-z][A-Za-z0-9+.-]*:)[A-Za-z/!?][^>\n]*>")
_MARK_RUN = re.compile(rf"[{re.escape(_MARKS)}]+")
# After the words a deletion takes away, the space before them goes too ("should not allow" less
# "not" is "should allow", not "should  allow").
_CLOSES = frozenset(".,;:!?)]")
# How many words of the unchanged text an excerpt keeps on each side of a change.
CONTEXT_WORDS = 5
_WORD = re.compile(r"\w")


def check_span(text: str, start: int, end: int, quote: str) -> None:
    """Refuse (400) a span outside ``text``, an empty one, or one whose words are not ``quote``."""
    if not 0 <= start <= len(text):
        raise InvalidInput(_("The start is outside the text (0 to %(end)s).") % {"end": len(text)}, field="start")
    if not start <= end <= len(text):
        raise InvalidInput(
            _("The end is outside the text (%(start)s to %(end)s).") % {"start": start, "end": len(text)}, field="end"
        )
    if start == end:
        raise InvalidInput(_("Select at least one word to change."), field="quote")
    if text[start:end] != quote:
        raise InvalidInput(_("The quoted words are not the text between the start and the end."), field="quote")


def locate(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Where the words a reader selected on the page (``quote``, as shown) stand in ``text``.

    Runs of whitespace match any whitespace, Markdown's emphasis marks may stand between the words
    (the page shows "should not" for ``**should** not``) and a punctuation mark may be escaped.
    ``occurrence`` (1 for the first) says which, when the words stand more than once; without it,
    refused (400) unless they stand once.
    """
    # Marks at a word's ends are emphasis, not seen; marks alone are no word.
    words = [word.strip(_MARKS) for word in quote.split() if word.strip(_MARKS)]
    if not words:
        raise InvalidInput(_("Select or type the words to change."), field="quote")
    pattern = _BETWEEN_WORDS.join(_word(word) for word in words)
    # Whole words: "Act" is not the start of "Acts", "not" not the end of "cannot", "case" no part
    # of "snake_case_name" (a letter or digit beside them, or "_" inside a word; else "_" is an
    # emphasis mark in Markdown).
    if re.match(r"[^\W_]", words[0]):
        pattern = rf"(?<![^\W_])(?<![^\W_]_){pattern}"
    if re.search(r"[^\W_]$", words[-1]):
        pattern = rf"{pattern}(?![^\W_])(?!_[^\W_])"
    unseen = [match.span() for match in _UNSEEN.finditer(text)]
    found = [
        match.span()
        for match in re.finditer(pattern, text)
        if not any(start < match.end() and match.start() < end for start, end in unseen)
    ]
    if not found:
        raise InvalidInput(
            _("These words are not in the paragraph as it is written: select words of its text."), field="quote"
        )
    if occurrence is not None and 1 <= occurrence <= len(found):
        return found[occurrence - 1]
    if len(found) > 1:
        raise InvalidInput(
            ngettext(
                "“%(quote)s” stands %(count)d time in the paragraph: select the words in the text, "
                "or type more of them, so it is clear which.",
                "“%(quote)s” stands %(count)d times in the paragraph: select the words in the text, "
                "or type more of them, so it is clear which.",
                len(found),
            )
            % {"quote": short(quote), "count": len(found)},
            field="quote",
        )
    return found[0]


def _word(word: str) -> str:
    """A word of a quote as a pattern: a punctuation mark may be written escaped (``\\[`` shows "[")."""
    return "".join(_character(c) for c in word)


def _character(c: str) -> str:
    if c == "\\":
        return r"(?>\\\\|\\)"  # "\\" shows one; a run of them is read one way only
    if c in string.punctuation:
        return rf"\\?+{re.escape(c)}"
    return re.escape(c)


def relocate(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the words at ``[start, end)`` of ``old`` stand in ``new``, or None when they changed.

    The span is carried through the word diff of the two texts when every word it touches (the
    whole word, where it starts or ends inside one) is unchanged, in one unchanged stretch. When
    the diff reads all of them as taken out and the same words stand once in each text, inside what
    the diff reads as put in, the passage moved: it is found there. Words partly kept in place and
    partly changed are changed, even if the same words stand elsewhere.
    """
    quote = old[start:end]
    if old == new:
        return start, end
    a, b = tokenize(old), tokenize(new)
    at_a, at_b = _offsets(a), _offsets(b)
    first, last = bisect_right(at_a, start) - 1, bisect_right(at_a, end - 1) - 1
    codes = opcodes(a, b)
    for tag, i1, i2, j1, _j2 in codes:
        if tag == "equal" and i1 <= first and last < i2:
            shift = at_b[j1 + first - i1] - at_a[first]
            if new[start + shift : end + shift] == quote:
                return start + shift, end + shift
            return None
    kept_a = [(i1, i2) for tag, i1, i2, _, _ in codes if tag == "equal"]
    kept_b = [(j1, j2) for tag, _, _, j1, j2 in codes if tag == "equal"]
    if any(i1 <= last and first < i2 for i1, i2 in kept_a):
        return None  # partly kept in place: the rest of it changed
    if old.count(quote) != 1 or new.count(quote) != 1:
        return None
    moved = new.index(quote)
    there = (bisect_right(at_b, moved) - 1, bisect_right(at_b, moved + len(quote) - 1) - 1)
    if any(j1 <= there[1] and there[0] < j2 for j1, j2 in kept_b):
        return None  # the same words, but kept where they were: not the passage taken out here
    return moved, moved + len(quote)


def _wordlike(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isalnum()


def replaced(text: str, start: int, end: int, replacement: str) -> str:
    """``text`` with ``[start, end)`` replaced; a deletion takes one space beside the words too, so
    no two spaces meet and no space stands before a full stop or inside an emphasis mark."""
    if not replacement:
        # Words that fill an emphasis take its marks with them ("**shall**" leaves no "****").
        while 0 < start and end < len(text) and text[start - 1] in _MARKS and text[start - 1] == text[end]:
            if _wordlike(text, start - 2) or _wordlike(text, end + 1):
                break  # "snake_case_name": no emphasis, the marks are the word's own
            start, end = start - 1, end + 1
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if before == " " and (after in ("", " ") or after in _CLOSES or after in _MARKS):
            start -= 1
        elif (before in ("", "\n") or before in _MARKS) and after == " ":
            end += 1
    return text[:start] + replacement + text[end:]


def replaced_as_shown(text: str, start: int, end: int, replacement: str) -> str:
    """``replaced``, for words a reader selected as the page shows them (``locate``): emphasis that
    begins before the span and ends inside it, or begins inside and ends after it, stays on the
    words outside the span (selecting "not knowingly" in ``**should not** knowingly`` keeps
    ``**should**``), where replacing the span as written would leave a mark unpaired."""
    closers, openers = [], []
    for run in _MARK_RUN.finditer(text, start, end):
        before = text[run.start() - 1] if run.start() > 0 else " "
        after = text[run.end()] if run.end() < len(text) else " "
        if before.isspace() and not after.isspace():
            openers.append(run.group())
        elif openers and openers[-1] == run.group():
            openers.pop()  # opened and closed inside the span: replaced with its words
        else:
            closers.append(run.group())
    if not closers and not openers:
        return replaced(text, start, end, replacement)
    head, tail = text[:start], text[end:]
    kept = head.rstrip()
    for mark in closers:
        kept = kept[: -len(mark)] if kept.endswith(mark) else kept + mark  # an emphasis left empty goes
    head = kept + head[len(head.rstrip()) :]
    kept = tail.lstrip()
    for mark in reversed(openers):
        kept = kept[len(mark) :] if kept.startswith(mark) else mark + kept
    tail = tail[: len(tail) - len(tail.lstrip())] + kept
    return replaced(head + text[start:end] + tail, len(head), len(head) + end - start, replacement)


def excerpt(ops: list[dict], *, words: int = CONTEXT_WORDS) -> list[dict]:
    """A redline (``diff.word_diff`` ops) cut to its changes and ``words`` words around each: the
    unchanged text between two changes is kept whole when short, else cut in the middle ("…")."""
    result = []
    for i, op in enumerate(ops):
        tokens = tokenize(op["text"])
        at = [j for j, token in enumerate(tokens) if _WORD.search(token)]  # where its words are
        first, last = i == 0, i == len(ops) - 1
        if op["op"] != "equal" or (first and last):
            result.append(op)
        elif first and len(at) > words:
            result.append({"op": "equal", "text": "… " + "".join(tokens[at[-words] :])})
        elif last and len(at) > words:
            result.append({"op": "equal", "text": "".join(tokens[: at[words - 1] + 1]) + " …"})
        elif not first and not last and len(at) > 2 * words:
            head, tail = "".join(tokens[: at[words - 1] + 1]), "".join(tokens[at[-words] :])
            result.append({"op": "equal", "text": f"{head} … {tail}"})
        else:
            result.append(op)
    return result


def _offsets(tokens: list[str]) -> list[int]:
    """Where each token starts in the text it was cut from."""
    offsets, at = [], 0
    for token in tokens:
        offsets.append(at)
        at += len(token)
    return offsets


def short(text: str, limit: int = 60) -> str:
    """A quote as a message cites it: whitespace collapsed, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
