"""When each person last looked at a draft, so the platform can show them what changed since.

A visit is a run of views of a draft less than ``settings.VISIT_GAP`` apart. A person's catch-up
starts at ``seen_at``: the end of their previous visit, or the moment they marked the changes as
seen (``DraftVisit``'s docstring). Both writes here are one statement in the usual case and safe
when two requests of the same person race: the database's unique constraint decides who creates
the record, and the other request updates it instead of failing.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, DateTimeField, F, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import NotAllowed

from .. import rules
from ..models import Draft, DraftVisit

UNKNOWN = object()

# Changes still being written carry times from before they can be read: a round's close merges for
# seconds, each merge dated as it is made, and is read by others only when it commits. A list of
# changes made meanwhile, or a view, must not count them as seen. ``settled`` is the moment up to
# which every change can be read: now, or the start of the oldest transaction still running on the
# database (every service writes in one transaction, begun before it takes any time it records).
# Never more than LOOKBACK back, for a session left open by mistake: then the last minutes' changes
# are shown again, which loses nothing.
LOOKBACK = timedelta(minutes=10)
_IN_FLIGHT = """
    SELECT min(xact_start) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend' AND xact_start IS NOT NULL
"""


def _settled_sql(now: datetime) -> tuple[str, list]:
    return f"GREATEST(%s::timestamptz, LEAST(%s::timestamptz, ({_IN_FLIGHT})))", [now - LOOKBACK, now]


def settled(now: datetime | None = None) -> datetime:
    """The moment up to which every change in the database can be read (``LOOKBACK``'s comment),
    in one query."""
    now = now or timezone.now()
    sql, params = _settled_sql(now)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)  # noqa: S608 - constant SQL, values as parameters
        return cursor.fetchone()[0]


def _settled_expression(now: datetime):
    """``settled(now)`` inside the statement that writes it (no query of its own)."""
    sql, params = _settled_sql(now)
    return RawSQL(sql, params, output_field=DateTimeField())  # noqa: S611 - constant SQL, values as parameters


# How often a run of views writes: the last view is kept to this precision, so a delegate paging
# through the draft writes once a minute, not on every view (VISIT_GAP is an hour).
TOUCH = timedelta(minutes=1)


def record_visit(user, draft: Draft, *, now: datetime | None = None, last_viewed_at=UNKNOWN) -> None:
    """Note that ``user`` views ``draft`` now; anonymous readers leave no trace.

    Call it once the reader has been let see the draft (the page and the API detail do). A view more
    than ``VISIT_GAP`` after the last one starts a new visit: the catch-up then starts where the
    previous visit ended (or where they marked changes seen, if that was later: a visit never moves
    it back). The first view ever inserts the record. A caller that has read the record already
    passes its ``last_viewed_at`` (None: no record): a view within ``TOUCH`` of it writes nothing.
    """
    if user is None or not user.is_authenticated:
        return
    now = now or timezone.now()
    if last_viewed_at is not UNKNOWN and last_viewed_at is not None and now - last_viewed_at < TOUCH:
        return
    new_visit = When(last_viewed_at__lt=now - settings.VISIT_GAP, then=Greatest(F("seen_at"), F("last_viewed_at")))
    # What this view showed is what had settled: a change still being written is not yet seen.
    viewed = _settled_expression(now)
    _write(
        user,
        draft,
        update={"seen_at": Case(new_visit, default=F("seen_at")), "last_viewed_at": viewed},
        create={"seen_at": viewed, "last_viewed_at": viewed},
    )


def mark_seen(user: User, draft: Draft, until: datetime | None = None) -> tuple[DraftVisit, bool]:
    """Mark what changed in ``draft`` up to ``until`` as seen by ``user``: ``(record, created)``.

    ``until`` is the ``until`` of the list of changes the person read (the page and the API send it
    back), so whatever arrived while they read stays unseen; none means now. It is taken between
    the draft's creation and ``settled()``: a change still being written is never marked seen. It
    may move ``seen_at`` back: the person asked to see those changes again, and showing a change
    twice loses nothing, while hiding one unread would.
    """
    if not user.is_authenticated:
        raise NotAllowed(_("Log in to keep track of what you have seen."))
    rules.check("view", rules.Subject(rules.standing(user, draft), state=draft.visibility, label="draft"))
    now = timezone.now()
    latest = settled(now)
    seen_at = min(max(until, draft.created_at), latest) if until is not None else latest
    created = _write(user, draft, update={"seen_at": seen_at}, create={"seen_at": seen_at, "last_viewed_at": now})
    return DraftVisit.objects.get(user=user, draft=draft), created


def _update(user, draft: Draft, values: dict) -> int:
    return DraftVisit.objects.filter(user=user, draft=draft).update(**values)


def _write(user, draft: Draft, *, update: dict, create: dict) -> bool:
    """Update the person's record of the draft, or create it; True when this call created it.

    Two first views at once both find no record and both insert: the unique constraint refuses the
    second, which then updates the record the first made (inside a savepoint, so a transaction
    around the call goes on).
    """
    if _update(user, draft, update):
        return False
    try:
        with transaction.atomic():
            DraftVisit.objects.create(user=user, draft=draft, **create)
        return True
    except IntegrityError:
        _update(user, draft, update)
        return False


def catch_up_start(seen_at: datetime | None, last_viewed_at: datetime | None, *, now: datetime | None = None):
    """Where this view's "changes since your last visit" starts, from the record as read before the
    view was noted: a view that starts a new visit starts it where the previous one ended."""
    if seen_at is None or last_viewed_at is None:
        return None
    now = now or timezone.now()
    if now - last_viewed_at > settings.VISIT_GAP:
        return max(seen_at, last_viewed_at)
    return seen_at


def last_visit(user, draft: Draft) -> datetime | None:
    """Where ``user``'s "changes since your last visit" starts in ``draft`` (``catch_up_start`` of
    their record); None for the anonymous and for a person with no record."""
    if user is None or not user.is_authenticated:
        return None
    record = DraftVisit.objects.filter(user=user, draft=draft).values_list("seen_at", "last_viewed_at").first()
    return catch_up_start(*record) if record else None
