"""What every export format renders: the consolidated text, current or a snapshot, optionally as a
redline against an earlier snapshot."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from ..diff import word_diff
from ..models import BRACKETED_STATUSES, READING_ORDER, ClauseStatus, Draft, Snapshot, number_label


@dataclass
class ExportClause:
    clause_id: int
    number: int
    title: str
    text: str
    html: str
    status: str
    version: int
    # A word diff against the earlier snapshot when a redline was asked for (None: unchanged or no redline).
    redline: list[dict] | None = None
    added: bool = False
    number_suffix: int = 0
    # The number before the snapshot renumbered the draft ("16 bis"); blank when it did not change.
    previous_label: str = ""

    @property
    def label(self) -> str:
        """The number as cited: "16", "16 bis"."""
        return number_label(self.number, self.number_suffix)

    @property
    def cited(self) -> str:
        """The label with the number it had before, where that changed: "17 (was 16 bis)"."""
        return f"{self.label} (was {self.previous_label})" if self.previous_label else self.label

    @property
    def bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES


@dataclass
class ExportSection:
    title: str
    position: int
    clauses: list[ExportClause] = field(default_factory=list)


@dataclass
class ExportDocument:
    draft: Draft
    label: str
    date: datetime
    sections: list[ExportSection]
    redline_label: str | None = None
    removed: list[ExportClause] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.draft.title

    @property
    def filename_stem(self) -> str:
        label = "".join(c if c.isalnum() else "-" for c in self.label).strip("-").lower()
        return f"{self.draft.slug}-{label}"


def build(draft: Draft, *, snapshot: Snapshot | None = None, redline: Snapshot | None = None) -> ExportDocument:
    """The document for ``snapshot`` (or the current text: every clause not rejected or withdrawn)."""
    if snapshot is not None:
        rows = [
            (
                c.clause_id,
                c.section_title,
                c.section_position,
                c.number,
                c.title,
                c.text,
                c.text_html,
                c.status,
                c.version,
                c.number_suffix,
                c.previous_label,
            )
            for c in snapshot.clauses.all()
        ]
        label, date = snapshot.label, snapshot.created_at
    else:
        clauses = (
            draft.clauses.exclude(status__in=(ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN))
            .select_related("section")
            .order_by(*READING_ORDER)
        )
        rows = [
            (
                c.id,
                c.section.title,
                c.section.position,
                c.number,
                c.title,
                c.text,
                c.text_html,
                c.status,
                c.version,
                c.number_suffix,
                "",
            )
            for c in clauses
        ]
        label, date = "Current text", _last_change(draft)
    before = {c.clause_id: c for c in redline.clauses.all()} if redline is not None else {}
    sections: list[ExportSection] = []
    for clause_id, section_title, position, number, title, text, html, status, version, suffix, was in rows:
        if not sections or (sections[-1].title, sections[-1].position) != (section_title, position):
            sections.append(ExportSection(title=section_title, position=position))
        item = ExportClause(
            clause_id, number, title, text, html, status, version, number_suffix=suffix, previous_label=was
        )
        if redline is not None:
            old = before.get(clause_id)
            if old is None:
                item.added = True
                item.redline = [{"op": "insert", "text": text}]
            elif old.text != text:
                item.redline = word_diff(old.text, text)
            if old is not None:  # against an earlier snapshot, "was" is the number it had there
                item.previous_label = old.label if old.label != item.label else ""
        sections[-1].clauses.append(item)
    document = ExportDocument(draft=draft, label=label, date=date, sections=sections)
    if redline is not None:
        document.redline_label = redline.label
        present = {c.clause_id for s in sections for c in s.clauses}
        document.removed = [
            ExportClause(
                c.clause_id,
                c.number,
                c.title,
                c.text,
                c.text_html,
                c.status,
                c.version,
                redline=[{"op": "delete", "text": c.text}],
                number_suffix=c.number_suffix,
            )
            for c in redline.clauses.all()
            if c.clause_id not in present
        ]
    return document


def _last_change(draft: Draft) -> datetime:
    """When the current text last changed (any clause, or the draft itself): the date it is "as of"."""
    latest = draft.clauses.aggregate(latest=Max("updated_at"))["latest"]
    return max(filter(None, [latest, draft.updated_at])) if (latest or draft.updated_at) else timezone.now()
