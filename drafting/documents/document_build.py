"""The document every export format renders (``document.ExportDocument``), read from the draft: its
current text or a snapshot's, and against an earlier snapshot each paragraph's changes and who made
them."""

from datetime import datetime

from django.db.models import Max, Q
from django.utils import timezone

from ..diff import with_brackets, word_diff
from ..models import (
    OUT_OF_THE_TEXT,
    READING_ORDER,
    Clause,
    Draft,
    SectionKind,
    SectionNumerals,
    Snapshot,
    paragraph_ref,
)
from ..naming import Naming
from ..naming import changed_by as version_author  # ``changed_by`` names a field here
from .document import ExportClause, ExportDocument, ExportSection


def build(draft: Draft, *, snapshot: Snapshot | None = None, redline: Snapshot | None = None) -> ExportDocument:
    """The document for ``snapshot`` (or the current text: every clause not rejected or withdrawn)."""
    rationale: dict[int, str] = {}
    if snapshot is not None:
        frozen = list(snapshot.clauses.all())
        rows = [
            (
                c.clause_id,
                c.section_title,
                c.section_position,
                c.section_kind,
                c.number,
                c.title,
                c.text,
                c.text_html,
                c.status,
                c.version,
                c.number_suffix,
                c.previous_label,
            )
            for c in frozen
        ]
        label, date = snapshot.label, snapshot.created_at
        # Its sources as frozen with it: a revision's footnotes never change.
        rationale = {c.clause_id: c.rationale for c in frozen}
    else:
        clauses = draft.clauses.exclude(status__in=OUT_OF_THE_TEXT).select_related("section").order_by(*READING_ORDER)
        rows = []
        for c in clauses:
            rationale[c.id] = c.rationale
            rows.append(
                (
                    c.id,
                    c.section.title,
                    c.section.position,
                    c.section.kind,
                    c.number,
                    c.title,
                    c.text,
                    c.text_html,
                    c.status,
                    c.version,
                    c.number_suffix,
                    "",
                )
            )
        label, date = "Current text", _last_change(draft)
    # The Chair's paragraphs: the Chair proposed them, or no one did (the zero draft as loaded).
    chairs = set(
        Clause.objects.filter(pk__in=list(rationale))
        .filter(Q(proposed_as_chair=True) | Q(proposer__isnull=True))
        .values_list("pk", flat=True)
    )
    before = {c.clause_id: c for c in redline.clauses.all()} if redline is not None else {}
    sections: list[ExportSection] = []
    numerals = SectionNumerals()
    for clause_id, s_title, position, kind, number, title, text, html, status, version, suffix, was in rows:
        if not sections or (sections[-1].title, sections[-1].position) != (s_title, position):
            numeral = numerals.next(kind == SectionKind.PREAMBLE)
            sections.append(ExportSection(title=s_title, position=position, kind=kind, numeral=numeral))
        item = ExportClause(
            clause_id,
            number,
            title,
            text,
            html,
            status,
            version,
            number_suffix=suffix,
            previous_label=was,
            preambular=kind == SectionKind.PREAMBLE,
            rationale=rationale.get(clause_id, ""),
            chairs=clause_id in chairs,
        )
        if redline is not None:
            _compare(item, before.get(clause_id), sections[-1], redline)
        sections[-1].clauses.append(item)
    document = ExportDocument(
        draft=draft,
        label=label,
        date=date,
        sections=sections,
        revision=snapshot.revision if snapshot is not None else None,
        identity=snapshot.identity if snapshot is not None else {},
    )
    if redline is not None:
        document.redline_label, document.redline_revision = redline.label, redline.revision
        document.redline_date = redline.created_at
        present = {c.clause_id for s in sections for c in s.clauses}
        for c in redline.clauses.all():
            document.older.append((c.section_title, c.section_kind, _as_it_was(c, rationale.get(c.clause_id, ""))))
            if c.clause_id in present:
                continue
            gone = _as_it_was(c)
            gone.previous_status, gone.changes = c.status, [{"kind": "removed"}]
            gone.redline = [{"op": "delete", "text": f"[{c.text}]" if c.is_bracketed else c.text}]
            document.removed.append(gone)
        _attribute(document, since=redline.created_at, until=None if snapshot is None else snapshot.created_at)
    return document


