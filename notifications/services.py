"""Notifications through an outbox: every write of this app, and the interface other apps call.

``notify`` records an Event in the caller's transaction (a rolled-back change notifies nobody) and,
once it commits, asks a worker to fan it out. The worker writes one Notification per person (a
database constraint makes a repeated fan-out harmless) and sends immediate emails one task each
(``delivery``). If the broker is down the request still succeeds; the periodic sweep enqueues
whatever is still pending once it is back.

Other apps use it as ``from notifications import services as notifications``. This module may import
drafting's models and selectors, never ``drafting.services`` (which imports this one).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import EmailPreference, User
from codeofconduct.errors import InvalidInput, NotFound
from drafting.models import Clause, Draft, DraftMembership, Role, Round
from drafting.naming import Naming
from drafting.rules import readers_of
from drafting.selectors import clause_for, draft_for
from live import services as live_pages

from .models import EmailStatus, Event, Notification, Subscription

log = logging.getLogger(__name__)

FAN_OUT_BATCH = 1000


def enqueue(task, *args) -> None:
    """Hand work to Celery without ever failing the caller: a lost message is swept up later."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the broker is down; the sweep re-enqueues from the database
        log.warning("Could not enqueue %s%s; the sweep will retry it.", task.name, args, exc_info=True)


def _event(
    *,
    kind: str,
    draft: Draft | None,
    actor: User | None,
    message: str,
    url: str,
    recipients=(),
    followers_of_clause: Clause | None = None,
    followers_of_draft: bool = False,
    moderators: bool = False,
    exclude=(),
) -> Event:
    """The event ``notify`` records, unsaved: explicit people (users or ids), and/or the followers of
    a clause or draft and its moderators, resolved when it is fanned out; ``exclude``: told otherwise."""
    return Event(
        kind=kind,
        draft=draft,
        actor=actor if actor and actor.is_authenticated else None,
        recipient_ids=sorted({u.id if hasattr(u, "id") else u for u in recipients}),
        exclude_ids=sorted({u.id if hasattr(u, "id") else u for u in exclude}),
        followers_of_clause=followers_of_clause,
        followers_of_draft=followers_of_draft,
        moderators=moderators,
        message=message,
        url=url,
    )


def notify(**notice) -> Event:
    """Record an event (``_event``'s arguments) in the current transaction; it is fanned out only if
    that transaction commits."""
    from .tasks import fan_out_event  # the tasks module imports this one

    event = _event(**notice)
    event.save()
    transaction.on_commit(lambda: enqueue(fan_out_event, event.id))
    return event


def audience(**notice) -> set[int]:
    """The ids of the people ``notify(**notice)`` would tell if it were recorded now, writing
    nothing: what a page shows before an act that notifies."""
    return _recipients(_event(**notice))


def _target(draft: Draft | None, clause: Clause | None) -> dict:
    return {"draft": draft} if draft is not None else {"clause": clause}


def follow(*, user: User, draft: Draft | None = None, clause: Clause | None = None) -> Subscription:
    """Follow a draft or a clause (again is fine)."""
    target = _target(draft, clause)
    existing = Subscription.objects.filter(user=user, **target).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **target)
    except IntegrityError:  # followed twice at once
        return Subscription.objects.get(user=user, **target)


def unfollow(*, user: User, draft: Draft | None = None, clause: Clause | None = None) -> bool:
    """Stop following a draft or a clause; False if the person did not follow it (nothing changes)."""
    deleted, _kinds = Subscription.objects.filter(user=user, **_target(draft, clause)).delete()
    return bool(deleted)


def subscription_create(*, user: User, draft_slug: str | None = None, clause_id: int | None = None) -> Subscription:
    """Follow a draft (by slug) or a clause (by id) the person may see; NotFound otherwise."""
    if (draft_slug is None) == (clause_id is None):
        raise InvalidInput(_("Follow a draft or a clause."), field="draft")
    if draft_slug is not None:
        draft, _standing = draft_for(user, draft_slug)
        return follow(user=user, draft=draft)
    clause, _standing = clause_for(user, clause_id)
    return follow(user=user, clause=clause)


def subscription_delete(*, user: User, subscription_id: int) -> None:
    deleted, _kinds = Subscription.objects.filter(pk=subscription_id, user=user).delete()
    if not deleted:
        raise NotFound(_("You do not follow this."))


def follows_told(event: Event) -> Q:
    """The follows that make their people hear of ``event``: of its clause (or that clause's draft),
    or of its draft."""
    followers = Q(pk__in=[])
    if event.followers_of_clause_id:
        followers |= Q(clause_id=event.followers_of_clause_id) | Q(draft_id=event.followers_of_clause.draft_id)
    if event.followers_of_draft and event.draft_id:
        followers |= Q(draft_id=event.draft_id)
    return followers


