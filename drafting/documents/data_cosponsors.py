"""The record's co-sponsorships in a JSON export (``data.record``), as ``imports.record`` writes them back."""

from django.db.models import Q

from ..models import Cosponsorship


def cosponsorships_record(draft, withheld, rounds_of: dict, amendments) -> list[dict]:
    """Every co-sponsorship of ``draft``'s proposals, withdrawn and declined ones too, oldest first:
    its delegation in full (an import matches or makes it), who acted for it and who decided.
    ``withheld(round_id=...)``: the Chatham House rule of the proposal's round (``data._Pseudonyms``);
    ``rounds_of``: each clause's round. A Chatham House round's co-sponsors are told by group only,
    on its own papers: a file names no delegation for them, as it gives none of its votes."""
    from .data import _item, _name, _organization  # the record's own ways of writing items and people

    round_of_amendment = {a.pk: a.round_id for a in amendments}
    rows = (
        Cosponsorship.objects.filter(Q(clause__draft=draft) | Q(amendment__clause__draft=draft))
        .select_related("organization", "requested_by", "decided_by")
        .order_by("created_at", "id")
    )
    return [
        {
            **_item(c),
            "organization": _organization(c.organization),
            "status": c.status,
            "requested_by": _name(c.requested_by),
            "decided_by": _name(c.decided_by),
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
        for c in rows
        if not withheld(round_id=rounds_of.get(c.clause_id) if c.clause_id else round_of_amendment.get(c.amendment_id))
    ]