def _as_it_was(c, rationale: str = "") -> ExportClause:
    """A paragraph of an earlier snapshot (a ``SnapshotClause``) as that text had it."""
    return ExportClause(
        c.clause_id,
        c.number,
        c.title,
        c.text,
        c.text_html,
        c.status,
        c.version,
        number_suffix=c.number_suffix,
        preambular=c.preambular,
        rationale=rationale,
    )


def _compare(item: ExportClause, old, section: ExportSection, redline: Snapshot) -> None:
    """Fill in the clause's changes against the earlier snapshot's copy ``old`` (None: it is new)."""
    if old is None:
        item.added = True
        item.previous_label = ""  # a number it had only in a working text was never circulated
        item.changes.append({"kind": "added"})
        # A new paragraph comes with its brackets: rejecting the insertion leaves no stray "[]".
        item.redline = [{"op": "insert", "text": f"[{item.text}]" if item.bracketed else item.text}]
        return
    # Against an earlier snapshot, "was" is the reference it had there.
    item.previous_label = old.label if (old.label, old.preambular) != (item.label, item.preambular) else ""
    if item.previous_label:
        old_ref = paragraph_ref(old.number, old.number_suffix, preambular=old.preambular)
        item.previous_label = old.label
        item.changes.append({"kind": "renumbered", "from": old_ref, "to": item.ref})
    if (old.section_title, old.section_kind) != (section.title, section.kind):
        item.changes.append({"kind": "moved", "from": old.section_title, "to": section.title})
    text_changed = old.text != item.text
    if text_changed:
        item.changes.append({"kind": "text"})
    if old.status != item.status:
        item.previous_status = old.status
        item.changes.append({"kind": "status", "from": old.status, "to": item.status})
    if text_changed or old.is_bracketed != item.bracketed:
        ops = word_diff(old.text, item.text) if text_changed else [{"op": "equal", "text": item.text}]
        # Exact: applying the inserts gives the new text, the deletes the old one, word for word (a
        # DOCX's "Accept all" and "Reject all"); readers' formats space them when shown (``spaced``).
        item.redline = with_brackets(ops, old.is_bracketed, item.bracketed)


def _attribute(document: ExportDocument, *, since: datetime, until: datetime | None) -> None:
    """Name who made each clause's latest change between the two texts, and when, as the person
    and the delegation they spoke for then ("ana, Brazil (Government)"): a tracked change's author."""
    changed = {c.clause_id: c for s in document.sections for c in s.clauses if c.changes}
    changed.update({c.clause_id: c for c in document.removed})
    if not changed:
        return
    records = Clause.history.filter(id__in=list(changed), history_date__gt=since).select_related(
        "history_user", "recorded_for"
    )
    if until is not None:
        records = records.filter(history_date__lte=until)
    latest = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.id] = record
    # A file is read by anyone it reaches: a change made in a Chatham House round is credited to the
    # stakeholder group only (``drafting.naming``).
    naming = Naming(None, document.draft.pk, chair=document.chair_name).rounds()
    naming.load((r.history_user_id, r.history_date) for r in latest.values())
    for clause_id, record in latest.items():
        # An imported row is named by the same rule (as imported, with its delegation, or the Chair's).
        changed[clause_id].changed_by = version_author(naming, record).label or document.issuing_body
        changed[clause_id].changed_at = record.history_date
    for clause in changed.values():
        if not clause.changed_by:
            clause.changed_by, clause.changed_at = document.issuing_body, document.date


def _last_change(draft: Draft) -> datetime:
    """When the current text last changed (any clause, or the draft itself): the date it is "as of"."""
    latest = draft.clauses.aggregate(latest=Max("updated_at"))["latest"]
    return max(filter(None, [latest, draft.updated_at])) if (latest or draft.updated_at) else timezone.now()
