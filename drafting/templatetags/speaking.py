"""Who a named person spoke for in the act shown: "ana — Brazil (Government)"."""

from django import template
from django.utils.html import format_html

from accounts.models import Organization
from accounts.selectors import SpeakingFor

register = template.Library()


@register.simple_tag
def speaking_for(speaking, named: bool = True, lead: str = " — ") -> str:
    """``speaking``: a ``SpeakingFor`` (``accounts.selectors.speaking_for_at``), the organization an
    act stored (an amendment's), or the API's ``speaking_for`` object (a results row's). ``named=False`` (the Chatham House rule) tells only the group.
    Nothing when the person spoke for no organization."""
    if isinstance(speaking, Organization):
        speaking = SpeakingFor.of(speaking)
    elif isinstance(speaking, dict) and speaking.get("stakeholder_group"):  # the API's shape, in results
        name = speaking.get("organization")
        speaking = SpeakingFor(
            Organization(name=name) if name else None, speaking["stakeholder_group"], speaking.get("verified", True)
        )
    if not isinstance(speaking, SpeakingFor):
        return ""
    if not named:
        speaking = speaking.without_organization()
    return format_html('{}<span class="speaking-for" data-testid="speaking-for">{}</span>', lead, str(speaking))
