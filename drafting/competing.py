"""Which submitted amendments of a clause compete: they change the same or adjacent words of it.

Rivals cannot both merge (the three-way merge refuses edits that touch, ``diff.spans_touch``), so
the ballot shows them side by side, and the close accepts at most one amendment of each rival set.
"""

from itertools import combinations

from .diff import changed_spans, map_spans, spans_touch, tokenize
from .models import AmendmentStatus


def competing_amendments(amendments, clause_text: str) -> dict[int, list[int]]:
    """``{amendment id: [ids of the submitted amendments it competes with]}`` for one clause.

    Each amendment's changed words are found against its own base text and carried over to the
    clause's current text, so amendments written against different versions still compare.
    """
    submitted = [a for a in amendments if a.status == AmendmentStatus.SUBMITTED]
    spans = {}
    for amendment in submitted:
        own = changed_spans(amendment.base_text, amendment.new_text)
        spans[amendment.id] = (
            own if amendment.base_text == clause_text else map_spans(own, amendment.base_text, clause_text)
        )
    tokens = tokenize(clause_text)
    result: dict[int, list[int]] = {a.id: [] for a in amendments}
    for a, b in combinations(submitted, 2):
        if any(spans_touch(x, y, tokens) for x in spans[a.id] for y in spans[b.id]):
            result[a.id].append(b.id)
            result[b.id].append(a.id)
    return result


def connected(order: list[int], competing: dict) -> list[set[int]]:
    """The ids of ``order`` grouped with their rivals and their rivals' rivals (``competing``: id ->
    the ids it competes with), each group where its first member stands in ``order``: 12 and 13
    touch, 13 and 14 touch, one group of three, since accepting any one of them leaves the others
    nothing to merge into. An id that competes with none is a group of its own."""
    known, placed, groups = set(order), set(), []
    for first in order:
        if first in placed:
            continue
        group, todo = {first}, [first]
        while todo:
            for other in competing.get(todo.pop(), ()):
                if other in known and other not in group:
                    group.add(other)
                    todo.append(other)
        placed |= group
        groups.append(group)
    return groups


def rival_sets(amendments) -> list[list]:
    """The sets of rivals among ``amendments`` (each with its ``clause`` loaded), clause by clause:
    amendments that compete directly or through others (``connected``). Each set is in the order
    given (the ballot's: submission order); sets are ordered by their first member.
    """
    by_clause: dict[int, list] = {}
    for amendment in amendments:
        by_clause.setdefault(amendment.clause_id, []).append(amendment)
    sets = []
    for members in by_clause.values():
        if len(members) < 2:
            continue
        competing = competing_amendments(members, members[0].clause.text)
        for group in connected([a.id for a in members], competing):
            if len(group) > 1:
                sets.append([a for a in members if a.id in group])
    order = {a.id: i for i, a in enumerate(amendments)}
    return sorted(sets, key=lambda s: order[s[0].id])
