from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafting.admin import NamedActs, ReadOnlyAdmin, ServiceOnly
from drafting.naming import Naming

from . import services
from .models import Event, Notification, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(ServiceOnly, admin.ModelAdmin):
    """People follow and unfollow on the pages and the API (``services.follow`` / ``unfollow``)."""

    list_display = ["user", "draft", "clause", "created_at"]
    list_select_related = ["user", "draft", "clause"]


@admin.register(Event)
class EventAdmin(NamedActs, ReadOnlyAdmin):
    list_display = ["kind", "draft", "named", "created_at", "fanned_out_at"]
    list_filter = ["kind"]
    list_select_related = ["draft", "actor"]
    person_fields = ("actor",)

    def named_act(self, obj):
        if obj.actor_id is None:
            return Naming.published(None).person(None, _("the schedule"), obj.created_at)
        return Naming.published(obj.draft_id).person(obj.actor_id, obj.actor.username, obj.created_at)

    def draft_id_of(self, obj) -> int | None:
        return obj.draft_id


@admin.register(Notification)
class NotificationAdmin(ServiceOnly, admin.ModelAdmin):
    """Admins find emails that failed after their last attempt here (filter: email status = failed)
    and send them again. What a notice says stays with its recipient: "Your amendment 4 was
    accepted" beside a name would tell who wrote an amendment the Chatham House rule keeps unnamed."""

    list_display = ["recipient", "draft", "created_at", "read_at", "email_status", "email_attempts", "email_error"]
    list_filter = ["email_status"]
    list_select_related = ["recipient", "draft"]
    fields = ["recipient", "draft", "created_at", "read_at", "email_status", "email_attempts", "email_error"]
    readonly_fields = fields
    actions = ["retry_email"]

    @admin.action(description=gettext_lazy("Send the email again"))
    def retry_email(self, request, queryset):
        services.notifications_email_retry(ids=list(queryset.values_list("pk", flat=True)))
