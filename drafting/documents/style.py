"""What every document writes the same way, whatever its format (the text, a comparison, a
compilation, a synoptic table): a status in words, a language by name, a section's heading, a file's
name, a preambular paragraph's opening word in italics, a redline spaced for readers."""

import re
import unicodedata

from django.utils.translation import get_language_info

from ..models import ClauseStatus, SectionKind

# How a status reads in a document: in words, never in square brackets (those belong to the text).
STATUS_WORDS = {
    ClauseStatus.AGREED: "agreed",
    ClauseStatus.PROPOSED: "proposed, not yet agreed",
    ClauseStatus.BRACKETED: "bracketed, not yet agreed",
    ClauseStatus.REJECTED: "rejected",
    ClauseStatus.WITHDRAWN: "withdrawn",
}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def language_name(code: str) -> str:
    """A language's English name as a front block prints it: "English" for "en" or "en-GB"; a code
    Django knows no name for as it is."""
    if (code or "").split("-")[0].lower() == "zh":
        return "Chinese"  # one of the six UN languages; Django names only its scripts
    for candidate in (code, (code or "").split("-")[0]):
        try:
            return get_language_info(candidate)["name"]
        except KeyError:
            continue
    return code


class Heading:
    """A section's heading in UN style, for a class with ``title``, ``kind`` and ``numeral``."""

    @property
    def is_preamble(self) -> bool:
        return self.kind == SectionKind.PREAMBLE

    @property
    def heading(self) -> str:
        """The heading as printed, "I. Principles"; the preamble's title alone. Never a bare number,
        which reads as a paragraph."""
        return f"{self.numeral}. {self.title}" if self.numeral else self.title


def safe_name(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "document"


# A preambular paragraph opens with its participle in italics ("*Recalling* its resolution ..."), in
# every format: the first word after any spaces and opening brackets, a letter followed by letters,
# digits, hyphens or apostrophes.
OPENING_WORD = re.compile(r"^([\s\[]*)([^\W\d_][\w’'-]*)")
# The same word at the start of a paragraph already rendered as HTML.
OPENING_WORD_HTML = re.compile(r"^(\s*<p>[\s\[]*)([^\W\d_][\w’'-]*)")


def opening_word(text: str) -> tuple[str, str, str] | None:
    """``(what comes before the opening word, the word, the rest)``, or None when ``text`` opens
    with no word (a number, a quotation mark)."""
    match = OPENING_WORD.match(text)
    return (match.group(1), match.group(2), text[match.end() :]) if match else None


def italic_opening(text: str, italic) -> str:
    """``text`` with its opening word put through ``italic`` (``lambda word: f"*{word}*"``)."""
    return OPENING_WORD.sub(lambda match: match.group(1) + italic(match.group(2)), text, count=1)


def italic_opening_html(html: str) -> str:
    """A paragraph rendered as HTML with its opening word in ``<em>``."""
    return OPENING_WORD_HTML.sub(lambda match: f"{match.group(1)}<em>{match.group(2)}</em>", html, count=1)


def spaced(changes: list[dict]) -> list[dict]:
    """A redline as shown to readers, whose deleted and inserted words stay apart when its text is
    read out or extracted ("its State", not "itsState"): a deletion followed right away by an
    insertion keeps a space. Only for showing: the space is in neither text."""
    out = []
    for i, change in enumerate(changes):
        change = dict(change)
        following = changes[i + 1] if i + 1 < len(changes) else None
        if (
            change["op"] == "delete"
            and following is not None
            and following["op"] == "insert"
            and change["text"][-1:].strip()
            and following["text"][:1].strip()
        ):
            change["text"] += " "
        out.append(change)
    return out
