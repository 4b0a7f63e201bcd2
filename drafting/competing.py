"""Which submitted amendments of a clause compete: they change overlapping words of it."""

from itertools import combinations

from .diff import changed_spans, map_spans, spans_overlap
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
    result: dict[int, list[int]] = {a.id: [] for a in amendments}
    for a, b in combinations(submitted, 2):
        if any(spans_overlap(x, y) for x in spans[a.id] for y in spans[b.id]):
            result[a.id].append(b.id)
            result[b.id].append(a.id)
    return result
