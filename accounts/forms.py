from django import forms
from django.utils.translation import gettext_lazy as _

from codeofconduct import timezones

from .countries import COUNTRY_CHOICES
from .models import Organization, StakeholderGroup


class SignUpForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("Username"))
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(widget=forms.PasswordInput, max_length=128, label=_("Password"))
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        required=False,
        label=_("Organization"),
        empty_label=_("— my organization is not listed —"),
    )
    new_organization_name = forms.CharField(max_length=200, required=False, label=_("New organization: name"))
    new_organization_group = forms.ChoiceField(
        choices=[("", "—"), *StakeholderGroup.choices], required=False, label=_("Stakeholder group")
    )
    new_organization_country = forms.ChoiceField(
        choices=[("", "—"), *COUNTRY_CHOICES], required=False, label=_("Country")
    )

    def clean(self):
        data = super().clean()
        if not data.get("organization"):
            missing = [
                name
                for name in ("new_organization_name", "new_organization_group", "new_organization_country")
                if not data.get(name)
            ]
            for name in missing:
                self.add_error(name, _("Choose your organization above, or fill this in to add it."))
        return data

    def organization_arguments(self) -> dict:
        data = self.cleaned_data
        if data.get("organization"):
            return {"organization_id": data["organization"].pk}
        return {
            "new_organization": {
                "name": data["new_organization_name"],
                "stakeholder_group": data["new_organization_group"],
                "country": data["new_organization_country"],
            }
        }


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        choices=timezones.choices,
        required=False,
        label=_("Time zone"),
        help_text=_("Pages show every time in this zone, naming it."),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a time zone this site knows; choose one from the list.")
        },
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, label=_("Name"), help_text=_("What the token is for, to tell it apart.")
    )
    days = forms.IntegerField(
        min_value=1,
        initial=30,
        label=_("Days"),
        help_text=_("How long it lasts (an administrator's or moderator's lasts a day)."),
    )
    ends_at_sign_out = forms.BooleanField(
        required=False, initial=True, label=_("Revoke it when I log out of this browser")
    )
