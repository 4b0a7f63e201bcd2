"""Markdown to safe HTML: markdown-it-py with raw HTML off, then nh3 as a second fence."""

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# A text may format at most this many passages (emphasis, bold, code, links): thousands of them in
# one paragraph ("*_" repeated) made a PDF of the draft take minutes, past every time-out.
MAX_FORMATTED = 100
_PAIRED = re.compile(r"[*_`]")  # emphasis and code take two of these each
_OPENING = re.compile(r"[\[<]")  # a link takes one of these
_FORMATTED = frozenset({"em_open", "strong_open", "code_inline", "link_open"})


def formatted_passages(text: str) -> int:
    """How many passages of ``text`` Markdown formats, counted only when it holds marks enough to
    pass ``MAX_FORMATTED`` (0 otherwise): most texts are not parsed at all."""
    text = text or ""
    if len(_PAIRED.findall(text)) + 2 * len(_OPENING.findall(text)) <= 2 * MAX_FORMATTED:
        return 0
    return sum(1 for block in _md.parse(text) for token in block.children or () if token.type in _FORMATTED)


_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def square_brackets(text: str) -> list[str]:
    """What a reader sees in square brackets in ``text`` ("[reasonable]", "[all feasible]"), inner
    passages first, then any bracket left unpaired: the words still under negotiation.

    Read from the text as rendered, so a Markdown link's brackets are not brackets; an escaped
    ``\\[`` is one, as the reader sees it.
    """
    from .diff import visible_text

    seen = visible_text(render_markdown(text))
    found = []
    while True:
        passages = _BRACKETED.findall(seen)
        if not passages:
            break
        found += passages
        seen = _BRACKETED.sub(" ", seen)
    return found + [c for c in seen if c in "[]"]
