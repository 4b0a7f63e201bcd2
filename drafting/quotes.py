"""Quotes as the reader sees them: the words of a clause or a redline, found and highlighted in its HTML.

A reader selects words on the page, across bold text, links, line breaks and the square brackets the
page draws around a clause that is not agreed yet. What the page draws is the reference: a quote is
checked against the visible text of the same partial template the page shows (``quotable_html``),
stored as those visible words without the drawn brackets, and highlighted in that HTML afterwards,
even where the words cross inline tags (one ``<mark>`` per text node).
"""

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from codeofconduct.errors import InvalidInput

from .diff import word_diff
from .markdown import render_markdown

CLAUSE_TEXT_TEMPLATE = "drafting/_quoted_clause_text.html"
REDLINE_TEMPLATE = "drafting/_quoted_redline.html"

# Elements that break the flow of words: the browser puts a line break (whitespace) at their edges.
# A redline's deleted and inserted words count as apart too ("should must", not "shouldmust").
_BLOCKS = frozenset(
    "address article aside blockquote br dd del div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "ins li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# The brackets the page draws around bracketed and proposed clauses (templatetags ``bracketed``).
_DRAWN_CLASS = "bracket"
# Words only a screen reader speaks ("inserted: ", templatetags ``redline``): not on the screen, so
# never part of what a reader selects.
_UNSEEN_CLASS = "visually-hidden"


def normalise(text: str) -> str:
    """Words as compared: every run of whitespace (line breaks, no-break spaces) is one space."""
    return " ".join((text or "").split())


@dataclass
class _Text:
    data: str
    drawn: bool  # a bracket the page draws, not part of the clause's words
    in_link: bool


@dataclass
class _Parsed:
    """HTML as a list of pieces (tags as written, text nodes), and its visible text mapped back to them."""

    pieces: list = field(default_factory=list)  # str (a tag, emitted as is) or _Text
    visible: str = ""
    # For each character of ``visible``: (piece index, offset in its text), or None for a space
    # that stands for a block edge.
    where: list = field(default_factory=list)
    compact: str | None = None  # ``visible`` without its spaces, and where each character is in it
    compact_at: list = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parsed = _Parsed()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, draws brackets, unseen)
        self.links = 0

    def _drawn(self) -> bool:
        return any(drawn for _, drawn, _ in self.stack)

    def _unseen(self) -> bool:
        return any(unseen for _, _, unseen in self.stack)

    def handle_starttag(self, tag, attrs):
        self.parsed.pieces.append(self.get_starttag_text())
        if tag in _BLOCKS:
            self.parsed.pieces.append(None)  # a block edge
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, _DRAWN_CLASS in classes, _UNSEEN_CLASS in classes))
        if tag == "a":
            self.links += 1

    def handle_startendtag(self, tag, attrs):
        self.parsed.pieces.append(self.get_starttag_text())
        if tag in _BLOCKS:
            self.parsed.pieces.append(None)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if any(open_tag == tag for open_tag, _, _ in self.stack):
            while self.stack:
                open_tag = self.stack.pop()[0]
                if open_tag == "a":
                    self.links -= 1
                if open_tag == tag:
                    break
        if tag in _BLOCKS:
            self.parsed.pieces.append(None)
        self.parsed.pieces.append(f"</{tag}>")

    def handle_data(self, data):
        if self._unseen():
            self.parsed.pieces.append(escape(data, quote=False))  # written back as it came, never matched
            return
        self.parsed.pieces.append(_Text(data, self._drawn(), self.links > 0))


def _parse(html: str) -> _Parsed:
    reader = _Reader()
    reader.feed(str(html or ""))
    reader.close()
    parsed = reader.parsed
    chars, where = [], []
    pending, pending_at = False, None  # a space is due before the next character; where it stands
    for index, piece in enumerate(parsed.pieces):
        if piece is None:  # a block edge
            if not pending:
                pending, pending_at = True, None
            continue
        if not isinstance(piece, _Text):
            continue
        for offset, char in enumerate(piece.data):
            if char.isspace():
                if not pending:
                    pending, pending_at = True, (index, offset)
                continue
            if pending and chars:
                chars.append(" ")
                where.append(pending_at)
            pending = False
            chars.append(char)
            where.append((index, offset))
    parsed.visible = "".join(chars)
    parsed.where = where
    return parsed


def visible_text(html: str) -> str:
    """The words a reader sees in ``html``, whitespace collapsed, drawn brackets included."""
    return _parse(html).visible


