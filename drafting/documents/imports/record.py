"""Writing the file's record (``plan.RecordPlan``, checked): its rounds, before the clauses that
name them, then its snapshots, amendments, comments with their dispositions, votes and results,
each kind in bulk with the dates the file gives and, for a model with history, a first history row
dated when the object was made. Ids in the file become the rows written here."""

from codeofconduct.errors import InvalidInput
from codeofconduct.history import pending_history, write_with_history

from ...markdown import render_markdown
from ...models import (
    Amendment,
    Comment,
    CommentDisposition,
    Cosponsorship,
    Counting,
    Draft,
    ItemResult,
    Round,
    Snapshot,
    SnapshotClause,
    Vote,
)
from ..schema import AMENDMENT, COMMENT, COSPONSORSHIP, DISPOSITION, RESULT, ROUND, SNAPSHOT, SNAPSHOT_CLAUSE, VOTE
from .plan import RecordPlan
from .writing import Organizations, People


def as_recorded(model, objs: list, dates: list, authors: list, *, reason: str, updated: list | None = None) -> None:
    """Write ``objs`` with the dates the file gives (``auto_now_add`` and ``auto_now`` stamp now, so
    the dates are set after the insert) and, for a model with history, a first history row dated
    when the object was created."""
    model.objects.bulk_create(objs)
    fields = [name for name in ("created_at", "updated_at") if hasattr(model, name)]
    for obj, created, changed in zip(objs, dates, updated or [None] * len(objs), strict=True):
        if created is not None and "created_at" in fields:
            obj.created_at = created
        if changed is not None:
            obj.updated_at = changed
    write_with_history(model, objs, [], fields=fields)
    if hasattr(model, "history"):
        model.history.bulk_history_create(
            [
                pending_history(obj, by=author, reason=reason, when=getattr(obj, "created_at", None) or obj.updated_at)
                for obj, author in zip(objs, authors, strict=True)
            ]
        )


def write_rounds(draft: Draft, rounds: list[dict], people: People) -> dict:
    """The record's rounds, ``{the file's round id: round}``."""
    made, objs, dates, authors = {}, [], [], []
    for item in rounds:
        author = people.person(item["created_by"], f"{item['path']}.created_by")
        round_ = Round(draft=draft, created_by=author, **ROUND.columns(item))
        made[item["id"]] = round_
        objs.append(round_)
        dates.append(item["created_at"])
        authors.append(author)
    as_recorded(Round, objs, dates, authors, reason="Round created")
    return made


def write_record(
    draft: Draft, record: RecordPlan, clauses: dict, rounds: dict, people: People, organization: Organizations
) -> None:
    """The snapshots, amendments, comments, dispositions, votes, results and co-sponsorships of the
    file's record."""
    _snapshots(draft, record.snapshots, clauses, rounds, people)
    amendments = _amendments(record.amendments, clauses, rounds, people, organization)
    on = {"clause": clauses, "amendment": amendments}
    _comments(record.comments, on, rounds, people)
    _votes(record.votes, on, rounds, people, organization)
    _cosponsorships(record.cosponsorships, on, people, organization)
    ItemResult.objects.bulk_create(
        [
            ItemResult(round=rounds[item["round"]], **_subject(item, on), **RESULT.columns(item))
            for item in record.results
        ]
    )


def _subject(item: dict, on: dict) -> dict:
    """What a comment, vote or result is on: ``clause`` or ``amendment``, the other None."""
    name, file_id = item["on"]
    return {"clause": None, "amendment": None, name: on[name][file_id]}


def _snapshots(draft: Draft, items: list[dict], clauses: dict, rounds: dict, people: People) -> None:
    """Snapshots: frozen as they were, with their Rev.N and dates."""
    snapshots, dates, frozen = [], [], []
    for item in items:
        creator = item["created_by"]
        snapshot = Snapshot(
            draft=draft,
            round=None if item["round"] is None else rounds[item["round"]],
            created_by=people.person(creator, f"{item['path']}.created_by") if creator else None,
            identity=_identity(item["identity"], draft),
            **SNAPSHOT.columns(item),
        )
        snapshots.append(snapshot)
        dates.append(item["created_at"])
        for row in item["clauses"]:
            frozen.append(
                (
                    snapshot,
                    SnapshotClause(
                        clause=clauses[row["clause"]],
                        text_html=render_markdown(row["text"]),
                        **SNAPSHOT_CLAUSE.columns(row),
                    ),
                )
            )
    as_recorded(Snapshot, snapshots, dates, [None] * len(snapshots), reason="")
    for snapshot, row in frozen:
        row.snapshot = snapshot
    SnapshotClause.objects.bulk_create([row for _, row in frozen])


