"""Email: one message per immediate notification, a daily digest, and one-click unsubscribe.

Each immediate email is sent under its notification's row lock, from the check to the mark, so a
task that runs twice sends once.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import EmailPreference, User
from codeofconduct.errors import InvalidInput
from codeofconduct.languages import for_person

from .models import EmailStatus, Notification, Subscription
from .services import follows_told
from .text import shorten

# Kept from when notifications lived in drafting: links in emails already sent must go on working.
UNSUBSCRIBE_SALT = "drafting.unsubscribe"
# An immediate email's subject is its notice, shortened (at a word) to what mail clients show.
SUBJECT_LIMIT = 150


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe(token: str) -> User:
    """Turn a person's email off from a signed link; a forged or altered token is refused."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise InvalidInput(_("This unsubscribe link is not valid."), field="token") from exc
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        raise InvalidInput(_("This unsubscribe link is not valid."), field="token")
    if user.email_preference != EmailPreference.OFF:
        user.email_preference = EmailPreference.OFF
        user._change_reason = "Unsubscribed from email by link"
        user.save(update_fields=["email_preference"])
    return user


def _email(user: User, *, subject: str, template: str, context: dict, message_id: str) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(reverse("unsubscribe", args=[unsubscribe_token(user)]))
    context = {**context, "user": user, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL}
    email = EmailMultiAlternatives(
        # One line whatever the text it quotes: a title saved before titles refused line breaks
        # would otherwise fail the message (BadHeaderError) and the person would never hear of it.
        subject=shorten(" ".join(subject.split()), SUBJECT_LIMIT),
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
                .select_related("recipient", "draft", "event__followers_of_clause")
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
            with for_person(user):  # the recipient's language, not the sender's
                _email(
                    user,
                    subject=notification.message,
                    template="notification",
                    context={
                        "notification": notification,
                        "link": absolute(notification.url),
                        "why": _why(notification),
                    },
                    message_id=f"notification-{notification.pk}",
                ).send()
            notification.email_status, notification.email_sent_at = EmailStatus.SENT, timezone.now()
            notification.email_attempts += 1
            notification.save(update_fields=["email_status", "email_sent_at", "email_attempts"])
            return True
    except Exception as exc:
        _record_failure(notification_id, exc)
        raise


def _why(notification: Notification) -> str:
    """Why this person hears of it, as true of them as of anyone: a follow of theirs that the event
    reaches (``services.follows_told``), else the event named them (their role, their request, their
    item)."""
    follow = (
        Subscription.objects.filter(follows_told(notification.event), user_id=notification.recipient_id)
        .select_related("clause", "draft")
        .order_by(F("draft_id").asc(nulls_first=True))  # a clause's follow says more than its draft's
        .first()
    )
    # Each ends the sentence "You get this email from the Code of Conduct drafting platform because …".
    if follow is not None and follow.clause_id:
        # Translators: ends "You get this email from the ... platform because …".
        return _("you follow clause %(ref)s “%(title)s”") % {"ref": follow.clause.ref, "title": follow.clause.title}
    if follow is not None:
        # Translators: ends "You get this email from the ... platform because …".
        return _("you follow “%(title)s”") % {"title": follow.draft.title}
    if notification.draft is not None:
        # Translators: ends "You get this email from the ... platform because …".
        return _("it concerns you in “%(title)s”") % {"title": notification.draft.title}
    # Translators: ends "You get this email from the ... platform because …".
    return _("it concerns your account")


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
            day = timezone.now().date().isoformat()
            with for_person(user):
                _email(
                    user,
                    subject=ngettext(
                        "Your daily digest: %(count)d update", "Your daily digest: %(count)d updates", len(waiting)
                    )
                    % {"count": len(waiting)},
                    template="digest",
                    context={"groups": _digest_groups(waiting)},
                    message_id=f"digest-{user.pk}-{day}",
                ).send()
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                email_status=EmailStatus.SENT, email_sent_at=timezone.now()
            )
            sent += 1
    return sent


def _digest_groups(waiting: list[Notification]) -> list[tuple[str, str | None, list]]:
    """``(title, changes link, [(notification, link)])`` per draft, in the order they came: each
    draft's group links to its page of what changed since the reader's last visit."""
    groups: dict[int | None, tuple[str, str | None, list]] = {}
    for n in waiting:
        if n.draft_id not in groups:
            changes = absolute(reverse("draft-changes", args=[n.draft.slug])) if n.draft else None
            groups[n.draft_id] = (n.draft.title if n.draft else _("The platform"), changes, [])
        groups[n.draft_id][2].append((n, absolute(n.url)))
    return list(groups.values())
