from codeofconduct.errors import InvalidInput, TooLarge
from codeofconduct.inputs import refuse_control_characters, refuse_line_breaks

from .. import rules
from ..markdown import MAX_FORMATTED, formatted_passages
from ..models import Draft

# The largest number a PositiveIntegerField column holds on PostgreSQL (32-bit): a larger quorum or
# position is refused naming the field, not left to fail in the database as a 500.
LARGEST_COUNT = 2**31 - 1


def clean_text(value: str | None, *, field: str, limit: int, required: bool = True, one_line: bool = False) -> str:
    """Strip, refuse blank (400) or oversized (413) text, with a message naming the limit.

    Control characters are refused everywhere (they reach here from the admin, imports and commands
    too, not only through the guarded doors); ``one_line`` fields (titles, labels) refuse line
    breaks, since they become email subjects and headings; other texts, read as Markdown, format at
    most ``MAX_FORMATTED`` passages.
    """
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput("This field may not be blank.", field=field)
    if len(value) > limit:
        raise TooLarge(f"{field.capitalize()} is {len(value):,} characters; the limit is {limit:,}.", field=field)
    refuse_control_characters(value, field=field)
    if one_line:
        refuse_line_breaks(value, field=field, label=field.capitalize())
    elif (formatted := formatted_passages(value)) > MAX_FORMATTED:
        raise InvalidInput(
            f"{field.capitalize()} formats {formatted:,} passages (emphasis, bold, code or links); the limit is "
            f"{MAX_FORMATTED}, so its pages and documents stay quick to make. Format fewer of them.",
            field=field,
        )
    return value


def choose(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"Choose one of: {', '.join(choices.values)}.", field=field)
    return value


def acts_as_chair(subject: rules.Subject, speaking_as: str | None) -> bool:
    """Whether an act (a proposal, an amendment, a comment) is the Chair's: a moderator's is, unless
    they chose to speak for their delegation on it (``speaking_as="delegation"``); asking to speak
    as the Chair without being a moderator is refused (403)."""
    if speaking_as not in (None, "", rules.AS_CHAIR, rules.AS_DELEGATION):
        raise InvalidInput("Speak as 'chair' or as your 'delegation'.", field="speaking_as")
    if speaking_as == rules.AS_CHAIR:
        rules.check("speak_as_chair", subject)
        return True
    return speaking_as != rules.AS_DELEGATION and rules.allowed("speak_as_chair", subject)


def lock_draft(draft: Draft) -> None:
    """Serialise clause numbering in one draft: the draft's row stays locked until the commit."""
    Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk", flat=True).get()