def _identity(identity: dict, draft: Draft) -> dict:
    """The identity a snapshot was circulated under (``Snapshot.IDENTITY``), as the file recorded it;
    a symbol another draft holds here is replaced by this draft's, so no paper prints another's."""
    symbol = identity.get("document_symbol")
    if symbol and symbol != draft.document_symbol and Draft.objects.exclude(pk=draft.pk).filter(symbol=symbol).exists():
        identity["document_symbol"] = draft.document_symbol
    return identity


def _amendments(items: list[dict], clauses: dict, rounds: dict, people: People, organization: Organizations) -> dict:
    made, objs, dates, authors, changed = {}, [], [], [], []
    for item in items:
        author = people.author(item, f"{item['path']}.author")
        amendment = Amendment(
            clause=clauses[item["clause"]],
            round=rounds[item["round"]],
            author=author,
            organization=organization(item["organization"], f"{item['path']}.organization"),
            **AMENDMENT.columns(item),
        )
        made[item["id"]] = amendment
        objs.append(amendment)
        dates.append(item["created_at"])
        changed.append(item["updated_at"])
        authors.append(author)
    as_recorded(Amendment, objs, dates, authors, reason="Amendment submitted", updated=changed)
    return made


def _comments(generations: list[list[dict]], on: dict, rounds: dict, people: People) -> None:
    """Comments in generations, so a reply's parent is written before it; then their dispositions."""
    made, dispositions = {}, []
    for generation in generations:
        objs, dates, authors = [], [], []
        for item in generation:
            author = people.author(item, f"{item['path']}.author")
            hidden_by = item["hidden_by"]
            comment = Comment(
                **_subject(item, on),
                parent=made.get(item["parent"]),
                author=author,
                hidden_by=people.person(hidden_by, f"{item['path']}.hidden_by") if hidden_by else None,
                **COMMENT.columns(item),
            )
            made[item["id"]] = comment
            objs.append(comment)
            dates.append(item["created_at"])
            authors.append(author)
            if item["disposition"] is not None:
                dispositions.append((item["disposition"], comment))
        as_recorded(Comment, objs, dates, authors, reason="Comment posted")
    objs, dates, authors = [], [], []
    for item, comment in dispositions:
        decided_by = people.person(item["decided_by"], f"{item['path']}.decided_by")
        objs.append(
            CommentDisposition(
                comment=comment, round=rounds[item["round"]], decided_by=decided_by, **DISPOSITION.columns(item)
            )
        )
        dates.append(item["updated_at"])
        authors.append(decided_by)
    as_recorded(CommentDisposition, objs, [None] * len(objs), authors, reason="Disposition recorded", updated=dates)


def _votes(items: list[dict], on: dict, rounds: dict, people: People, organization: Organizations) -> None:
    objs, dates, authors, changed = [], [], [], []
    for item in items:
        path = item["path"]
        voter = people.person(item["voter"], f"{path}.voter")
        spoke_for = organization(item["organization"], f"{path}.organization")
        group = item["stakeholder_group"]
        if group != spoke_for.stakeholder_group:
            raise InvalidInput(
                f"{path}.stakeholder_group: {group}, but the vote's organization, {spoke_for.name},"
                f" is {spoke_for.stakeholder_group}.",
                field="file",
            )
        objs.append(
            Vote(
                round=rounds[item["round"]],
                voter=voter,
                organization=spoke_for,
                for_delegation=rounds[item["round"]].counting == Counting.PER_DELEGATION,
                **_subject(item, on),
                **VOTE.columns(item),
            )
        )
        dates.append(item["created_at"])
        changed.append(item["updated_at"])
        authors.append(voter)
    as_recorded(Vote, objs, dates, authors, reason="Vote cast", updated=changed)


def _cosponsorships(items: list[dict], on: dict, people: People, organization: Organizations) -> None:
    """Co-sponsorships, each with the member who acted for its delegation and the one who decided."""
    objs, dates, authors, changed = [], [], [], []
    for item in items:
        path, decided_by = item["path"], item["decided_by"]
        requested_by = people.person(item["requested_by"], f"{path}.requested_by")
        objs.append(
            Cosponsorship(
                **_subject(item, on),
                organization=organization(item["organization"], f"{path}.organization"),
                requested_by=requested_by,
                decided_by=people.person(decided_by, f"{path}.decided_by") if decided_by else None,
                **COSPONSORSHIP.columns(item),
            )
        )
        dates.append(item["created_at"])
        changed.append(item["updated_at"])
        authors.append(requested_by)
    as_recorded(Cosponsorship, objs, dates, authors, reason="Co-sponsored", updated=changed)
