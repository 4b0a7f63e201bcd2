from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from codeofconduct.errors import DomainError

from . import services
from .models import (
    Amendment,
    Clause,
    ClauseTranslation,
    Comment,
    CommentDisposition,
    Draft,
    DraftMembership,
    DraftVisit,
    ExportJob,
    ImportJob,
    ItemResult,
    JoinRequest,
    Round,
    RoundPaper,
    Section,
    Snapshot,
    SnapshotClause,
    Translator,
    Vote,
)
from .naming import Naming, amendment_author, changed_by, comment_author, proposer
from .services import rounds


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


class ServiceAdminForm(forms.ModelForm):
    """An admin form whose save is a service call, so that a refusal (a stale version, a rule, a bad
    value) shows on the form with what the admin typed kept.

    The call takes the place of the model validation ModelForm would do next (``_post_clean``): the
    service checks everything, and the row it writes must not then be refused as a duplicate.
    """

    editor = None  # the admin, set by ``ServiceAdmin.get_form``

    def write(self, data: dict):
        raise NotImplementedError

    def _post_clean(self):
        if self.errors:
            return
        try:
            self.saved = self.write(self.cleaned_data)
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class ServiceAdmin(SimpleHistoryAdmin):
    """Admin pages that write through their ``ServiceAdminForm``; history shows, reverting is done on
    the pages (a revert is a change like any other, with its version check and reason)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form

    def save_model(self, request, obj, form, change):
        obj.pk = form.saved.pk
        obj.refresh_from_db()

    def revert_disabled(self, request, obj=None):
        return True


class DraftAdminForm(ServiceAdminForm):
    class Meta:
        model = Draft
        fields = ["title", "summary", "visibility"]

    def write(self, data):
        if self.instance.pk is None:
            return services.draft_create(**data, by=self.editor)
        return services.draft_update(draft=Draft.objects.get(pk=self.instance.pk), **data, by=self.editor)


@admin.register(Draft)
class DraftAdmin(ServiceAdmin):
    """Admins create drafts and change their title, summary and visibility; the text is edited on its pages."""

    form = DraftAdminForm
    list_display = ["title", "slug", "visibility", "created_at"]
    inlines = [SectionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a draft's history is its record

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


class DraftMembershipAdminForm(ServiceAdminForm):
    class Meta:
        model = DraftMembership
        fields = ["draft", "user", "role"]

    def write(self, data):
        return services.draft_member_set(
            draft=data["draft"], user_id=data["user"].pk, role=data["role"], by=self.editor
        )


@admin.register(DraftMembership)
class DraftMembershipAdmin(ServiceAdmin):
    """Appointing, changing a role and removing go through the member services."""

    form = DraftMembershipAdminForm
    list_display = ["draft", "user", "role"]
    list_filter = ["role", "draft"]
    list_select_related = ["draft", "user"]

    def get_readonly_fields(self, request, obj=None):
        return ["draft", "user"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:  # draft and user are shown, not sent: take them from the membership
            form.write = lambda self, data: services.draft_member_set(
                draft=obj.draft, user_id=obj.user_id, role=data["role"], by=self.editor
            )
        return form

    def delete_model(self, request, obj):
        services.draft_member_remove(draft=obj.draft, user_id=obj.user_id, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("draft"):
            self.delete_model(request, membership)


class SectionAdminForm(ServiceAdminForm):
    class Meta:
        model = Section
        fields = ["title", "position"]

    def write(self, data):
        return services.section_update(section_id=self.instance.pk, by=self.editor, **data)


@admin.register(Section)
class SectionAdmin(ServiceAdmin):
    """Sections are renamed and reordered here; they are added on the draft's Manage page."""

    form = SectionAdminForm
    list_display = ["title", "draft", "position"]
    list_select_related = ["draft"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedActs:
    """Admin pages of acts a person makes in a round (proposals, amendments, comments, votes): the
    person is told as the naming rule tells a reader who is not them (``drafting.naming``; under the
    Chatham House rule, the stakeholder group only), never by the raw field, in the list, the form
    and the history (whose "Changed by" is named the same way)."""

    person_fields: tuple[str, ...] = ()  # the fields naming the person and what they spoke for
    object_history_list_template = "admin/named_history_list.html"

    @admin.display(description="By")
    def named(self, obj) -> str:
        return self.named_act(obj).label

    def named_act(self, obj):
        raise NotImplementedError

    def draft_id_of(self, obj) -> int | None:
        raise NotImplementedError

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.person_fields]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if "named" in fields else [*fields, "named"]

    def render_history_view(self, request, template, context, **kwargs):
        page = context.get("page_obj")  # the list of versions; one version's form has none
        if page is None:
            return super().render_history_view(request, template, context, **kwargs)
        records = list(page.object_list)
        naming = Naming.published(self.draft_id_of(context["object"]))
        naming.load((r.history_user_id, r.history_date) for r in records)
        for record in records:
            record.named_by = changed_by(naming, record).label  # empty for the schedule
        page.object_list = records
        return super().render_history_view(request, template, context, **kwargs)


