"""Telling the live pages of a draft that something changed (``changed``), and forgetting old news.

``changed`` runs in the writer's transaction: the row and PostgreSQL's ``NOTIFY`` both take effect
when it commits, and not at all if it rolls back; a transaction that writes fifty clauses tells each
stream once (a row per draft, kind and transaction; PostgreSQL folds identical notifications of one
transaction into one). Every process serving streams listens on the channel (``live.bus``), so any
number of web nodes share one bus: the database they already share.

An event's id is taken when it is written, not when it commits, so one may commit after a
later-numbered one. The open streams hear it all the same (notifications arrive in commit order);
a client resuming after the later id is told it too, because each event keeps its horizon, the
oldest transaction running when it was written, and a late one's transaction is at or after it
(``missed``). No lock orders the writers: one per draft met the drafts' row locks in the other
order and deadlocked under load. The horizon is the database server's oldest running transaction,
whoever runs it: while a long one runs (a large import), a client resuming is told more events
again, or to read everything again past 500; never fewer.
"""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import Kind, LiveEvent

CHANNEL = "live"
# How long a reconnecting client can be told what it missed; older than that, it reloads what it shows.
KEPT = timedelta(hours=24)
SINCE_MARGIN = timedelta(seconds=10)

_RECORDED = f"""
WITH event AS (
    INSERT INTO {LiveEvent._meta.db_table} (draft_id, kind, txid, horizon, created_at)
    VALUES (%s, %s, txid_current(), txid_snapshot_xmin(txid_current_snapshot()), now())
    ON CONFLICT (draft_id, kind, txid) DO NOTHING
    RETURNING id, draft_id, kind
)
SELECT pg_notify('{CHANNEL}', json_build_object('id', id, 'draft', draft_id, 'kind', kind)::text) FROM event
"""  # noqa: S608 (the table name is the model's)


def changed(draft_id: int, kind: str) -> None:
    """Tell the live pages of the draft that ``kind`` changed, once the caller's transaction commits."""
    with connection.cursor() as cursor:
        if kind == Kind.VOTES:
            cursor.execute(f"SELECT {told_sql(kind)}", [draft_id])
        else:
            cursor.execute(_RECORDED, [draft_id, kind])


def told_sql(kind: str) -> str:
    """The SQL that tells the open streams of a draft (its one parameter) that ``kind`` changed,
    without a row to resume from: for a statement of its own to say it as it writes (a vote, in the
    one statement that casts it), or that who may follow it may have changed (``ACCESS``)."""
    said = ACCESS if kind == ACCESS else Kind(kind)
    return f"pg_notify('{CHANNEL}', json_build_object('draft', %s::bigint, 'kind', '{said}')::text)"


# What a person's own stream hears (``live.views.person_events``): their notifications.
NOTIFICATIONS = "notifications"
# Who may follow what changed (a session or token ended, a membership, a draft's visibility): the
# streams concerned ask their reader again at once, and never tell their client (``live.access``).
ACCESS = "access"
# The most people one notice names: PostgreSQL takes a notice of under 8,000 bytes, and an id
# is at most 19 digits and a comma.
PEOPLE_PER_NOTICE = 300


def told_people(user_ids, kind: str = NOTIFICATIONS) -> None:
    """Tell the streams of these people that ``kind`` changed for them, once the caller's
    transaction commits (nothing is kept to resume from: a page back from a break reads it again)."""
    user_ids = sorted({int(user_id) for user_id in user_ids})
    if not user_ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(user_ids), PEOPLE_PER_NOTICE):
            cursor.execute(
                f"SELECT pg_notify('{CHANNEL}', json_build_object('people', %s::bigint[], 'kind', %s)::text)",
                [user_ids[start : start + PEOPLE_PER_NOTICE], kind],
            )


def access_changed(draft_id: int) -> None:
    """Tell every open stream of the draft to ask its reader again (once the caller's transaction
    commits): who may read the draft may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {told_sql(ACCESS)}", [draft_id])


def missed(draft_id: int, after: int, limit: int = 500) -> tuple[list[LiveEvent], bool]:
    """The changes to the draft a client that last heard event ``after`` may not have heard, in id
    order, and whether that is all of them: False when more than ``limit`` are found, or when events
    after it may have been forgotten (``KEPT``); the client then reloads what it shows instead.

    Those are the events after it, and the ones before it that may have committed after it: written
    by a transaction still running when it was written (its ``horizon`` or later). A few of the
    latter were heard already; a change told twice costs a page one more look, one never told would
    leave it wrong."""
    if after == 0:
        events = LiveEvent.objects.filter(draft_id=draft_id)
        complete = True
    else:
        horizon = LiveEvent.objects.filter(id=after).values_list("horizon", flat=True).first()
        # Events are forgotten oldest first: while the one it last heard is kept, so is every later one.
        complete = horizon is not None
        late = Q(id__lt=after, txid__gte=horizon) if complete else Q(pk__in=[])
        events = LiveEvent.objects.filter(Q(id__gt=after) | late, draft_id=draft_id)
    events = list(events.order_by("id")[: limit + 1])
    return events[:limit], complete and len(events) <= limit


def since(draft_id: int, moment: float, limit: int = 500) -> tuple[list[LiveEvent], bool]:
    """The changes to the draft that may have committed after ``moment`` (seconds since the epoch:
    when a page was made), with ``missed``'s second answer. An event's time is its transaction's
    start, so a margin takes in those that committed later; a change told twice costs a page one
    more look, a change never told would leave it wrong."""
    start = datetime.fromtimestamp(moment, tz=UTC) - SINCE_MARGIN
    events = list(LiveEvent.objects.filter(draft_id=draft_id, created_at__gte=start).order_by("id")[: limit + 1])
    return events[:limit], len(events) <= limit and start >= timezone.now() - KEPT


def latest(draft_id: int) -> int:
    """The newest event id of the draft, 0 for none: where a client that has just loaded a page starts."""
    return LiveEvent.objects.filter(draft_id=draft_id).order_by("-id").values_list("id", flat=True).first() or 0


def forget_old() -> int:
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
    return deleted


def _draft_of(instance) -> int | None:
    """The draft a recorded object belongs to, through its relations (loaded with it, as a rule)."""
    if hasattr(instance, "draft_id"):
        return instance.draft_id
    for path in ("clause", "amendment__clause", "round"):
        holder = instance
        for name in path.split("__"):
            holder = getattr(holder, name, None) if getattr(holder, f"{name}_id", None) is not None else None
            if holder is None:
                break
        if holder is not None:
            return holder.draft_id
    return None


def recorded(sender, instance, **kwargs) -> None:
    """simple-history's ``post_create_historical_record``: every change saved with its history that
    a page of the draft shows is told to the draft's live pages."""
    kind = _KINDS.get(instance._meta.label)
    if kind is None:
        return
    draft_id = instance.pk if instance._meta.label == "drafting.Draft" else _draft_of(instance)
    if draft_id is not None:
        changed(draft_id, kind)


_KINDS = {
    "drafting.Draft": Kind.TEXT,
    "drafting.Section": Kind.TEXT,
    "drafting.Clause": Kind.TEXT,
    "drafting.ClauseTranslation": Kind.TRANSLATIONS,
    "drafting.Amendment": Kind.AMENDMENTS,
    "drafting.Comment": Kind.COMMENTS,
    "drafting.CommentDisposition": Kind.COMMENTS,
    "drafting.Cosponsorship": Kind.COSPONSORS,
    "drafting.Round": Kind.ROUND,
}
