"""JSON with everything needed to rebuild the draft on another installation, history included."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from accounts.selectors import speaking_for_at, speaking_for_data

from ..models import Clause, number_label

FORMAT_VERSION = 1


def render(document) -> bytes:
    draft = document.draft
    ids = [c.clause_id for s in document.sections for c in s.clauses]
    rationale = dict(Clause.objects.filter(pk__in=ids).values_list("pk", "rationale"))
    history: dict[int, list] = {}
    for record in Clause.history.filter(id__in=ids).select_related("history_user").order_by("history_id"):
        history.setdefault(record.id, []).append(record)
    # Who made each change spoke for an organization then: asked for the whole history at once.
    speaking = speaking_for_at((h.history_user_id, h.history_date) for records in history.values() for h in records)
    payload = {
        "format": "codeofconduct-draft",
        "format_version": FORMAT_VERSION,
        "draft": {"title": draft.title, "slug": draft.slug, "summary": draft.summary, "visibility": draft.visibility},
        "label": document.label,
        "date": document.date,
        "sections": [
            {
                "title": section.title,
                "position": section.position,
                "clauses": [
                    {
                        "number": c.number,
                        "number_suffix": c.number_suffix,
                        "label": c.label,
                        "previous_label": c.previous_label,
                        "title": c.title,
                        "text": c.text,
                        "status": c.status,
                        "version": c.version,
                        "rationale": rationale[c.clause_id],
                        "history": [
                            {
                                "version": h.version,
                                "label": number_label(h.number, h.number_suffix),
                                "title": h.title,
                                "text": h.text,
                                "status": h.status,
                                "changed_by": h.history_user.username if h.history_user else None,
                                "speaking_for": speaking_for_data(speaking.get((h.history_user_id, h.history_date))),
                                "changed_at": h.history_date,
                                "reason": h.history_change_reason,
                            }
                            for h in history.get(c.clause_id, [])
                            if h.version <= c.version
                        ],
                    }
                    for c in section.clauses
                ],
            }
            for section in document.sections
        ],
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