class ClauseAdminForm(ServiceAdminForm):
    """An admin's edit is a change like any other: through ``clause_update``, against the version the
    admin read, with a reason on record."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=1000, help_text="Why the text changes; it stays in the history.")

    class Meta:
        model = Clause
        fields = ["title", "text", "status", "section"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(draft_id=self.instance.draft_id)
        self.fields["based_on_version"].initial = self.instance.version

    def write(self, data):
        return services.clause_update(
            clause_id=self.instance.pk,
            version=data["based_on_version"],
            by=self.editor,
            title=data["title"],
            text=data["text"],
            status=data["status"],
            section_id=data["section"].pk,
            reason=data["reason"],
        )


@admin.register(Clause)
class ClauseAdmin(NamedActs, ServiceAdmin):
    """A clause's proposer, and who changed each version, are told by the naming rule."""

    form = ClauseAdminForm
    list_display = ["label", "title", "draft", "status", "version"]
    list_filter = ["status", "draft"]
    list_select_related = ["draft"]
    search_fields = ["title", "text"]
    readonly_fields = ["draft", "label", "version", "rationale", "named"]
    fields = ["draft", "label", "version", "section", "title", "text", "status", "rationale", "named"]

    def named_act(self, obj):
        return proposer(Naming.published(obj.draft_id), obj)

    def draft_id_of(self, obj) -> int:
        return obj.draft_id

    def has_add_permission(self, request):
        return False  # clauses are added on the draft's pages, where numbering and rounds apply

    def has_delete_permission(self, request, obj=None):
        return False  # a clause is withdrawn, never deleted: its history stays

    def get_fields(self, request, obj=None):
        return [*self.fields, "based_on_version", "reason"]


ROUND_FIELDS = ["title", *rounds.VOTING_SETTINGS, *rounds.SCHEDULE]


class RoundAdminForm(ServiceAdminForm):
    class Meta:
        model = Round
        fields = ["draft", *ROUND_FIELDS]

    def write(self, data):
        if self.instance.pk is None:
            return services.round_create(by=self.editor, **data)
        changes = {name: data[name] for name in ROUND_FIELDS if name in self.changed_data}
        return services.round_update(round_id=self.instance.pk, by=self.editor, **changes)


