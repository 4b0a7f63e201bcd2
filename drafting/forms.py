from django import forms
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StakeholderGroup, User
from codeofconduct.inputs import LARGEST_ID

from . import services
from .models import (
    AmendmentKind,
    ClauseStatus,
    Counting,
    Disposition,
    Distribution,
    Language,
    Role,
    Section,
    SectionKind,
    Stance,
    Visibility,
    VotingRule,
    text_direction,
)
from .selectors.pages import paragraphs_to_follow
from .services.rounds import schedule_errors

# Browsers enforce these too, but the service is what refuses: the form keeps what was typed.
TEXT_ATTRS = {"rows": 8}


class SpeakingAs:
    """On a proposal, an amendment or a comment, a moderator chooses whom they speak for: the Chair
    (the default: moderators act as the Chair) or their own delegation. Others are not asked.
    ``speaker``: ``(user, draft, standing)`` of the person filling the form."""

    def __init__(self, *args, speaker=None, **kwargs):
        super().__init__(*args, **kwargs)
        if speaker is None:
            return
        from accounts.selectors import speaking_for

        from . import rules

        user, draft, standing = speaker
        if standing not in rules.MODERATORS:
            return
        organization = speaking_for(user)
        mine = (
            gettext("For my delegation: %(organization)s (%(group)s)")
            % {"organization": organization.name, "group": organization.get_stakeholder_group_display()}
            if organization is not None
            else gettext("For myself, not as the Chair")
        )
        # Translators: %(chair)s is how the draft names its Chair, e.g. "the Chair of the Working Group".
        as_chair = gettext("As %(chair)s") % {"chair": draft.chair} if draft.chair else gettext("As the Chair")
        self.fields["speaking_as"] = forms.ChoiceField(
            choices=[(rules.AS_CHAIR, as_chair), (rules.AS_DELEGATION, mine)],
            initial=rules.AS_CHAIR,
            required=False,  # not chosen: the Chair's, as the service decides
            widget=forms.RadioSelect,
            label=_("Speaking as"),
            help_text=_("You moderate this draft: what you do here is the Chair's unless you choose your delegation."),
        )


class DraftForm(forms.Form):
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibility"))


class DraftSettingsForm(forms.Form):
    """A draft's title, readers and its identity on the documents it circulates; the service checks
    the values (a symbol's shape, one no other draft has), and the form keeps what was typed."""

    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibility"))
    symbol = forms.CharField(
        max_length=60,
        required=False,
        label=_("Document symbol"),
        help_text=_("For example CCC/2026/L.1; revisions add /Rev.N. Blank: one is made up."),
    )
    original_language = forms.CharField(max_length=10, label=_("Original language"), help_text=_("A code: en, fr, es."))
    distribution = forms.ChoiceField(choices=Distribution.choices, label=_("Distribution"))
    issuing_body = forms.CharField(
        max_length=200,
        required=False,
        label=_("Issuing body"),
        help_text=_("Blank: the secretariat of the negotiation."),
    )
    chair = forms.CharField(
        max_length=200,
        required=False,
        label=_("The Chair"),
        help_text=_(
            "How the record names the Chair, whose acts the moderators' are (the zero draft, edits, "
            "closes): “the Chair of the Working Group”. Blank: “the Chair”."
        ),
    )
    titles_in_text = forms.BooleanField(
        required=False,
        label=_("Paragraph titles are part of the text"),
        help_text=_(
            "Circulated texts (the original and its revisions) print operative paragraphs as “1.”, “2.” "
            "without titles, in UN style, unless this is ticked."
        ),
    )


class SectionForm(forms.Form):
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    kind = forms.ChoiceField(
        choices=SectionKind.choices,
        initial=SectionKind.OPERATIVE,
        required=False,
        label=_("Kind"),
        help_text=_("Preambular paragraphs are cited PP1, PP2…; operative ones OP1, OP2…"),
    )


