from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .markdown import render_markdown
from .models import (
    Amendment,
    Clause,
    Comment,
    CommentDisposition,
    Draft,
    DraftMembership,
    Event,
    ExportJob,
    ItemResult,
    Notification,
    Round,
    Section,
    Snapshot,
    SnapshotClause,
    Subscription,
    Vote,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "visibility", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DraftMembership)
class DraftMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["draft", "user", "role"]
    list_filter = ["role", "draft"]
    list_select_related = ["draft", "user"]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "draft", "position"]
    list_select_related = ["draft"]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "draft", "status", "version"]
    list_filter = ["status", "draft"]
    list_select_related = ["draft"]
    search_fields = ["title", "text"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        """An admin edit is a change like any other: a new version, rendered once."""
        if change:
            obj.version += 1
        obj.text_html = render_markdown(obj.text)
        super().save_model(request, obj, form, change)


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["title", "draft", "phase", "voting_rule", "quorum", "opens_at", "voting_opens_at", "closes_at"]
    list_filter = ["phase", "voting_rule", "draft"]
    list_select_related = ["draft"]
    # Phases move through the services (console, API, schedule), which apply closing exactly once.
    readonly_fields = ["phase", "opened_at", "voting_started_at", "closed_at"]


@admin.register(Amendment)
class AmendmentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "clause", "kind", "status", "author", "base_version", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["clause", "author"]
    readonly_fields = ["base_version", "base_text"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "author", "stance", "hidden", "created_at"]
    list_filter = ["hidden", "stance"]
    list_select_related = ["author"]
    search_fields = ["body"]


@admin.register(Vote)
class VoteAdmin(SimpleHistoryAdmin):
    list_display = ["round", "voter", "clause", "amendment", "choice", "stakeholder_group"]
    list_filter = ["choice", "stakeholder_group"]
    list_select_related = ["round", "voter", "clause", "amendment"]


@admin.register(CommentDisposition)
class CommentDispositionAdmin(SimpleHistoryAdmin):
    list_display = ["comment", "round", "disposition", "decided_by"]
    list_select_related = ["comment", "round", "decided_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Results and snapshots are written once by closing a round and never change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ItemResult)
class ItemResultAdmin(ReadOnlyAdmin):
    list_display = ["round", "clause", "amendment", "outcome", "yes", "no", "abstain", "effect"]
    list_select_related = ["round", "clause", "amendment"]


class SnapshotClauseInline(admin.TabularInline):
    model = SnapshotClause
    fields = ["number", "title", "status", "version"]
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["label", "draft", "round", "created_at"]
    list_select_related = ["draft", "round"]
    inlines = [SnapshotClauseInline]


@admin.register(SnapshotClause)
class SnapshotClauseAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "number", "title", "status", "version"]
    list_select_related = ["snapshot"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "draft", "clause", "created_at"]
    list_select_related = ["user", "draft", "clause"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["kind", "draft", "actor", "created_at", "fanned_out_at"]
    list_filter = ["kind"]
    list_select_related = ["draft", "actor"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Admins find emails that failed after their last attempt here (filter: email status = failed)."""

    list_display = ["recipient", "kind", "created_at", "read_at", "email_status", "email_attempts", "email_error"]
    list_filter = ["email_status", "kind"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "event",
        "kind",
        "draft",
        "message",
        "url",
        "created_at",
        "email_attempts",
        "email_error",
    ]
    actions = ["retry_email"]

    @admin.action(description="Send the email again")
    def retry_email(self, request, queryset):
        from .services.notifications import enqueue
        from .tasks import send_notification_email

        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(email_status="pending", email_attempts=0, email_error="")
        for notification_id in ids:
            enqueue(send_notification_email, notification_id)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["draft", "requested_by", "format", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["draft", "requested_by"]
