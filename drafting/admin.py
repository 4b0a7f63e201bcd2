from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .markdown import render_markdown
from .models import Clause, Draft, DraftMembership, Section


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
