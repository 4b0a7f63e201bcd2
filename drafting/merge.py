"""Three-way merge of clause text, word by word.

An amendment was written against ``base``; the clause has since become ``ours``; the amendment
wants ``theirs``. Where the two sets of edits touch different words both are applied; where they
touch the same words the merge refuses, and the amendment is marked conflicted instead.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from .diff import spans_overlap, tokenize


class MergeConflict(Exception):
    pass


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def merge3(base: str, ours: str, theirs: str) -> str:
    """Apply both edits to ``base``; raise MergeConflict when they overlap (identical edits are fine)."""
    if ours == base:
        return theirs
    if theirs == base or theirs == ours:
        return ours
    base_tokens = tokenize(base)
    our_hunks, their_hunks = _hunks(base_tokens, tokenize(ours)), _hunks(base_tokens, tokenize(theirs))
    hunks = list(our_hunks)
    for hunk in their_hunks:
        if hunk in our_hunks:
            continue  # both made the same edit
        if any(spans_overlap(hunk[:2], mine[:2]) for mine in our_hunks):
            raise MergeConflict("Both changed the same words.")
        hunks.append(hunk)
    hunks.sort(key=lambda h: (h[0], h[1]))
    merged, position = [], 0
    for start, end, replacement in hunks:
        merged.extend(base_tokens[position:start])
        merged.extend(replacement)
        position = max(position, end)
    merged.extend(base_tokens[position:])
    return "".join(merged)


@dataclass(frozen=True)
class Merge:
    """What accepting an amendment does to its clause: the amendment's new status, the effect named
    in the results, and the clause's new text and status (None: the clause stays as it is)."""

    status: str
    effect: str
    text: str | None = None
    clause_status: str | None = None


def merge_amendment(amendment, clause) -> Merge:
    """Decide how an accepted amendment lands on ``clause`` as it is now (see the module docstring)."""
    from .models import AmendmentKind, AmendmentStatus, ClauseStatus

    if clause.status in (ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN):
        return Merge(AmendmentStatus.CONFLICTED, f"clause {clause.status}")
    if amendment.kind == AmendmentKind.DELETE:
        if clause.text != amendment.base_text:
            return Merge(AmendmentStatus.CONFLICTED, "conflicted")
        return Merge(AmendmentStatus.ACCEPTED, "deleted", clause_status=ClauseStatus.WITHDRAWN)
    if clause.text == amendment.base_text:
        return Merge(AmendmentStatus.ACCEPTED, "merged", text=amendment.text)
    try:
        return Merge(
            AmendmentStatus.ACCEPTED, "merged three-way", text=merge3(amendment.base_text, clause.text, amendment.text)
        )
    except MergeConflict:
        return Merge(AmendmentStatus.CONFLICTED, "conflicted")
