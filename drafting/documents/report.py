"""The consultation report of a closed round, as JSON and CSV."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count

from accounts.models import StakeholderGroup
from accounts.selectors import speaking_for_at, speaking_for_data

from ..models import Comment, CommentDisposition, Disposition, Round, Stance
from ..naming import names_people
from ..selectors import round_results


def build(round_: Round, *, standing_: str) -> dict:
    """Items with outcome, tallies per group, comments by stance and dispositions. Round must be closed."""
    rows, _ = round_results(round_, standing_=standing_)
    clause_ids = [r["item"]["id"] for r in rows if r["item"]["type"] == "clause"]
    amendment_ids = [r["item"]["id"] for r in rows if r["item"]["type"] == "amendment"]
    stances: dict[tuple[str, int], dict] = {}
    for kind, ids in (("clause", clause_ids), ("amendment", amendment_ids)):
        counted = (
            Comment.objects.filter(**{f"{kind}_id__in": ids})
            .values(f"{kind}_id", "stance")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in counted:
            stances.setdefault((kind, row[f"{kind}_id"]), {})[row["stance"]] = row["n"]
    decided: dict[tuple[str, int], dict] = {}
    for record in CommentDisposition.objects.filter(round=round_).select_related("comment"):
        comment = record.comment
        key = ("clause", comment.clause_id) if comment.clause_id else ("amendment", comment.amendment_id)
        decided.setdefault(key, {}).setdefault(record.disposition, 0)
        decided[key][record.disposition] += 1
    for row in rows:
        key = (row["item"]["type"], row["item"]["id"])
        row["comments"] = {stance: stances.get(key, {}).get(stance, 0) for stance in Stance.values}
        row["dispositions"] = {d: decided.get(key, {}).get(d, 0) for d in Disposition.values}
    named = names_people(round_)
    records = list(CommentDisposition.objects.filter(round=round_).select_related("comment__author"))
    speaking = speaking_for_at((d.comment.author_id, d.comment.created_at) for d in records)
    dispositions = [
        {
            "comment": d.comment_id,
            "on": {"type": "clause", "id": d.comment.clause_id}
            if d.comment.clause_id
            else {"type": "amendment", "id": d.comment.amendment_id},
            "author": d.comment.author.username if named else None,
            "speaking_for": speaking_for_data(speaking.get((d.comment.author_id, d.comment.created_at)), named=named),
            "stance": d.comment.stance,
            "disposition": d.disposition,
            "reason": d.reason,
        }
        for d in records
    ]
    return {
        "draft": round_.draft.slug,
        "round": {
            "id": round_.id,
            "title": round_.title,
            "voting_rule": round_.voting_rule,
            "quorum": round_.quorum,
            "closed_at": round_.closed_at,
            "chatham_house": round_.chatham_house,
        },
        "items": rows,
        "dispositions": dispositions,
    }


def to_json(report: dict) -> bytes:
    return json.dumps(report, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _attribution(item: dict) -> str:
    """Who proposed an item and for whom they spoke: "ana (Brazil, Government)"; under the Chatham
    House rule the group alone: "Government"."""
    name, speaking = item["by"].get("name"), item.get("speaking_for") or {}
    group = speaking.get("stakeholder_group") or item["by"].get("group")
    told = [part for part in (speaking.get("organization"), _group_label(group)) if part]
    if not name:
        return ", ".join(told)
    return f"{name} ({', '.join(told)})" if told else name


def _group_label(group: str | None) -> str:
    return StakeholderGroup(group).label if group in StakeholderGroup.values else ""


def to_csv(report: dict) -> bytes:
    groups = list(StakeholderGroup.values)
    header = ["type", "id", "title", "by", "outcome", "effect", "yes", "no", "abstain"]
    header += [f"{g}_{c}" for g in groups for c in ("yes", "no", "abstain")]
    header += [f"comments_{s}" for s in Stance.values] + [f"disposition_{d}" for d in Disposition.values]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in report["items"]:
        who = _attribution(row["item"])
        tallies = [row["by_group"].get(g, {}).get(c, 0) for g in groups for c in ("yes", "no", "abstain")]
        writer.writerow(
            [
                row["item"]["type"],
                row["item"]["id"],
                row["item"]["title"],
                who,
                row["outcome"],
                row["effect"],
                row["totals"]["yes"],
                row["totals"]["no"],
                row["totals"]["abstain"],
                *tallies,
                *row["comments"].values(),
                *row["dispositions"].values(),
            ]
        )
    return out.getvalue().encode()
