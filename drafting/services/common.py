from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from codeofconduct.errors import InvalidInput, TooLarge
from codeofconduct.inputs import refuse_control_characters, refuse_line_breaks

from .. import rules
from ..markdown import MAX_FORMATTED, formatted_passages
from ..models import Draft

# The largest number a PositiveIntegerField column holds on PostgreSQL (32-bit): a larger quorum or
# position is refused naming the field, not left to fail in the database as a 500.
LARGEST_COUNT = 2**31 - 1

# The fields ``clean_text`` names in its refusals, as the sentence's subject ("Title is 300 characters").
# A field not listed is named as its code, capitalised.
FIELD_NAMES = {
    "title": pgettext_lazy("field named in an error", "Title"),
    "text": pgettext_lazy("field named in an error", "Text"),
    "rationale": pgettext_lazy("field named in an error", "Rationale"),
    "body": pgettext_lazy("field named in an error", "Body"),
    "quote": pgettext_lazy("field named in an error", "Quote"),
    "reason": pgettext_lazy("field named in an error", "Reason"),
    "summary": pgettext_lazy("field named in an error", "Summary"),
    "message": pgettext_lazy("field named in an error", "Message"),
    "label": pgettext_lazy("field named in an error", "Label"),
    "chair": pgettext_lazy("field named in an error: how the draft names its Chair", "Chair"),
}


def field_name(field: str) -> str:
    """``field`` as a refusal names it, in the language of the request."""
    name = FIELD_NAMES.get(field)
    return str(name) if name is not None else field.capitalize()


def clean_text(value: str | None, *, field: str, limit: int, required: bool = True, one_line: bool = False) -> str:
    """Strip, refuse blank (400) or oversized (413) text, with a message naming the limit.

    Control characters are refused everywhere (they reach here from the admin, imports and commands
    too, not only through the guarded doors); ``one_line`` fields (titles, labels) refuse line
    breaks, since they become email subjects and headings; other texts, read as Markdown, format at
    most ``MAX_FORMATTED`` passages.
    """
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field may not be blank."), field=field)
    if len(value) > limit:
        raise TooLarge(
            # Translators: "%(field)s" names the field ("Title", "Text"); the numbers are already formatted.
            _("%(field)s is %(length)s characters; the limit is %(limit)s.")
            % {"field": field_name(field), "length": f"{len(value):,}", "limit": f"{limit:,}"},
            field=field,
        )
    refuse_control_characters(value, field=field)
    if one_line:
        refuse_line_breaks(value, field=field, label=field_name(field))
    elif (formatted := formatted_passages(value)) > MAX_FORMATTED:
        raise InvalidInput(
            _(
                # Translators: "%(field)s" names the field ("Text", "Rationale"); the numbers are already formatted.
                "%(field)s formats %(count)s passages (emphasis, bold, code or links); the limit is %(limit)s, "
                "so its pages and documents stay quick to make. Format fewer of them."
            )
            % {"field": field_name(field), "count": f"{formatted:,}", "limit": MAX_FORMATTED},
            field=field,
        )
    return value


def choose(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        # Translators: "%(choices)s" lists the values to send ("yes, no, abstain"), untranslated.
        raise InvalidInput(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}, field=field)
    return value


def acts_as_chair(subject: rules.Subject, speaking_as: str | None) -> bool:
    """Whether an act (a proposal, an amendment, a comment) is the Chair's: a moderator's is, unless
    they chose to speak for their delegation on it (``speaking_as="delegation"``); asking to speak
    as the Chair without being a moderator is refused (403)."""
    if speaking_as not in (None, "", rules.AS_CHAIR, rules.AS_DELEGATION):
        # Translators: 'chair' and 'delegation' are the values to send: keep them untranslated.
        raise InvalidInput(_("Speak as 'chair' or as your 'delegation'."), field="speaking_as")
    if speaking_as == rules.AS_CHAIR:
        rules.check("speak_as_chair", subject)
        return True
    return speaking_as != rules.AS_DELEGATION and rules.allowed("speak_as_chair", subject)


def lock_draft(draft: Draft) -> None:
    """Serialise clause numbering in one draft: the draft's row stays locked until the commit."""
    Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk", flat=True).get()
