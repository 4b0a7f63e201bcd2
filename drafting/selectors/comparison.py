"""Two snapshots of the text compared clause by clause, in the newer one's reading order: what was
added, removed or changed (with a word diff), and the numbers clauses had before."""

from ..models import Snapshot, SnapshotClause


def compare_snapshots(old: Snapshot, new: Snapshot) -> list[dict]:
    """Clause by clause in the newer snapshot's reading order: added, removed (where it stood in the
    older one), changed (with a word diff of the text) or unchanged. ``previous_label`` is the
    clause's number in the older snapshot where a renumbering changed it ("17 (was 16 bis)")."""
    return compare_clauses(list(old.clauses.all()), list(new.clauses.all()))


def compare_clauses(old: list[SnapshotClause], new: list[SnapshotClause]) -> list[dict]:
    """``compare_snapshots`` of two lists of frozen clauses, saved or not (the close preview compares
    the snapshot a close would freeze)."""
    from ..diff import with_brackets, word_diff

    before = {c.clause_id: c for c in old}
    after = {c.clause_id: c for c in new}
    rows = []
    for a, b in _in_reading_order(list(before.values()), list(after.values())):
        shown = b or a
        row = {
            "clause": shown.clause_id,
            "number": shown.number,
            "number_suffix": shown.number_suffix,
            "label": shown.label,
            # Its number in the older snapshot; for a clause new since, the number it was cited by
            # before this snapshot renumbered the text ("1 bis").
            "previous_label": (a.label if a.label != b.label else "") if a and b else (b.previous_label if b else ""),
            # The same as cited in UN style: "OP3" (was "OP2 bis").
            "ref": shown.ref,
            "previous_ref": _previous_ref(a, b),
            "title": shown.title,
            "diff": None,
        }
        # The diff is of the text as it reads, square brackets included: a clause going into or out
        # of brackets shows them inserted or deleted, as every export's redline does.
        if a is None:
            row["change"] = "added"
            row["diff"] = with_brackets([{"op": "insert", "text": b.text}], False, b.is_bracketed)
        elif b is None:
            row["change"] = "removed"
            row["diff"] = with_brackets([{"op": "delete", "text": a.text}], a.is_bracketed, False)
        elif (a.title, a.text, a.status) != (b.title, b.text, b.status):
            row["change"] = "changed"
            ops = word_diff(a.text, b.text) if a.text != b.text else [{"op": "equal", "text": b.text}]
            row["diff"] = with_brackets(ops, a.is_bracketed, b.is_bracketed)
            row["from_status"], row["to_status"] = a.status, b.status
        else:
            row["change"] = "unchanged"
        rows.append(row)
    return rows


def _previous_ref(a: SnapshotClause | None, b: SnapshotClause | None) -> str:
    if a and b:
        return a.ref if a.ref != b.ref else ""
    if b and b.previous_label:
        return f"{'PP' if b.preambular else 'OP'}{b.previous_label}"
    return ""


def _in_reading_order(before: list, after: list) -> list[tuple]:
    """``(older, newer)`` pairs of the same clause (either may be None): the newer snapshot's clauses
    in its order, each removed clause right after the clause it followed in the older one."""
    kept = {c.clause_id for c in after}
    removed_after: dict[int | None, list] = {}
    leading = None
    for c in before:  # a snapshot's clauses come in reading order (SnapshotClause.Meta.ordering)
        if c.clause_id in kept:
            leading = c.clause_id
        else:
            removed_after.setdefault(leading, []).append(c)
    older = {c.clause_id: c for c in before}
    pairs = [(c, None) for c in removed_after.get(None, [])]
    for c in after:
        pairs.append((older.get(c.clause_id), c))
        pairs += [(gone, None) for gone in removed_after.get(c.clause_id, [])]
    return pairs
