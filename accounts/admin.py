from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from codeofconduct.errors import DomainError

from . import services
from .models import Membership, Organization, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    pass


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "stakeholder_group", "country"]
    list_filter = ["stakeholder_group"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "status", "verified_at"]
    list_filter = ["status", "organization__stakeholder_group"]
    search_fields = ["user__username", "organization__name"]
    list_select_related = ["user", "organization"]
    readonly_fields = ["verified_by", "verified_at"]
    actions = ["verify"]

    @admin.action(description="Verify the selected memberships")
    def verify(self, request, queryset):
        for membership in queryset:
            try:
                services.membership_verify(
                    organization_id=membership.organization_id, user_id=membership.user_id, by=request.user
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
