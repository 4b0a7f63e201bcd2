"""Snippets and marking: what to mark of the words searched for, the words around the first match,
and both as safe HTML with the matches in <mark>."""

import html
import re

# Snippet markers: noncharacters that input checks refuse everywhere (codeofconduct.inputs), so
# they can only come from the highlighter, never from a person's words.
START, STOP = "\ufdd0", "\ufdd1"
SNIPPET_WORDS = 32


def marks_for(terms, stem_of: dict[str, str]) -> re.Pattern:
    """What to mark in a snippet found by PostgreSQL: each word by its English stem (which may begin
    a longer word: "critic" marks "critical"), each prefix as typed, each term also as typed."""
    patterns = []
    for term in terms:
        patterns.append(term.pattern())
        if term.raw and not term.prefix:
            patterns.append(re.escape(term.raw))
        if not term.prefix:
            # The whole word a stem begins ("critic" marks "critical"), never a piece of it.
            patterns += [rf"(?<!\w){re.escape(stem_of.get(word, word))}\w*" for word in term.words]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def plain_headline(text: str, marks: re.Pattern) -> str:
    """About SNIPPET_WORDS words of ``text`` around the first match, each match between START and STOP."""
    first = marks.search(text)
    words = list(re.finditer(r"\S+", text))
    if not words:
        return ""
    at = 0
    if first is not None:
        at = next((index for index, word in enumerate(words) if word.end() > first.start()), 0)
    begin = max(0, at - SNIPPET_WORDS // 3)
    end = min(len(words), begin + SNIPPET_WORDS)
    cut = text[words[begin].start() : words[end - 1].end()]
    marked = mark_all(cut, marks)
    return ("… " if begin else "") + marked + (" …" if end < len(words) else "")


def mark_all(text: str, marks: re.Pattern) -> str:
    """The whole of a short text (a title), each match between START and STOP."""
    return marks.sub(lambda found: f"{START}{found.group()}{STOP}", text or "")


def marked_html(snippet: str) -> str:
    """A snippet as safe HTML: everything escaped, the matches in <mark>."""
    escaped = html.escape(" ".join((snippet or "").split()))
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")
