"""Snapshots: immutable consolidated drafts, made by closing a round or by a moderator."""

from django.db import IntegrityError, transaction

from accounts.models import User
from codeofconduct.errors import InvalidInput

from .. import rules
from ..models import Clause, ClauseStatus, Draft, Round, Snapshot, SnapshotClause
from .common import clean_text


def _freeze(draft: Draft, *, label: str, by: User | None, round_: Round | None) -> Snapshot:
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(draft=draft, label=label, round=round_, created_by=by)
    except IntegrityError as exc:
        raise InvalidInput(f"This draft already has a snapshot labelled “{label}”.", field="label") from exc
    clauses = (
        Clause.objects.filter(draft=draft)
        .exclude(status__in=(ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN))
        .select_related("section")
    )
    SnapshotClause.objects.bulk_create(
        SnapshotClause(
            snapshot=snapshot,
            clause=c,
            section_title=c.section.title,
            section_position=c.section.position,
            number=c.number,
            title=c.title,
            text=c.text,
            text_html=c.text_html,
            status=c.status,
            version=c.version,
        )
        for c in clauses
    )
    return snapshot


def next_revision_label(draft: Draft) -> str:
    return f"Rev.{Snapshot.objects.filter(draft=draft, round__isnull=False).count() + 1}"


def snapshot_for_round(*, round_: Round, by: User | None) -> Snapshot:
    """Call inside the closing transaction, holding the round's row lock."""
    return _freeze(round_.draft, label=next_revision_label(round_.draft), by=by, round_=round_)


@transaction.atomic
def snapshot_create(*, draft: Draft, label: str, by: User) -> Snapshot:
    rules.check("snapshot_publish", rules.Subject(rules.standing(by, draft)))
    label = clean_text(label, field="label", limit=100, one_line=True)
    return _freeze(draft, label=label, by=by, round_=None)
