"""JSON with everything needed to rebuild the draft on another installation, history included.

Every file carries the document (its identity, each clause with its paragraph reference and, for a
redline, what changed and who changed it). An export of the current text made for a moderator
(``render_with_record``) also carries the record: clauses out of the text, snapshots, rounds,
amendments, comments with their dispositions, votes, results and co-sponsorships, each person by
username, so ``imports.draft_import_json`` brings it all back. Ids in the file are the exporting
installation's, used only to link the parts of the file together.

Exported, imported and exported again, the file is the same but for what belongs to one
installation: the ids, the draft's address (slug), and, in the importing installation's own
history, the import itself (the importer's moderator role, the placeholder accounts it made, the
organizations it matched or made). People are written as the file they came from recorded them (a
placeholder account by the name it stands for), with what they spoke for; a symbol is written as
stored. The format itself (its version, how moments are written, what an import accepts) is
declared in ``schema.py``.
"""

from django.db.models import Q

from accounts.selectors import SpeakingFor, speaking_for_data

from ..models import (
    Amendment,
    Clause,
    Comment,
    CommentDisposition,
    ItemResult,
    Round,
    Snapshot,
    SnapshotClause,
    Vote,
    number_label,
)
from ..naming import Naming, changed_by, recorded_name
from .data_cosponsors import cosponsorships_record
from .schema import FORMAT, FORMAT_VERSION, encode


def _name(user) -> str | None:
    return _as_recorded(user.username) if user is not None else None


def _as_recorded(username: str | None) -> str | None:
    """A person as a file names them: by user name, but a placeholder an import made by the name the
    imported file recorded, so the next import records that name again (not "x (imported, draft 7)
    (imported, draft 9)") and the file reads the same from either installation."""
    return recorded_name(username) or username


def _history(ids: list[int]) -> dict[int, list[dict]]:
    """Each clause's versions in order, each with who made it (a username, or the name another
    installation recorded) and when; a change made in a Chatham House round by the stakeholder
    group only (``drafting.naming``: a file is read by anyone it reaches)."""
    rows: dict[int, list] = {}
    draft_id = None
    for record in (
        Clause.history.filter(id__in=ids)
        .select_related("history_user", "recorded_for")
        .order_by("history_date", "history_id")
    ):
        rows.setdefault(record.id, []).append(record)
        draft_id = record.draft_id
    naming = Naming(None, draft_id).rounds()
    # Who made each change spoke for an organization then: asked for the whole history at once.
    naming.load((h.history_user_id, h.history_date) for records in rows.values() for h in records)

    return {
        clause_id: [
            {
                "version": h.version,
                "number": h.number,
                "number_suffix": h.number_suffix,
                "preambular": h.preambular,
                "label": number_label(h.number, h.number_suffix),
                "title": h.title,
                "text": h.text,
                "status": h.status,
                "changed_by": (who := changed_by(naming, h)).recorded or who.name,
                "speaking_for": who.data(),
                # In full, so an import can make it where no organization has that name.
                "organization": None if who.withheld or who.chair else _organization(_spoken_for(who)),
                "changed_at": h.history_date,
                "reason": h.history_change_reason,
            }
            for h in records
        ]
        for clause_id, records in rows.items()
    }


def _clause(c, rationale: str, history: list[dict], *, redline: bool) -> dict:
    entry = {
        "id": c.clause_id,
        "ref": c.ref,
        "preambular": c.preambular,
        "number": c.number,
        "number_suffix": c.number_suffix,
        "label": c.label,
        "previous_label": c.previous_label,
        "cited": c.cited,
        "title": c.title,
        "text": c.text,
        "status": c.status,
        "status_words": c.status_words,
        "version": c.version,
        "rationale": rationale,
        "history": [h for h in history if h["version"] <= c.version],
    }
    if redline:
        entry.update(
            {
                "changes": c.changes,
                "redline": c.redline,
                "previous_status": c.previous_status,
                "changed_by": c.changed_by,
                "changed_at": c.changed_at,
            }
        )
    return entry


def payload(document) -> dict:
    """The document as the JSON file holds it (no record)."""
    draft = document.draft
    redline = document.redline_label is not None
    ids = [c.clause_id for s in document.sections for c in s.clauses] + [c.clause_id for c in document.removed]
    rationale = dict(Clause.objects.filter(pk__in=ids).values_list("pk", "rationale"))
    history = _history(ids)
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "draft": {
            "title": draft.title,
            "slug": draft.slug,
            "summary": draft.summary,
            "visibility": draft.visibility,
            # As stored (``new_draft`` stores every new draft's); a draft with none stored writes none.
            "symbol": draft.symbol,
            "original_language": draft.original_language,
            "distribution": draft.distribution,
            "issuing_body": draft.issuing_body,
            "chair": draft.chair,
            "created_at": draft.created_at,
            "updated_at": draft.updated_at,
        },
        "document": {
            "title": document.title,
            "symbol": document.symbol,
            "full_symbol": document.full_symbol,
            "revision": document.revision,
            "rev": document.rev,
            "stage": document.stage,
            "date": document.date,
            "distribution": document.distribution,
            "original_language": document.language,
            "issuing_body": document.issuing_body,
            "kind": document.kind,
            "edition": document.edition,
            "notice": document.notice,
            "redline_against": (
                {"revision": document.redline_revision, "label": document.redline_label, "date": document.redline_date}
                if redline
                else None
            ),
        },
        "label": document.label,
        "date": document.date,
        "sections": [
            {
                "title": section.title,
                "position": section.position,
                "kind": section.kind,
                "numeral": section.numeral,
                "heading": section.heading,
                "clauses": [
                    _clause(c, rationale.get(c.clause_id, ""), history.get(c.clause_id, []), redline=redline)
                    for c in section.clauses
                ],
            }
            for section in document.sections
        ],
    }
    if redline:
        data["removed"] = [
            _clause(c, rationale.get(c.clause_id, ""), history.get(c.clause_id, []), redline=True)
            for c in document.removed
        ]
    return data


