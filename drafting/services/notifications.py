"""Notifications through an outbox.

``notify`` records an Event in the caller's transaction (a rolled-back change notifies nobody) and,
once it commits, asks a worker to fan it out. The worker writes one Notification per person (a
database constraint makes a repeated fan-out harmless) and sends immediate emails one task each,
under the notification's row lock, so a task run twice sends once. If the broker is down the
request still succeeds; the periodic sweep enqueues whatever is still pending once it is back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailPreference, User
from codeofconduct.errors import InvalidInput, NotFound

from ..models import (
    Clause,
    Draft,
    DraftMembership,
    EmailStatus,
    Event,
    Notification,
    Role,
    Subscription,
    Visibility,
)

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "drafting.unsubscribe"
FAN_OUT_BATCH = 1000


def enqueue(task, *args) -> None:
    """Hand work to Celery without ever failing the caller: a lost message is swept up later."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the broker is down; the sweep re-enqueues from the database
        log.warning("Could not enqueue %s%s; the sweep will retry it.", task.name, args, exc_info=True)


def notify(
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
    """Record an event in the current transaction; it is fanned out only if that transaction commits."""
    from ..tasks import fan_out_event

    event = Event.objects.create(
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
    transaction.on_commit(lambda: enqueue(fan_out_event, event.id))
    return event


def follow(*, user: User, draft: Draft | None = None, clause: Clause | None = None) -> Subscription:
    """Follow a draft or a clause (again is fine)."""
    target = {"draft": draft} if draft is not None else {"clause": clause}
    existing = Subscription.objects.filter(user=user, **target).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **target)
    except IntegrityError:  # followed twice at once
        return Subscription.objects.get(user=user, **target)


def subscription_create(*, user: User, draft_slug: str | None = None, clause_id: int | None = None) -> Subscription:
    from ..selectors import clause_for, draft_for

    if (draft_slug is None) == (clause_id is None):
        raise InvalidInput("Follow a draft or a clause.", field="draft")
    if draft_slug is not None:
        draft, _ = draft_for(user, draft_slug)
        return follow(user=user, draft=draft)
    clause, _ = clause_for(user, clause_id)
    return follow(user=user, clause=clause)


def subscription_delete(*, user: User, subscription_id: int) -> None:
    deleted, _ = Subscription.objects.filter(pk=subscription_id, user=user).delete()
    if not deleted:
        raise NotFound("You do not follow this.")


def _recipients(event: Event) -> set[int]:
    ids = set(event.recipient_ids)
    followers = Q(pk__in=[])
    if event.followers_of_clause_id:
        followers |= Q(clause_id=event.followers_of_clause_id) | Q(draft_id=event.followers_of_clause.draft_id)
    if event.followers_of_draft and event.draft_id:
        followers |= Q(draft_id=event.draft_id)
    ids |= set(Subscription.objects.filter(followers).values_list("user_id", flat=True))
    if event.moderators and event.draft_id:
        ids |= set(
            DraftMembership.objects.filter(draft_id=event.draft_id, role=Role.MODERATOR).values_list(
                "user_id", flat=True
            )
        )
    ids.discard(event.actor_id)
    ids -= set(event.exclude_ids)
    people = User.objects.filter(pk__in=ids, is_active=True)
    if event.draft_id and event.draft.visibility == Visibility.MEMBERS:
        # Nobody hears of a members-only draft after leaving it.
        people = people.filter(Q(is_superuser=True) | Q(draft_memberships__draft_id=event.draft_id))
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
    return list(
        Notification.objects.filter(event_id=event_id, email_status=EmailStatus.PENDING).values_list("pk", flat=True)
    )


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe(token: str) -> User:
    """Turn a person's email off from a signed link; a forged or altered token is refused."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise InvalidInput("This unsubscribe link is not valid.", field="token") from exc
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        raise InvalidInput("This unsubscribe link is not valid.", field="token")
    if user.email_preference != EmailPreference.OFF:
        user.email_preference = EmailPreference.OFF
        user._change_reason = "Unsubscribed from email by link"
        user.save(update_fields=["email_preference"])
    return user


def _email(user: User, *, subject: str, template: str, context: dict, message_id: str) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(reverse("unsubscribe", args=[unsubscribe_token(user)]))
    context = {**context, "user": user, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL}
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{message_id}@{settings.EMAIL_MESSAGE_DOMAIN}>",
        },
    )
    email.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return email


def notification_email_send(notification_id: int) -> bool:
    """Send one immediate email, at most once: the row lock is held from the check to the mark.

    Raises on a failed send after recording the attempt, so the task can retry with backoff; the
    last failure leaves the notification ``failed`` for admins to see.
    """
    try:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient")
                .filter(pk=notification_id, email_status=EmailStatus.PENDING)
                .first()
            )
            if notification is None:
                return False
            user = notification.recipient
            if user.email_preference != EmailPreference.IMMEDIATE or not user.email:
                notification.email_status = (
                    EmailStatus.DIGEST if user.email_preference == EmailPreference.DAILY else EmailStatus.SKIPPED
                )
                notification.save(update_fields=["email_status"])
                return False
            _email(
                user,
                subject=notification.message[:150],
                template="notification",
                context={"notification": notification, "link": absolute(notification.url)},
                message_id=f"notification-{notification.pk}",
            ).send()
            notification.email_status, notification.email_sent_at = EmailStatus.SENT, timezone.now()
            notification.email_attempts += 1
            notification.save(update_fields=["email_status", "email_sent_at", "email_attempts"])
            return True
    except Exception as exc:
        _record_failure(notification_id, exc)
        raise


def _record_failure(notification_id: int, exc: Exception) -> None:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.email_status != EmailStatus.PENDING:
            return
        notification.email_attempts += 1
        notification.email_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.email_attempts >= settings.EMAIL_MAX_ATTEMPTS:
            notification.email_status = EmailStatus.FAILED
        notification.save(update_fields=["email_attempts", "email_error", "email_status"])


def digests_send() -> int:
    """Send each daily-digest reader one email of what waited for them, grouped by draft."""
    sent = 0
    user_ids = (
        Notification.objects.filter(email_status=EmailStatus.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    for user_id in list(user_ids):
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(of=("self",))
                .select_related("draft")
                .filter(recipient_id=user_id, email_status=EmailStatus.DIGEST)
                .order_by("draft_id", "created_at")
            )
            user = User.objects.get(pk=user_id)
            if not waiting or user.email_preference != EmailPreference.DAILY:
                Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(email_status=EmailStatus.SKIPPED)
                continue
            groups = {}
            for n in waiting:
                groups.setdefault(n.draft.title if n.draft else "The platform", []).append(n)
            day = timezone.now().date().isoformat()
            _email(
                user,
                subject=f"Your daily digest: {len(waiting)} update{'s' if len(waiting) != 1 else ''}",
                template="digest",
                context={"groups": [(title, [(n, absolute(n.url)) for n in items]) for title, items in groups.items()]},
                message_id=f"digest-{user.pk}-{day}",
            ).send()
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                email_status=EmailStatus.SENT, email_sent_at=timezone.now()
            )
            sent += 1
    return sent


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
    return unread.update(read_at=timezone.now())


def preferences_set(*, user: User, email: str) -> User:
    if email not in EmailPreference.values:
        raise InvalidInput(f"Choose one of: {', '.join(EmailPreference.values)}.", field="email")
    user.email_preference = email
    user._change_reason = f"Email preference: {email}"
    user.save(update_fields=["email_preference"])
    return user


def who(actor: User | None, *, chatham_house: bool = False) -> str:
    """How an event names the person behind it; under Chatham House rule, only their group."""
    if actor is None:
        return "The schedule"
    if chatham_house:
        from .amendments import speaking_for

        organization = speaking_for(actor)
        group = organization.get_stakeholder_group_display().lower() if organization else "a"
        return f"A participant ({group})" if organization else "A participant"
    return actor.username