def _find(parsed: _Parsed, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` first appears in the visible text, spaces aside: browsers differ in the
    whitespace they put in a selection (between blocks, list items, a redline's deleted and
    inserted words), never in the characters of the words."""
    wanted = "".join(quote.split())
    if not wanted:
        return None
    if parsed.compact is None:
        kept = [(i, char) for i, char in enumerate(parsed.visible) if char != " "]
        parsed.compact = "".join(char for _, char in kept)
        parsed.compact_at = [i for i, _ in kept]
    at = parsed.compact.find(wanted)
    if at < 0:
        return None
    return parsed.compact_at[at], parsed.compact_at[at + len(wanted) - 1] + 1


def _own_words(parsed: _Parsed, start: int, end: int) -> str:
    """The visible characters in ``[start, end)`` without the brackets the page draws."""
    kept = []
    for i in range(start, end):
        spot = parsed.where[i]
        if spot is not None and parsed.pieces[spot[0]].drawn:
            kept.append(" ")
            continue
        kept.append(parsed.visible[i])
    return normalise("".join(kept))


def found_quote(quote: str, htmls: list[str]) -> str:
    """The quote as the visible words of the first of ``htmls`` that shows it; refused (400) if none does.

    The quote may run across formatting, line breaks and the brackets the page draws; those brackets
    are left out of what is returned, since they are not the clause's words. A quote written as
    Markdown (copied from the source of the text) is read as the words it shows.
    """
    wanted = [normalise(quote)]
    shown = normalise(visible_text(render_markdown(quote)))
    if shown and shown != wanted[0]:
        wanted.append(shown)
    for html in htmls:
        parsed = _parse(html)
        for words in wanted:
            span = _find(parsed, words)
            if span is None:
                continue
            own = _own_words(parsed, *span)
            if not own:
                raise InvalidInput(_("Select words of the text, not only its brackets."), field="quote")
            return own
    raise InvalidInput(_("The quoted words are not in the text."), field="quote")


def amendment_redline(amendment) -> list[dict]:
    """The redline an amendment's page shows, where its readers select words to quote."""
    return word_diff(amendment.base_text, amendment.new_text)


def quotable_context(*, clause=None, amendment=None) -> dict:
    """What the quotable text's partial template needs, and which partial it is."""
    if clause is not None:
        return {"clause": clause, "quotable_template": CLAUSE_TEXT_TEMPLATE}
    return {"redline": amendment_redline(amendment), "quotable_template": REDLINE_TEMPLATE}


def quotable_html(*, clause=None, amendment=None) -> str:
    """The text as its page draws it where readers select words: a clause's text, or an amendment's redline."""
    context = quotable_context(clause=clause, amendment=amendment)
    return render_to_string(context["quotable_template"], {**context, "comments": ()})


def quotable_texts(*, clause=None, amendment=None) -> list[str]:
    """What a quote on this clause or amendment may be found in: what its page shows, then (for an
    amendment) its new and its base text as read on their own."""
    texts = [quotable_html(clause=clause, amendment=amendment)]
    if amendment is not None:
        texts += [render_markdown(amendment.new_text), render_markdown(amendment.base_text)]
    return texts


def quoted_comments(threads) -> list:
    """The comments of these threads (nested with ``thread_replies``) whose quote this reader may see:
    a hidden comment's quote is as private as its body (``body_visible``)."""
    found, todo = [], list(threads or ())
    while todo:
        comment = todo.pop(0)
        if comment.quote and getattr(comment, "body_visible", False):
            found.append(comment)
        todo[0:0] = getattr(comment, "thread_replies", [])
    return found


def highlight(html: str, quotes: list[tuple[int, str]]) -> str:
    """``html`` with each ``(comment id, quote)`` found in its visible text wrapped in ``<mark>``.

    ``html`` must be safe already (sanitised Markdown, template output): its tags are written back as
    they came, its text escaped again, and only ``<mark>`` elements and links to ``#comment-<id>``
    are added. A quote is marked where it first appears; a mark never crosses a tag (one per text
    node), overlapping quotes share a mark, and each quote ends with a link to its comment, placed
    after the enclosing link if the quote ends inside one.
    """
    if not quotes:
        return str(html)
    parsed = _parse(html)
    # Per text piece: [(start, end, comment id)], and the offsets where a quote ends.
    spans: dict[int, list[tuple[int, int, int]]] = {}
    ends: dict[int, dict[int, list[int]]] = {}
    for comment_id, quote in quotes:
        span = _find(parsed, normalise(quote))
        if span is None:
            continue
        per_piece: dict[int, list[int]] = {}
        for i in range(*span):
            spot = parsed.where[i]
            if spot is not None:
                per_piece.setdefault(spot[0], []).append(spot[1])
        if not per_piece:
            continue
        for index, offsets in per_piece.items():
            spans.setdefault(index, []).append((min(offsets), max(offsets) + 1, comment_id))
        last = max(per_piece)
        ends.setdefault(last, {}).setdefault(max(per_piece[last]) + 1, []).append(comment_id)

    out, waiting_refs = [], []  # refs that end inside a link wait for it to close
    for index, piece in enumerate(parsed.pieces):
        if piece is None:
            continue
        if not isinstance(piece, _Text):
            out.append(piece)
            if piece == "</a>" and waiting_refs:
                out += [_ref(c) for c in waiting_refs]
                waiting_refs = []
            continue
        cuts = {0, len(piece.data)}
        for start, end, _comment in spans.get(index, ()):
            cuts |= {start, end}
        cuts = sorted(cuts)
        for start, end in zip(cuts, cuts[1:], strict=False):
            text = escape(piece.data[start:end], quote=False)
            ids = sorted({c for s, e, c in spans.get(index, ()) if s <= start and end <= e})
            if ids:
                names = " ".join(str(c) for c in ids)
                out.append(f'<mark class="quoted" data-comments="{names}">{text}</mark>')
            else:
                out.append(text)
            for comment_id in ends.get(index, {}).get(end, ()):
                if piece.in_link:
                    waiting_refs.append(comment_id)
                else:
                    out.append(_ref(comment_id))
    out += [_ref(c) for c in waiting_refs]
    return "".join(out)


def _ref(comment_id: int) -> str:
    # No text of its own (the label is drawn by CSS), so it never becomes part of a selected quote.
    label = escape(_("Quoted in comment %(comment)s") % {"comment": comment_id})
    return f'<a class="quote-ref" href="#comment-{comment_id}" data-comment="{comment_id}" aria-label="{label}"></a>'
