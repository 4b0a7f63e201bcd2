"""The consultation report of a closed round, as JSON and CSV."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count

from accounts.models import StakeholderGroup

from .. import selectors
from ..models import Comment, CommentDisposition, Disposition, Round, RoundPaper, Stance
from ..naming import Naming, comment_author
from . import papers


def items(round_: Round) -> dict:
    """What the report says of the round as it closed, frozen then (``papers``): the round, and its
    items with outcome, tallies per group, the paragraph as the ballot cited it, and the comments
    made on each by stance up to the close."""
    rows = selectors.closed_round_rows(round_)
    clause_ids = [r["item"]["id"] for r in rows if r["item"]["type"] == "clause"]
    amendment_ids = [r["item"]["id"] for r in rows if r["item"]["type"] == "amendment"]
    stances: dict[tuple[str, int], dict] = {}
    for kind, ids in (("clause", clause_ids), ("amendment", amendment_ids)):
        counted = (
            Comment.objects.filter(**{f"{kind}_id__in": ids}, created_at__lte=round_.closed_at)
            .values(f"{kind}_id", "stance")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in counted:
            stances.setdefault((kind, row[f"{kind}_id"]), {})[row["stance"]] = row["n"]
    for row in rows:
        key = (row["item"]["type"], row["item"]["id"])
        row["comments"] = {stance: stances.get(key, {}).get(stance, 0) for stance in Stance.values}
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
    }


def build(round_: Round) -> dict:
    """The report of a closed round: its items as frozen at the close, and the dispositions of its
    comments, which the moderators record during the round and after it (the caller has checked
    that the reader may see the report)."""
    frozen = papers.paper(round_, RoundPaper.Kind.REPORT)
    records = list(CommentDisposition.objects.filter(round=round_).select_related("comment__author"))
    decided: dict[tuple[str, int], dict] = {}
    for record in records:
        comment = record.comment
        key = ("clause", comment.clause_id) if comment.clause_id else ("amendment", comment.amendment_id)
        decided.setdefault(key, {}).setdefault(record.disposition, 0)
        decided[key][record.disposition] += 1
    rows = frozen["items"]
    for row in rows:
        key = (row["item"]["type"], row["item"]["id"])
        row["dispositions"] = {d: decided.get(key, {}).get(d, 0) for d in Disposition.values}
    naming = Naming.published(round_.draft_id, known=[round_])
    naming.load((d.comment.author_id, d.comment.created_at) for d in records)
    dispositions = []
    for d in records:
        comment = d.comment
        named = comment_author(naming, comment, round_id=round_.id)
        dispositions.append(
            {
                "comment": d.comment_id,
                "on": {"type": "clause", "id": comment.clause_id}
                if comment.clause_id
                else {"type": "amendment", "id": comment.amendment_id},
                "author": named.name,
                "who": named.label,
                "speaking_for": named.data(),
                "stance": comment.stance,
                "disposition": d.disposition,
                "reason": d.reason,
            }
        )
    return {"draft": frozen["draft"], "round": frozen["round"], "items": rows, "dispositions": dispositions}


def filename(round_: Round, fmt: str) -> str:
    """ "code-of-conduct-round-3-report.csv"."""
    return f"{round_.draft.slug}-round-{round_.id}-report.{fmt}"


def to_json(report: dict) -> bytes:
    return json.dumps(report, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def to_csv(report: dict) -> bytes:
    groups = list(StakeholderGroup.values)
    header = ["type", "id", "title", "by", "outcome", "reason", "effect", "yes", "no", "abstain"]
    header += [f"{g}_{c}" for g in groups for c in ("yes", "no", "abstain")]
    header += [f"comments_{s}" for s in Stance.values] + [f"disposition_{d}" for d in Disposition.values]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in report["items"]:
        who = row["item"]["who"]
        tallies = [row["by_group"].get(g, {}).get(c, 0) for g in groups for c in ("yes", "no", "abstain")]
        writer.writerow(
            [
                row["item"]["type"],
                row["item"]["id"],
                row["item"]["title"],
                who,
                row["outcome"],
                row["reason"],
                row["effect"],
                row["totals"]["yes"],
                row["totals"]["no"],
                row["totals"]["abstain"],
                *tallies,
                # By name: a paper read back from PostgreSQL's jsonb keeps no order of keys.
                *(row["comments"].get(stance, 0) for stance in Stance.values),
                *(row["dispositions"].get(d, 0) for d in Disposition.values),
            ]
        )
    return out.getvalue().encode()