def _recipients(event: Event) -> set[int]:
    ids = set(event.recipient_ids)
    ids |= set(Subscription.objects.filter(follows_told(event)).values_list("user_id", flat=True))
    if event.moderators and event.draft_id:
        ids |= set(
            DraftMembership.objects.filter(draft_id=event.draft_id, role=Role.MODERATOR).values_list(
                "user_id", flat=True
            )
        )
    ids.discard(event.actor_id)
    ids -= set(event.exclude_ids)
    people = User.objects.filter(pk__in=ids, is_active=True)
    if event.draft_id:
        # Only those who may read the draft hear of it: nobody hears of a members-only draft after leaving it.
        people = people.filter(readers_of(event.draft)).distinct()
    return set(people.values_list("pk", flat=True))


def event_fan_out(event_id: int) -> list[int]:
    """Write the event's notifications (once) and return the ids of those to email now."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(of=("self",))
            .select_related("draft", "followers_of_clause")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.fanned_out_at is not None:
            return []
        recipients = sorted(_recipients(event))
        preferences = dict(User.objects.filter(pk__in=recipients).values_list("pk", "email_preference"))
        status = {
            EmailPreference.IMMEDIATE: EmailStatus.PENDING,
            EmailPreference.DAILY: EmailStatus.DIGEST,
            EmailPreference.OFF: EmailStatus.SKIPPED,
        }
        for start in range(0, len(recipients), FAN_OUT_BATCH):
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=user_id,
                        event=event,
                        kind=event.kind,
                        draft_id=event.draft_id,
                        message=event.message,
                        url=event.url,
                        email_status=status[preferences[user_id]],
                    )
                    for user_id in recipients[start : start + FAN_OUT_BATCH]
                ],
                ignore_conflicts=True,
            )
        event.fanned_out_at = timezone.now()
        event.save(update_fields=["fanned_out_at"])
        live_pages.told_people(recipients)  # their notifications pages, when the fan-out commits
    return list(
        Notification.objects.filter(event_id=event_id, email_status=EmailStatus.PENDING).values_list("pk", flat=True)
    )


def pending_sweep() -> tuple[list[int], list[int]]:
    """Events and emails that should have gone out by now: (event ids, notification ids) to re-enqueue."""
    now = timezone.now()
    events = list(
        Event.objects.filter(
            fanned_out_at__isnull=True, created_at__lte=now - timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:500]
    )
    emails = list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, created_at__lte=now - timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:500]
    )
    return events, emails


def notifications_mark_read(*, user: User, ids=None, everything: bool = False) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if not everything:
        unread = unread.filter(pk__in=list(ids or []))
    marked = unread.update(read_at=timezone.now())
    if marked:
        live_pages.told_people([user.pk])  # the person's other pages: the count in their header
    return marked


def preferences_set(*, user: User, email: str) -> User:
    if email not in EmailPreference.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(EmailPreference.values)}, field="email"
        )
    user.email_preference = email
    user._change_reason = f"Email preference: {email}"
    user.save(update_fields=["email_preference"])
    return user


def who(actor: User | None, *, draft_id: int | None = None, round_: Round | None = None, as_chair: bool = False) -> str:
    """How an event names the person behind it, with what they speak for as they act, opening its
    sentence: "ana (Brazil, Government)"; for an act of a round under the Chatham House rule, only
    their stakeholder group; for the Chair's act, the Chair as the draft ``draft_id`` names it
    (``drafting.naming.Naming.published``)."""
    if actor is None:
        return "The schedule"
    naming = Naming.published(draft_id if draft_id is not None else getattr(round_, "draft_id", None), known=[round_])
    round_id = round_.id if round_ is not None else None
    return naming.person(actor.pk, actor.username, timezone.now(), round_id=round_id, as_chair=as_chair).sentence


def notifications_email_retry(*, ids) -> int:
    """Send these notifications' emails again from the first attempt (an admin's "send again")."""
    from .models import EmailStatus, Notification
    from .tasks import send_notification_email

    ids = list(ids)
    Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.PENDING, email_attempts=0, email_error="")
    for notification_id in ids:
        transaction.on_commit(lambda notification_id=notification_id: enqueue(send_notification_email, notification_id))
    return len(ids)


def notify_many(events) -> list[Event]:
    """Record several events at once, each as ``notify`` records one: in the current transaction
    (one INSERT), fanned out only if it commits. ``events`` holds one dict of ``notify``'s keyword
    arguments per event; the events keep that order."""
    from .tasks import fan_out_event  # the tasks module imports this one

    rows = Event.objects.bulk_create([_event(**event) for event in events])
    ids = [row.id for row in rows if row.id is not None]  # a backend that returns no ids leaves them to the sweep
    if ids:
        transaction.on_commit(lambda: _enqueue_fan_outs(fan_out_event, ids))
    return rows


def _enqueue_fan_outs(task, event_ids: list[int]) -> None:
    """Enqueue one fan-out per event, stopping at the first the broker refuses: each refusal can take
    the broker's connection timeout, and the sweep enqueues every event still pending anyway."""
    for sent, event_id in enumerate(event_ids):
        try:
            task.apply_async(args=(event_id,), retry=False)
        except Exception:  # the broker is down; the sweep re-enqueues from the database
            log.warning(
                "Could not enqueue %s for %d of %d events; the sweep will retry them.",
                task.name,
                len(event_ids) - sent,
                len(event_ids),
                exc_info=True,
            )
            return