def render(document) -> bytes:
    return encode(payload(document))


def render_with_record(document) -> bytes:
    """The current text with the draft's record (``keeps_record`` in jobs.py says who may have it:
    it names hidden comments and each person's votes)."""
    data = payload(document)
    data["record"] = record(document.draft, in_text={c["id"] for s in data["sections"] for c in s["clauses"]})
    return encode(data)


def _organization(organization) -> dict | None:
    if organization is None:
        return None
    return {
        "name": organization.name,
        "stakeholder_group": organization.stakeholder_group,
        "country": organization.country,
    }


def _spoken_for(named):
    return named.speaking_for.organization if named.speaking_for is not None else None


def _item(row) -> dict:
    return {"clause": row.clause_id, "amendment": row.amendment_id}


def record(draft, *, in_text: set[int]) -> dict:
    """Everything the draft holds besides its current text, in the order it happened."""
    outside = list(
        Clause.objects.filter(draft=draft)
        .exclude(pk__in=in_text)
        .select_related("section", "proposer")
        .order_by("section__position", "section_id", "number", "number_suffix")
    )
    history = _history([c.pk for c in outside])
    proposers = dict(Clause.objects.filter(draft=draft).values_list("pk", "proposer__username").order_by("pk"))
    by_the_chair = set(Clause.objects.filter(draft=draft, proposed_as_chair=True).values_list("pk", flat=True))
    # Each clause's round and its proponent's co-sponsorship setting, in one read.
    owned = Clause.objects.filter(draft=draft).values_list("pk", "round_id", "cosponsorship").order_by("pk")
    rounds_of, admissions = {}, {}
    for clause_id, round_id, admission in owned:
        rounds_of[clause_id], admissions[clause_id] = round_id, admission
    snapshots = list(Snapshot.objects.filter(draft=draft).select_related("created_by").order_by("revision"))
    frozen: dict[int, list] = {}
    for row in SnapshotClause.objects.filter(snapshot__draft=draft).order_by(
        "snapshot_id", "section_position", "number", "number_suffix", "id"
    ):
        frozen.setdefault(row.snapshot_id, []).append(row)
    amendments = list(
        Amendment.objects.filter(clause__draft=draft)
        .select_related("author", "organization")
        .order_by("created_at", "id")
    )
    comments = (
        Comment.objects.filter(Q(clause__draft=draft) | Q(amendment__clause__draft=draft))
        .select_related("author", "hidden_by", "disposition__decided_by")
        .order_by("created_at", "id")
    )
    votes = Vote.objects.filter(round__draft=draft).select_related("voter", "organization").order_by("created_at", "id")
    naming = _Pseudonyms(draft)
    return {
        "clause_owners": [
            {
                "clause": clause_id,
                # The Chair's act names the Chair, never the moderator who held its pen (whose
                # own acts in a Chatham House round the record tells by a number only).
                "proposer": None
                if clause_id in by_the_chair
                else naming.name(proposers.get(clause_id), round_id=rounds_of.get(clause_id)),
                "as_chair": clause_id in by_the_chair,
                "round": rounds_of.get(clause_id),
                "cosponsorship": admissions[clause_id],
            }
            for clause_id in sorted(rounds_of)
        ],
        "clauses_out_of_text": [
            {
                "id": c.pk,
                "section": {"title": c.section.title, "position": c.section.position, "kind": c.section.kind},
                "ref": c.ref,
                "preambular": c.preambular,
                "number": c.number,
                "number_suffix": c.number_suffix,
                "label": c.label,
                "title": c.title,
                "text": c.text,
                "status": c.status,
                "version": c.version,
                "rationale": c.rationale,
                "history": history.get(c.pk, []),
            }
            for c in outside
        ],
        "rounds": [
            {
                "id": r.pk,
                "title": r.title,
                "phase": r.phase,
                "voting_rule": r.voting_rule,
                "counting": r.counting,
                "quorum": r.quorum,
                "eligible_groups": r.eligible_groups,
                "hide_tallies_until_close": r.hide_tallies_until_close,
                "chatham_house": r.chatham_house,
                "opens_at": r.opens_at,
                "voting_opens_at": r.voting_opens_at,
                "closes_at": r.closes_at,
                "opened_at": r.opened_at,
                "closing_notice_at": r.closing_notice_at,
                "voting_started_at": r.voting_started_at,
                "closed_at": r.closed_at,
                "created_by": _name(r.created_by),
                "created_at": r.created_at,
            }
            for r in Round.objects.filter(draft=draft).select_related("created_by").order_by("created_at", "id")
        ],
        "snapshots": [
            {
                "id": s.pk,
                "label": s.label,
                "revision": s.revision,
                "rev": s.rev,
                "round": s.round_id,
                "created_by": _name(s.created_by),
                "created_at": s.created_at,
                "identity": s.identity,
                "clauses": [
                    {
                        "clause": c.clause_id,
                        "section_title": c.section_title,
                        "section_position": c.section_position,
                        "section_kind": c.section_kind,
                        "number": c.number,
                        "number_suffix": c.number_suffix,
                        "ref": c.ref,
                        "previous_label": c.previous_label,
                        "title": c.title,
                        "text": c.text,
                        "status": c.status,
                        "version": c.version,
                        "rationale": c.rationale,
                    }
                    for c in frozen.get(s.pk, [])
                ],
            }
            for s in snapshots
        ],
        "amendments": [
            {
                "id": a.pk,
                "clause": a.clause_id,
                "round": a.round_id,
                "kind": a.kind,
                "text": a.text,
                "rationale": a.rationale,
                "base_version": a.base_version,
                "base_text": a.base_text,
                "status": a.status,
                "author": None if a.as_chair else naming.name(a.author.username, round_id=a.round_id),
                "as_chair": a.as_chair,
                "speaking_for": speaking_for_data(
                    SpeakingFor.of(a.organization), named=not naming.withheld(round_id=a.round_id), chair=a.as_chair
                ),
                "organization": None
                if a.as_chair or naming.withheld(round_id=a.round_id)
                else _organization(a.organization),
                "cosponsorship": a.cosponsorship,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
            for a in amendments
        ],
        "comments": [
            {
                "id": c.pk,
                **_item(c),
                "parent": c.parent_id,
                "author": None if c.as_chair else naming.name(c.author.username, when=c.created_at),
                "as_chair": c.as_chair,
                "body": c.body,
                "stance": c.stance,
                "quote": c.quote,
                "created_at": c.created_at,
                "edited_at": c.edited_at,
                "hidden": c.hidden,
                "hidden_reason": c.hidden_reason,
                "hidden_by": _name(c.hidden_by),
                "hidden_at": c.hidden_at,
                "disposition": _disposition(c),
            }
            for c in comments
        ],
        "votes": [
            {
                "round": v.round_id,
                **_item(v),
                "choice": v.choice,
                "voter": _name(v.voter),
                "organization": _organization(v.organization),
                "stakeholder_group": v.stakeholder_group,
                "created_at": v.created_at,
                "updated_at": v.updated_at,
            }
            for v in votes
            # A Chatham House round's votes are told by its results, per group, never vote by vote.
            if not naming.withheld(round_id=v.round_id)
        ],
        "results": [
            {
                "round": r.round_id,
                **_item(r),
                "outcome": r.outcome,
                "yes": r.yes,
                "no": r.no,
                "abstain": r.abstain,
                "by_group": r.by_group,
                "effect": r.effect,
                "reason": r.reason,
                # The paragraph's number as the ballot cited it, before the close's revision renumbered it.
                "cited_number": r.cited_number,
                "cited_suffix": r.cited_suffix,
            }
            for r in ItemResult.objects.filter(round__draft=draft).order_by("round_id", "id")
        ],
        "cosponsorships": cosponsorships_record(draft, naming.withheld, rounds_of, amendments),
    }


class _Pseudonyms:
    """People of the record as a file may name them: by user name, but for acts in a Chatham House
    round (``drafting.naming``), where each person is "participant N" instead, numbered in the
    order they first appear, the same number for each of their acts in this file, so the record
    keeps its shape (one vote per voter) and imports again, and names no one."""

    def __init__(self, draft):
        self.naming = Naming(None, draft.pk, chair=draft.chair_name).rounds()
        self.numbers: dict[str, str] = {}

    def withheld(self, *, round_id=None, when=None) -> bool:
        return self.naming.under_chatham_house(when, round_id)

    def name(self, username: str | None, *, round_id=None, when=None) -> str | None:
        if username is None or not self.withheld(round_id=round_id, when=when):
            return _as_recorded(username)
        if username not in self.numbers:
            self.numbers[username] = f"participant {len(self.numbers) + 1}"
        return self.numbers[username]


def _disposition(comment) -> dict | None:
    try:
        disposition = comment.disposition
    except CommentDisposition.DoesNotExist:
        return None
    return {
        "round": disposition.round_id,
        "disposition": disposition.disposition,
        "reason": disposition.reason,
        "decided_by": _name(disposition.decided_by),
        "updated_at": disposition.updated_at,
    }
