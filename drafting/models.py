from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members only"


class Role(models.TextChoices):
    MODERATOR = "moderator", "Moderator"
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"


class ClauseStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    BRACKETED = "bracketed", "Bracketed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Text in these states is not agreed yet and is shown in square brackets, as in diplomatic drafting.
BRACKETED_STATUSES = frozenset({ClauseStatus.PROPOSED, ClauseStatus.BRACKETED})


class Draft(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class DraftMembership(models.Model):
    """A person's role in one draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["draft_id", "user__username"]
        constraints = [models.UniqueConstraint(fields=["draft", "user"], name="one_role_per_draft")]

    def __str__(self):
        return f"{self.user} is {self.role} of {self.draft}"


class Section(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["draft_id", "position", "id"]

    def __str__(self):
        return self.title


class Clause(models.Model):
    """A numbered norm clause. ``version`` grows by one with every saved change."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="clauses")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="clauses")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    # Rendered and sanitised once per version (DESIGN.md), so reads never re-render Markdown.
    text_html = models.TextField(editable=False)
    rationale = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=ClauseStatus.choices, default=ClauseStatus.PROPOSED)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="clause_number_unique_in_draft")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def is_bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES
