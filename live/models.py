"""What the live pages hear: one row per kind of change to a draft and transaction.

A row names no one and carries no text: a page that hears of a change asks its own URL again, under
the same rules of who may see what as any other visit. Its id is the stream's event id, so a client
that reconnects with ``Last-Event-ID`` is told of every change it missed (``live.views``).
"""

from django.db import models
from django.utils import timezone

from drafting.models import Draft


class Kind(models.TextChoices):
    TEXT = "text", "The text: a clause added, changed, moved or decided"
    AMENDMENTS = "amendments", "Amendments"
    COMMENTS = "comments", "Comments"
    ROUND = "round", "A round opened, moved or closed"
    COSPONSORS = "cosponsors", "Co-sponsors"
    # Votes are told to the open streams only (``live.services.told_sql``): a page that missed some
    # asks for its counts again when it reconnects, so a row per vote would only slow voting down.
    VOTES = "votes", "Votes"


class LiveEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No constraint in the database: a draft removed by a bulk delete (a benchmark draft replaced)
    # leaves its events to age out instead of failing the delete; the ORM's deletes take them along.
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The writing transaction (txid_current()): one row per kind however many rows it wrote.
    txid = models.BigIntegerField()
    # The oldest transaction still running when it was written (txid_snapshot_xmin): an event with a
    # smaller id that commits later than this one belongs to a transaction at or after it, so a client
    # that resumes after this event is told those too (``live.services.missed``).
    horizon = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "kind", "txid"], name="live_event_once_per_transaction")
        ]
        indexes = [
            models.Index(fields=["draft", "id"], name="live_event_draft_idx"),
            models.Index(fields=["created_at"], name="live_event_age_idx"),
        ]

    def __str__(self):
        return f"{self.kind} in draft {self.draft_id} (#{self.id})"
