from django.contrib import admin

from .models import FloorRequest, LiveSession


class FloorRequestInline(admin.TabularInline):
    model = FloorRequest
    extra = 0
    fields = ("organization", "asked_by", "asked_at", "state", "floor_at", "ended_at")
    readonly_fields = fields
    can_delete = False


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    """The record of the room: sessions are run from their page (``live.pages``), read here."""

    list_display = ("draft", "section", "opened_at", "closed_at", "opened_by")
    list_filter = ("draft",)
    readonly_fields = (
        "draft",
        "section",
        "clause",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "speakers_open",
        "speaking_time",
        "summary",
    )
    inlines = [FloorRequestInline]

    def has_add_permission(self, request):
        return False
