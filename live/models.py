"""The live room: what the live pages hear (``LiveEvent``), the Chair's live session on a draft
(``LiveSession``) and its list of speakers (``FloorRequest``).

A ``LiveEvent`` is one row per kind of change to a draft and transaction.

A row names no one and carries no text: a page that hears of a change asks its own URL again, under
the same rules of who may see what as any other visit. Its id is the stream's event id, so a client
that reconnects with ``Last-Event-ID`` is told of every change it missed (``live.views``).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafting.models import Clause, Draft, Section


class Kind(models.TextChoices):
    TEXT = "text", _("The text: a clause added, changed, moved or decided")
    AMENDMENTS = "amendments", _("Amendments")
    COMMENTS = "comments", _("Comments")
    ROUND = "round", _("A round opened, moved or closed")
    COSPONSORS = "cosponsors", _("Co-sponsors")
    TRANSLATIONS = "translations", _("A paragraph's translation")
    SESSION = "session", _("The live session: the paragraph on screen, the list of speakers")
    # Votes are told to the open streams only (``live.services.told_sql``): a page that missed some
    # asks for its counts again when it reconnects, so a row per vote would only slow voting down.
    VOTES = "votes", _("Votes")


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


class LiveSession(models.Model):
    """The Chair's live session on a draft, or on one of its sections: the paragraph on the room's
    screen (``clause``), the list of speakers, and, once closed, what changed in it (``summary``)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="live_sessions")
    # Pointers without a constraint in the database: a constraint's check at commit would lock the
    # clause's row, which a round's close holds while it waits for the draft's.
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Delegations may ask for the floor while the list is open.
    speakers_open = models.BooleanField(default=True)
    # Seconds each intervention is given (the screen counts down); None: not timed.
    speaking_time = models.PositiveIntegerField(null=True, blank=True)
    # At close: the paragraphs changed in it (each with its redline and who changed it, as "What
    # changed" tells them to everyone) and how many took the floor (``live.room.session_close``).
    summary = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=models.Q(closed_at__isnull=True), name="live_one_open_session_per_draft"
            )
        ]

    def __str__(self):
        return f"Live session on {self.draft} from {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FloorRequest(models.Model):
    """A delegation's place on a session's list of speakers: one place each at a time."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        SPOKE = "spoke", _("Spoke")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    IN_LINE = (State.WAITING, State.SPEAKING)

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="speakers")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    floor_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organization"],
                condition=models.Q(state__in=["waiting", "speaking"]),
                name="live_one_place_per_delegation",
            ),
            models.UniqueConstraint(
                fields=["session"], condition=models.Q(state="speaking"), name="live_one_speaker_at_a_time"
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_state_display()})"
