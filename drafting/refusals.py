"""How a rule of ``drafting.rules`` says no: the error it raises and the words that tell why."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from codeofconduct.errors import Conflict, DomainError, NotAllowed

if TYPE_CHECKING:
    from .rules import Subject


@dataclass(frozen=True)
class Refusal:
    error: type[DomainError]
    message: str
    extra: dict = field(default_factory=dict)

    def exception(self) -> DomainError:
        return self.error(self.message, **self.extra)


def forbidden(message: str) -> Refusal:
    return Refusal(NotAllowed, message)


def not_now(message: str, **extra) -> Refusal:
    return Refusal(Conflict, message, extra)


def membership_said(s: "Subject") -> str:
    """Whom the person speaks for and whether that is verified, when the caller looked it up
    (``context["speaking_for"]``: a ``SpeakingFor`` or None; ``selectors.who_they_are``)."""
    if "speaking_for" not in s.context:
        return ""
    speaking = s.context["speaking_for"]
    if speaking is None:
        return " " + _("You belong to no organization yet.")
    member = f"{speaking.organization.name} ({speaking.group_label})"
    if speaking.verified:
        return " " + _("You are a verified member of %(member)s.") % {"member": member}
    return " " + _("You are a member of %(member)s, not yet verified by an administrator.") % {"member": member}


# A phase, status or role code as a refusal's sentence says it ("(now: open)", "is withdrawn"): in
# English the code itself, so a code with no word here is said as it is.
_WORDS = {
    "none": pgettext_lazy("round phase: no round yet", "none"),
    "scheduled": pgettext_lazy("round phase", "scheduled"),
    "open": pgettext_lazy("round phase", "open"),
    "voting": pgettext_lazy("round phase", "voting"),
    "closed": pgettext_lazy("round phase", "closed"),
    "proposed": pgettext_lazy("status of a clause", "proposed"),
    "agreed": pgettext_lazy("status of a clause", "agreed"),
    "bracketed": pgettext_lazy("status of a clause", "bracketed"),
    "rejected": pgettext_lazy("status of a clause or an amendment", "rejected"),
    "withdrawn": pgettext_lazy("status of a clause, an amendment or a co-sponsorship", "withdrawn"),
    "submitted": pgettext_lazy("status of an amendment", "submitted"),
    "accepted": pgettext_lazy("status of an amendment", "accepted"),
    "conflicted": pgettext_lazy("status of an amendment", "conflicted"),
    "superseded": pgettext_lazy("status of an amendment", "superseded"),
    "pending": pgettext_lazy("status of a request", "pending"),
    "approved": pgettext_lazy("status of a request", "approved"),
    "declined": pgettext_lazy("status of a request", "declined"),
    "requested": pgettext_lazy("status of a co-sponsorship request", "requested"),
    "joined": pgettext_lazy("status of a co-sponsorship", "joined"),
    "observer": pgettext_lazy("role in a draft", "observer"),
    "participant": pgettext_lazy("role in a draft", "participant"),
    "moderator": pgettext_lazy("role in a draft", "moderator"),
}


def said(code: str) -> str:
    """A phase, status or role code as a sentence says it, in the language of the request."""
    word = _WORDS.get(code)
    return str(word) if word is not None else code
