"""Suggestions shown on the paragraph: each submitted amendment of a clause as the words it strikes
and the words it brings, with a few words around them, listed together; rivals grouped and marked.

An amendment is shown against the clause as it reads now (what closing would merge), or, when the
clause changed since its base version and the two edits overlap, against the text its author saw
(``redline_against_current``). Rivals are the amendments ``competing.competing_amendments``
finds changing the same or adjacent words: the rule the ballot and the close use, not another.
No query of its own: the amendments come named (``naming.name_on_page``) and with ``competes_with``.
"""

from dataclasses import dataclass, field

from ..competing import connected
from ..diff import visible_word_diff
from ..markdown import render_markdown
from ..merge import merge_amendment
from ..models import Amendment, AmendmentKind, AmendmentStatus, Clause
from ..suggestions import excerpt


def redline_against_current(amendment: Amendment, clause: Clause) -> tuple[list[dict], bool]:
    """The amendment's change to the clause as it reads now: what closing would merge, word by word
    as a reader sees the words (no Markdown marks, escapes or link addresses).

    When the clause changed since and the two edits overlap, the amendment cannot be shown against
    the current text; it is shown against the text its author saw.
    """
    if amendment.kind == AmendmentKind.DELETE and amendment.base_text == clause.text:
        return visible_word_diff(clause.text_html, ""), True
    merged = merge_amendment(amendment, clause)
    if merged.text is not None:
        return visible_word_diff(clause.text_html, render_markdown(merged.text)), True
    return visible_word_diff(render_markdown(amendment.base_text), render_markdown(amendment.new_text)), False


@dataclass
class Suggestion:
    amendment: Amendment
    words: list[dict]  # the redline cut to the changed words and a few around them
    rivals: list[int]  # the ids of the submitted amendments changing the same or adjacent words
    against_current: bool  # shown against the clause's text now (else against its own base version)

    @property
    def deletes_clause(self) -> bool:
        return self.amendment.kind == AmendmentKind.DELETE


@dataclass
class SuggestionGroup:
    """One suggestion alone, or a set of rivals: only one of them can be accepted."""

    members: list[Suggestion] = field(default_factory=list)

    @property
    def rivals(self) -> bool:
        return len(self.members) > 1


def suggestion(amendment: Amendment, clause: Clause, redline=None, against_current=None) -> Suggestion:
    """``amendment`` as a suggestion on ``clause``; ``redline``: its redline against the text now,
    where the page computed it already (side by side)."""
    if redline is None:
        redline, against_current = redline_against_current(amendment, clause)
    return Suggestion(amendment, excerpt(redline), list(amendment.competes_with), against_current)


def suggestions_on(clause: Clause, amendments, *, made=None) -> list[SuggestionGroup]:
    """The submitted ones of ``amendments`` (each with ``competes_with``) as suggestions on
    ``clause``, in the order they were submitted, each rival set together where its first member
    stands. ``made``: suggestions the page already has, by amendment id."""
    made = made or {}
    shown = [made.get(a.id) or suggestion(a, clause) for a in amendments if a.status == AmendmentStatus.SUBMITTED]
    rivals = {s.amendment.id: s.rivals for s in shown}
    return [
        SuggestionGroup([s for s in shown if s.amendment.id in group])
        for group in connected([s.amendment.id for s in shown], rivals)
    ]
