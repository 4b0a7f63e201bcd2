"""Snapshots: immutable consolidated drafts, made by closing a round or by a moderator."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import InvalidInput
from codeofconduct.history import pending_history, write_with_history
from live import services as live_pages
from live.models import Kind

from .. import rules
from ..models import OUT_OF_THE_TEXT, READING_ORDER, Clause, Draft, Round, Snapshot, SnapshotClause
from ..selectors import active_round
from .common import clean_text, lock_draft

ORIGINAL_LABEL = "Original"


def _freeze(
    draft: Draft, *, label: str, by: User | None, round_: Round | None, renumber: bool = True, original: bool = False
) -> Snapshot | None:
    """Freeze the text as revision ``label``, numbered 1, 2, 3 in reading order in each part.

    With ``renumber`` the working text takes the revision's numbers (``_renumber``); without it (a
    snapshot taken while a round is open or voting, whose ballot cites today's numbers) the working
    text keeps its numbers and only the revision is numbered afresh.
    """
    lock_draft(draft)  # no clause is numbered while the draft is renumbered, no two snapshots share a Rev.N
    if original and not _uncirculated(draft):
        return None
    try:
        with transaction.atomic():
            revision = _next_revision(draft, at_least=Snapshot.ORIGINAL if original else 1)
            identity = {name: getattr(draft, name) for name in Snapshot.IDENTITY}
            snapshot = Snapshot.objects.create(
                draft=draft, label=label, revision=revision, round=round_, created_by=by, identity=identity
            )
    except IntegrityError as exc:
        raise InvalidInput(
            _("This draft already has a snapshot labelled “%(label)s”.") % {"label": label}, field="label"
        ) from exc
    clauses = Clause.objects.filter(draft=draft).exclude(status__in=OUT_OF_THE_TEXT).select_related("section")
    live = list(clauses.select_for_update(of=("self",)).order_by(*READING_ORDER))
    numbers = revision_numbers(live)
    previous = {c.pk: c.label for c in live if (c.number, c.number_suffix) != numbers[c.pk]}
    if renumber:
        # A close's renumbering comes after the moment the round closed, which its papers are made as of.
        _renumber(live, numbers, label=label, by=by, after=round_.closed_at if round_ is not None else None)
        if previous:
            live_pages.changed(draft.pk, Kind.TEXT)  # written in bulk, without the history signal
    SnapshotClause.objects.bulk_create(
        SnapshotClause(
            snapshot=snapshot,
            clause=c,
            section_title=c.section.title,
            section_position=c.section.position,
            section_kind=c.section.kind,
            number=numbers[c.pk][0],
            number_suffix=numbers[c.pk][1],
            previous_label=previous.get(c.pk, ""),
            title=c.title,
            text=c.text,
            text_html=c.text_html,
            status=c.status,
            version=c.version,
            rationale=c.rationale,
        )
        for c in live
    )
    return snapshot


def revision_numbers(live) -> dict[int, tuple[int, int]]:
    """``{clause id: (number, suffix)}`` a revision gives the clauses of the text, which come in
    reading order: PP1, PP2 ... and OP1, OP2 ... with no gap and no "bis" left, each part counted
    from 1. The close preview numbers its Rev.N by this too."""
    counters = {True: 0, False: 0}
    numbers = {}
    for c in live:
        counters[c.preambular] += 1
        numbers[c.pk] = (counters[c.preambular], 0)
    return numbers


def _renumber(
    live: list[Clause], numbers: dict[int, tuple[int, int]], *, label: str, by: User | None, after=None
) -> None:
    """Give the clauses of the text (``live``) the ``numbers`` of revision ``label``.

    Each changed clause gets a history row naming its old and new number, and keeps its version:
    nothing in its text changed, so amendments written against it are not stale. A rejected or
    withdrawn clause is not in ``live``: it left the text and keeps, in the record, the number it
    was voted or withdrawn under. Call holding the draft's lock (``lock_draft``) and the clauses'
    row locks.
    """
    changed = [c for c in live if (c.number, c.number_suffix) != numbers[c.pk]]
    if not changed:
        return
    previous = {c.pk: c.label for c in changed}
    # The unique (draft, part, number, suffix) of the text is checked row by row: first move every
    # changed clause past all numbers in use, then to its place.
    parked = max([len(live), *(c.number for c in live)]) + 1
    for offset, c in enumerate(changed):
        c.number, c.number_suffix = parked + offset, 0
    write_with_history(Clause, changed, [], fields=["number", "number_suffix"])
    now, records = timezone.now(), []
    if after is not None and now <= after:
        now = after + timedelta(microseconds=1)
    for c in changed:
        c.number, c.number_suffix = numbers[c.pk]
        c.updated_at = now  # the draft page's cached text shows numbers (reading.text_stamp)
        reason = f"Renumbered {previous[c.pk]} → {c.label} for {label}"
        records.append(pending_history(c, by=by, reason=reason, when=now, history={"history_as_chair": True}))
    write_with_history(Clause, changed, records, fields=["number", "number_suffix", "updated_at"])


def _next_revision(draft: Draft, *, at_least: int = 1) -> int:
    """The next Rev.N (``at_least=Snapshot.ORIGINAL`` for the original, which only the opening of
    the first round freezes: ``original_for_round``)."""
    latest = Snapshot.objects.filter(draft=draft).aggregate(m=Max("revision"))["m"]
    return max(at_least, Snapshot.ORIGINAL if latest is None else latest + 1)


def next_revision_label(draft: Draft) -> str:
    """The label a round's close gives its snapshot: its Rev.N (or, where a moderator already used
    that label for another snapshot, the Rev.N with the round's date). A close always publishes a
    revision, never the original (which the round's opening froze)."""
    label = f"Rev.{_next_revision(draft, at_least=1)}"
    if Snapshot.objects.filter(draft=draft, label=label).exists():
        label = f"{label} of {timezone.now():%d %B %Y %H:%M}"
    return label


def snapshot_for_round(*, round_: Round, by: User | None) -> Snapshot:
    """Call inside the closing transaction, holding the round's row lock."""
    return _freeze(round_.draft, label=next_revision_label(round_.draft), by=by, round_=round_)


def original_for_round(*, round_: Round, by: User | None) -> Snapshot | None:
    """Freeze the draft's original (L.1) as its first round opens: delegations negotiate on a text
    the record keeps as it was sent to them. Nothing when a text was circulated before (a moderator's
    snapshot, which is then Rev.1: revisions count from the first text circulated) or when the draft
    has no paragraph yet. Call inside the opening transaction."""
    return _freeze(round_.draft, label=ORIGINAL_LABEL, by=by, round_=None, original=True)


def _uncirculated(draft: Draft) -> bool:
    """No text of the draft was circulated yet, and it has one to circulate. Hold the draft's lock."""
    has_text = Clause.objects.filter(draft=draft).exclude(status__in=OUT_OF_THE_TEXT).exists()
    return has_text and not Snapshot.objects.filter(draft=draft).exists()


@transaction.atomic
def snapshot_create(*, draft: Draft, label: str, by: User) -> Snapshot:
    rules.check("snapshot_publish", rules.Subject(rules.standing(by, draft)))
    label = clean_text(label, field="label", limit=100, one_line=True)
    # The open or voting round's lock first, as closing takes it before the clauses and the draft:
    # a snapshot and a close then wait for each other in turn instead of each holding what the other needs.
    # While a round is open or voting, its ballot and the delegates cite today's numbers: the working
    # text keeps them until the round's close publishes the next revision.
    voting = active_round(draft, for_update=True)
    return _freeze(draft, label=label, by=by, round_=None, renumber=voting is None)
