"""Follows, the outbox of events, and each person's notifications.

The tables were created by drafting (migrations 0004) and moved here without copying a row
(``notifications/migrations/0001_initial.py``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from codeofconduct import generated
from drafting.models import Clause, Draft, exactly_one

from .text import shorten


class Subscription(models.Model):
    """A person follows a draft or a clause, and hears of what happens to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = generated.Manager()  # its reads join clauses

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            exactly_one("draft", "clause", name="follow_draft_or_clause"),
            models.UniqueConstraint(
                fields=["user", "draft"], condition=models.Q(draft__isnull=False), name="follow_draft_once"
            ),
            models.UniqueConstraint(
                fields=["user", "clause"], condition=models.Q(clause__isnull=False), name="follow_clause_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} follows {'draft ' + str(self.draft_id) if self.draft_id else 'clause ' + str(self.clause_id)}"


class Event(models.Model):
    """The outbox: something happened that people may need to hear of.

    Written in the same transaction as the change itself, so a rolled-back change notifies nobody;
    a worker fans it out to notifications, and a periodic sweep picks up any the broker lost.
    """

    kind = models.CharField(max_length=40)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who hears of it: explicit people, and/or the followers of a clause or draft (resolved by the worker).
    recipient_ids = models.JSONField(default=list)
    exclude_ids = models.JSONField(default=list)  # told by a more specific event instead
    followers_of_clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    followers_of_draft = models.BooleanField(default=False)
    moderators = models.BooleanField(default=False)
    message = models.TextField()
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = generated.Manager()  # its reads join clauses

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["fanned_out_at", "created_at"], name="event_pending_idx")]

    def __str__(self):
        return f"{self.kind}: {shorten(self.message, 60)}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    DIGEST = "digest", _("Waiting for the daily digest")
    SKIPPED = "skipped", _("Not emailed")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One person's notice of one event: shown in the app, and emailed as they prefer."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.TextField()
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    objects = generated.Manager()  # its reads join clauses

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A task that runs twice cannot notify anyone twice of one event.
            models.UniqueConstraint(fields=["recipient", "event"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self):
        return f"Notification {self.pk}"  # what it says is its recipient's (NotificationAdmin)
