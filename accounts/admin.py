from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from codeofconduct.errors import DomainError

from . import services, tokens
from .models import ApiToken, Membership, Organization, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    actions = ["revoke_tokens"]
    readonly_fields = ["privileged_since"]

    def save_model(self, request, obj, form, change):
        """Made an administrator here: from now on only a credential confirmed with a second factor
        acts for them (``services.privilege_granted``); a new password ends their API tokens."""
        before = User.objects.filter(pk=obj.pk).first() if change else None
        # A moderator is privileged already, but an administrator may do more: a credential they
        # confirmed for moderating acts for the administrator in nothing.
        was_administrator = before is not None and (before.is_staff or before.is_superuser)
        super().save_model(request, obj, form, change)
        if (obj.is_staff or obj.is_superuser) and not was_administrator:
            services.privilege_granted(user=obj, by=request.user, reason="Made an administrator")
        if before is not None and before.password != obj.password:
            services.password_changed(user=obj)

    @admin.action(description=gettext_lazy("Revoke all API tokens of the selected people"))
    def revoke_tokens(self, request, queryset):
        revoked = sum(tokens.tokens_revoke(user=user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked) % {"count": revoked},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners (token page, API); here an administrator sees and revokes them."""

    list_display = ["name", "user", "created", "expiry", "second_factor_at", "session_key"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    fields = ["name", "user", "created", "expiry", "second_factor_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganizationForm(forms.ModelForm):
    """The admin names organizations by the same rules as sign-up (accounts.services)."""

    class Meta:
        model = Organization
        fields = ["name", "stakeholder_group", "country"]

    def clean_name(self):
        try:
            name = services.organization_name_checked(self.cleaned_data["name"], exclude_pk=self.instance.pk)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return name


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = OrganizationForm
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

    @admin.action(description=gettext_lazy("Verify the selected memberships"))
    def verify(self, request, queryset):
        for membership in queryset:
            try:
                services.membership_verify(
                    organization_id=membership.organization_id, user_id=membership.user_id, by=request.user
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