@admin.register(Round)
class RoundAdmin(ServiceAdmin):
    """Rounds are created and corrected here through their services; they move on the Rounds page, the
    console and the schedule, which close them exactly once."""

    form = RoundAdminForm
    list_display = ["title", "draft", "phase", "voting_rule", "quorum", "opens_at", "voting_opens_at", "closes_at"]
    list_filter = ["phase", "voting_rule", "draft"]
    list_select_related = ["draft"]

    def get_readonly_fields(self, request, obj=None):
        moved = ["phase", "opened_at", "voting_started_at", "closed_at"]
        return ["draft", *moved] if obj is not None else moved

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Amendment)
class AmendmentAdmin(NamedActs, ServiceOnly, SimpleHistoryAdmin):
    list_display = ["id", "clause", "kind", "status", "named", "base_version", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["clause", "author", "organization"]
    readonly_fields = ["base_version", "base_text"]
    person_fields = ("author", "organization")

    def named_act(self, obj):
        return amendment_author(Naming.published(obj.clause.draft_id), obj)

    def draft_id_of(self, obj) -> int:
        return obj.clause.draft_id


@admin.register(Comment)
class CommentAdmin(NamedActs, ServiceOnly, SimpleHistoryAdmin):
    list_display = ["id", "named", "stance", "hidden", "created_at"]
    list_filter = ["hidden", "stance"]
    list_select_related = ["author", "clause", "amendment__clause"]
    search_fields = ["body"]
    person_fields = ("author",)

    def named_act(self, obj):
        return comment_author(Naming.published(self.draft_id_of(obj)), obj)

    def draft_id_of(self, obj) -> int:
        return (obj.clause if obj.clause_id else obj.amendment.clause).draft_id


@admin.register(Vote)
class VoteAdmin(NamedActs, ServiceOnly, SimpleHistoryAdmin):
    list_display = ["round", "named", "clause", "amendment", "choice", "stakeholder_group"]
    list_filter = ["choice", "stakeholder_group"]
    list_select_related = ["round", "voter", "clause", "amendment", "organization"]
    person_fields = ("voter", "organization")

    def named_act(self, obj):
        naming = Naming.published(obj.round.draft_id, known=[obj.round])
        spoke = naming.recorded(obj.voter_id, obj.created_at, obj.organization)
        return naming.person(obj.voter_id, obj.voter.username, obj.created_at, round_id=obj.round_id, spoke=spoke)

    def draft_id_of(self, obj) -> int:
        return obj.round.draft_id


@admin.register(CommentDisposition)
class CommentDispositionAdmin(ServiceOnly, SimpleHistoryAdmin):
    list_display = ["comment", "round", "disposition", "decided_by"]
    list_select_related = ["comment", "round", "decided_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ServiceOnly, SimpleHistoryAdmin):
    """Decided on the draft's manage page, where the person is told: here only to look up."""

    list_display = ["draft", "user", "role", "status", "decided_by", "created_at"]
    list_filter = ["status", "role"]
    list_select_related = ["draft", "user", "decided_by"]


@admin.register(Translator)
class TranslatorAdmin(ServiceOnly, SimpleHistoryAdmin):
    """Appointed on the draft's translators page (moderators): here only to look up."""

    list_display = ["draft", "user", "language", "appointed_by", "created_at"]
    list_filter = ["language"]
    list_select_related = ["draft", "user", "appointed_by"]


@admin.register(ClauseTranslation)
class ClauseTranslationAdmin(ServiceOnly, SimpleHistoryAdmin):
    """Written on the paragraph's translation page, against the original's current version."""

    list_display = ["clause", "language", "of_version", "translated_by", "updated_at"]
    list_filter = ["language"]
    list_select_related = ["clause", "translated_by"]


class ReadOnlyAdmin(ServiceOnly, admin.ModelAdmin):
    """Results, snapshots and export jobs are written once by their services and never change."""


@admin.register(DraftVisit)
class DraftVisitAdmin(ServiceOnly, admin.ModelAdmin):
    """Each person's last visit per draft, kept by their own views (drafting/services/visits.py): to look up only."""

    list_display = ["user", "draft", "seen_at", "last_viewed_at"]
    list_select_related = ["user", "draft"]


@admin.register(ItemResult)
class ItemResultAdmin(ReadOnlyAdmin):
    list_display = ["round", "clause", "amendment", "outcome", "yes", "no", "abstain", "effect"]
    list_select_related = ["round", "clause", "amendment"]


@admin.register(RoundPaper)
class RoundPaperAdmin(ReadOnlyAdmin):
    """A closed round's papers as frozen at its close (``documents.papers``): to look up only."""

    list_display = ["round", "kind", "made_at"]
    list_select_related = ["round"]


class SnapshotClauseInline(admin.TabularInline):
    model = SnapshotClause
    fields = ["label", "previous_label", "title", "status", "version"]
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
    list_display = ["snapshot", "label", "previous_label", "title", "status", "version"]
    list_select_related = ["snapshot"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["draft", "requested_by", "format", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["draft", "requested_by"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["filename", "requested_by", "status", "stage", "draft", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["draft", "requested_by"]
    search_fields = ["filename", "requested_by__username"]


from . import admin_delegations  # noqa: E402, F401 - delegations' acts: reminders, co-sponsorships
