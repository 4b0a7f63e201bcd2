from django import forms
from django.conf import settings

from accounts.models import User

from .models import ClauseStatus, Role, Section, Visibility

# Browsers enforce these too, but the service is what refuses: the form keeps what was typed.
TEXT_ATTRS = {"rows": 8}


class DraftForm(forms.Form):
    title = forms.CharField(max_length=settings.MAX_TITLE)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    visibility = forms.ChoiceField(choices=Visibility.choices)


class SectionForm(forms.Form):
    title = forms.CharField(max_length=settings.MAX_TITLE)


class ClauseForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.none())
    title = forms.CharField(max_length=settings.MAX_TITLE)
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT_ATTRS), help_text="Markdown.")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(draft=draft)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True).order_by("username"), to_field_name="username", widget=forms.TextInput, label="User name")
    role = forms.ChoiceField(choices=Role.choices)


class ClauseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=settings.MAX_TITLE)
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT_ATTRS))
    status = forms.ChoiceField(choices=ClauseStatus.choices)
    reason = forms.CharField(max_length=1000, required=False, help_text="Why this change? Shown in the history.")


class RevertForm(forms.Form):
    to_version = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=1000)
