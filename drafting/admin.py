from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from codeofconduct.errors import DomainError

from . import services
from .models import (
    Amendment,
    Clause,
    Comment,
    CommentDisposition,
    Draft,
    DraftMembership,
    ExportJob,
    ItemResult,
    Round,
    Section,
    Snapshot,
    SnapshotClause,
    Vote,
)


class ServiceOnly:
    """Admin pages that show an object and its history but write nothing themselves.

    Every write goes through a service (the pages, the API, or the admin forms below that call
    one), so the rules, the version check, history with a reason and the notifications apply to
    admins too.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(ServiceOnly, admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    """Admins create drafts here through ``draft_create``; a draft's text is edited on its pages."""

    list_display = ["title", "slug", "visibility", "created_at"]
    fields = ["title", "summary", "visibility"]
    inlines = [SectionInline]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        draft = services.draft_create(title=obj.title, summary=obj.summary, visibility=obj.visibility, by=request.user)
        obj.pk, obj.slug, obj.created_by_id, obj.created_at = (
            draft.pk,
            draft.slug,
            draft.created_by_id,
            draft.created_at,
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # sections are added on the draft's Manage page


@admin.register(DraftMembership)
class DraftMembershipAdmin(SimpleHistoryAdmin):
    """Appointing or changing a role goes through ``draft_member_set`` (moderators follow their draft)."""

    list_display = ["draft", "user", "role"]
    list_filter = ["role", "draft"]
    list_select_related = ["draft", "user"]

    def get_readonly_fields(self, request, obj=None):
        return ["draft", "user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        membership = services.draft_member_set(draft=obj.draft, user_id=obj.user_id, role=obj.role, by=request.user)
        obj.pk = membership.pk


@admin.register(Section)
class SectionAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["title", "draft", "position"]
    list_select_related = ["draft"]


class ClauseAdminForm(forms.ModelForm):
    """An admin's edit is a change like any other: through ``clause_update``, against the version the
    admin read, with a reason on record. A refusal (someone saved meanwhile) shows on the form."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=1000, help_text="Why the text changes; it stays in the history.")

    class Meta:
        model = Clause
        fields = ["title", "text", "status", "section"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(draft_id=self.instance.draft_id)
        self.initial.setdefault("based_on_version", self.instance.version)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.saved = services.clause_update(
                clause_id=self.instance.pk,
                version=data["based_on_version"],
                by=self.editor,
                title=data["title"],
                text=data["text"],
                status=data["status"],
                section_id=data["section"].pk,
                reason=data["reason"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            raise forms.ValidationError({field or "__all__": exc.message}) from exc
        return data


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    form = ClauseAdminForm
    list_display = ["number", "title", "draft", "status", "version"]
    list_filter = ["status", "draft"]
    list_select_related = ["draft"]
    search_fields = ["title", "text"]
    readonly_fields = ["draft", "number", "version", "rationale", "proposer"]
    fields = ["draft", "number", "version", "section", "title", "text", "status", "rationale", "proposer"]

    def has_add_permission(self, request):
        return False  # clauses are added on the draft's pages, where numbering and rounds apply

    def has_delete_permission(self, request, obj=None):
        return False  # a clause is withdrawn, never deleted: its history stays

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        form.base_fields["based_on_version"].initial = obj.version if obj else None
        return form

    def get_fields(self, request, obj=None):
        return [*self.fields, "based_on_version", "reason"]

    def save_model(self, request, obj, form, change):
        obj.refresh_from_db()  # the form's clean() saved it through the service


@admin.register(Round)
class RoundAdmin(ServiceOnly, SimpleHistoryAdmin):
    """Rounds are created and moved on the Rounds page and the console, which close them exactly once."""

    list_display = ["title", "draft", "phase", "voting_rule", "quorum", "opens_at", "voting_opens_at", "closes_at"]
    list_filter = ["phase", "voting_rule", "draft"]
    list_select_related = ["draft"]


@admin.register(Amendment)
class AmendmentAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["id", "clause", "kind", "status", "author", "base_version", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["clause", "author"]
    readonly_fields = ["base_version", "base_text"]


@admin.register(Comment)
class CommentAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["id", "author", "stance", "hidden", "created_at"]
    list_filter = ["hidden", "stance"]
    list_select_related = ["author"]
    search_fields = ["body"]


@admin.register(Vote)
class VoteAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["round", "voter", "clause", "amendment", "choice", "stakeholder_group"]
    list_filter = ["choice", "stakeholder_group"]
    list_select_related = ["round", "voter", "clause", "amendment"]


@admin.register(CommentDisposition)
class CommentDispositionAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["comment", "round", "disposition", "decided_by"]
    list_select_related = ["comment", "round", "decided_by"]


class ReadOnlyAdmin(ServiceOnly, admin.ModelAdmin):
    """Results, snapshots and export jobs are written once by their services and never change."""


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


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["draft", "requested_by", "format", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["draft", "requested_by"]