class SectionEditForm(SectionForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(draft=draft)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        widget=forms.TextInput,
        label=_("User name"),
    )
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class ClauseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT_ATTRS), label=_("Text"))
    status = forms.ChoiceField(choices=ClauseStatus.choices, required=False, label=_("Status"))
    reason = forms.CharField(
        max_length=1000, required=False, label=_("Reason"), help_text=_("Why this change? Shown in the history.")
    )


class RevertForm(forms.Form):
    to_version = forms.IntegerField(min_value=1, label=_("To version"))
    reason = forms.CharField(max_length=1000, label=_("Reason"))


class PlaceSelect(forms.Select):
    """The places a new paragraph may take, each paragraph's option naming its section
    (``data-section``), so that static/js/app.js offers only those of the section chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {}  # option value -> section id

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if str(value) in self.sections:
            option["attrs"]["data-section"] = self.sections[str(value)]
        return option


def _place(value: str) -> int | str:
    return value if value == services.AT_START else int(value)


class Placed(forms.Form):
    """A new paragraph's section and its place in it (the propose page's and the Manage page's)."""

    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Section"))
    after = forms.TypedChoiceField(
        label=_("Position"),
        required=False,
        coerce=_place,
        empty_value=None,  # the end of the section
        widget=PlaceSelect,
        help_text=_(
            "Cited numbers do not move during a round: a paragraph put after OP16 is OP16 bis "
            "until a revision renumbers the text."
        ),
    )

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(draft=draft)
        groups = {}  # (section id, title) -> the options of its paragraphs, in reading order
        place = self.fields["after"]
        place.widget.sections = {}  # this form's own: a copied widget shares its parent's dict
        for pk, section_id, section_title, ref, title in paragraphs_to_follow(draft):
            groups.setdefault((section_id, section_title), []).append(
                (pk, gettext("After %(ref)s: %(title)s") % {"ref": ref, "title": Truncator(title).chars(60)})
            )
            place.widget.sections[str(pk)] = section_id
        place.choices = [
            ("", gettext("At the end of the section")),
            (services.AT_START, gettext("At the start of the section")),
            *((section_title, options) for (_, section_title), options in groups.items()),
        ]


class ProposeForm(SpeakingAs, Placed):
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    text = forms.CharField(
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        label=_("Text"),
        help_text=_("Markdown. Shown in square brackets until agreed."),
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Rationale"), help_text=_("Why this clause?")
    )


class ClauseForm(SpeakingAs, Placed):
    """A moderator adds a clause on the Manage page."""

    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT_ATTRS), label=_("Text"), help_text=_("Markdown."))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Rationale"))


class AmendmentForm(SpeakingAs, forms.Form):
    kind = forms.ChoiceField(
        choices=AmendmentKind.choices, widget=forms.RadioSelect, initial=AmendmentKind.MODIFY, label=_("Kind")
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        required=False,
        label=_("Text"),
        help_text=_("The full new text of the clause (ignored when deleting it)."),
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Rationale"))


class SuggestForm(SpeakingAs, forms.Form):
    """Suggesting on the words (``services.amendment_suggest``). The words are typed, or filled in by
    static/js/app.js from a selection in the paragraph as shown or in its text; the server finds them
    in the text (``suggestions.locate``), and ``occurrence`` says which, when they stand more than once."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    occurrence = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    quote = forms.CharField(
        label=_("Words to change"),
        strip=False,
        max_length=settings.MAX_CLAUSE_TEXT,
        help_text=_("Select them in the paragraph, or type them as they read there."),
    )
    replacement = forms.CharField(
        label=_("Replace them with"),
        required=False,
        strip=False,
        help_text=_("Leave it empty to delete the words."),
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Rationale"))


class CommentForm(SpeakingAs, forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"))
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.NEUTRAL, label=_("Stance"))
    quote = forms.CharField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, label=_("Reason"), help_text=_("Stays on record."))


class RoundForm(forms.Form):
    # The view suggests a title no round of the draft has yet (see ``suggested_round_title``).
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    voting_rule = forms.ChoiceField(choices=VotingRule.choices, label=_("Voting rule"))
    counting = forms.TypedChoiceField(
        choices=Counting.choices,
        initial=Counting.PER_DELEGATION,
        required=False,
        empty_value=Counting.PER_DELEGATION,
        widget=forms.RadioSelect,
        label=_("Who votes"),
        help_text=_(
            "Per delegation, any verified member casts or changes the organization's one vote on an item, "
            "and the tally, the quorum and the multistakeholder rule count delegations."
        ),
    )
    quorum = forms.IntegerField(
        min_value=0,
        initial=0,
        label=_("Quorum"),
        help_text=_("The fewest votes (delegations, when one voice each) an item needs to be decided."),
    )
    eligible_groups = forms.MultipleChoiceField(
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(StakeholderGroup.values),
        label=_("Eligible groups"),
    )
    hide_tallies_until_close = forms.BooleanField(required=False, initial=True, label=_("Hide tallies until close"))
    chatham_house = forms.BooleanField(
        required=False,
        label=_("Chatham House rule"),
        help_text=_("Results name stakeholder groups, never people or organizations."),
    )
    opens_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Opens at")
    )
    voting_opens_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Voting opens at")
    )
    closes_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Closes at")
    )

    def clean(self):
        """Every schedule error at once, each beside its own field (the service refuses the same)."""
        data = super().clean()
        for field, message in schedule_errors(
            data.get("opens_at"), data.get("voting_opens_at"), data.get("closes_at")
        ).items():
            self.add_error(field, message)
        return data


# Each title whole, for the languages that say "reading" first or agree the ordinal with it.
READINGS = (
    _("First reading"),
    _("Second reading"),
    _("Third reading"),
    _("Fourth reading"),
    _("Fifth reading"),
    _("Sixth reading"),
    _("Seventh reading"),
    _("Eighth reading"),
    _("Ninth reading"),
    _("Tenth reading"),
)


def suggested_round_title(titles: list[str]) -> str:
    """A title for a draft's next round that none of its rounds has: "Second reading" after the first,
    in the reader's language (only a suggestion: the moderator's title is what is kept)."""
    taken = {title.strip().casefold() for title in titles}
    # One more candidate than there are titles, so one of them is always free.
    for n in range(len(titles) + 1, 2 * len(titles) + 2):
        title = str(READINGS[n - 1]) if n <= len(READINGS) else gettext("Reading %(number)d") % {"number": n}
        if title.casefold() not in taken:
            return title
    return ""


class DispositionForm(forms.Form):
    # No default: a moderator who records a disposition chooses one (a preset "Accepted" was recorded
    # by whoever only meant to write a reason).
    disposition = forms.ChoiceField(choices=[("", _("Choose…")), *Disposition.choices], label=_("Disposition"))
    reason = forms.CharField(max_length=500, required=False, label=_("Reason"))


class SnapshotForm(forms.Form):
    label = forms.CharField(max_length=100, label=_("Label"), help_text=_("For example “Chair's text, 12 March”."))


class JoinRequestForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (Role.PARTICIPANT.value, _("Participant: propose, amend, comment and vote")),
            (Role.OBSERVER.value, _("Observer: read and comment")),
        ],
        initial=Role.PARTICIPANT.value,
        label=_("Join as"),
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2_000,
        label=_("Message"),
        help_text=_("Who you are and whom you speak for, for the moderators."),
    )

    def __init__(self, *args, standing: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if standing == Role.OBSERVER:  # an observer asks to take part; observing they do already
            self.fields["role"].choices = self.fields["role"].choices[:1]


class TranslationForm(forms.Form):
    """A paragraph's translation, of the original's version in ``of_version`` (the one on screen)."""

    of_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID)
    title = forms.CharField(max_length=settings.MAX_TITLE, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT_ATTRS), label=_("Text"))

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "text"):  # typed in the language translated into, in its direction
            self.fields[name].widget.attrs.update({"lang": language, "dir": text_direction(language)})


class TranslatorForm(forms.Form):
    user = forms.TypedChoiceField(coerce=int, label=_("Member"))
    language = forms.ChoiceField(label=_("Translates into"))

    def __init__(self, *args, members=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(m.user_id, m.user.username) for m in members]
        self.fields["language"].choices = [(code, Language(code).label) for code in languages]
