"""How a rule of ``drafting.rules`` says no: the error it raises and the words that tell why."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
        return " You belong to no organization yet."
    member = f"{speaking.organization.name} ({speaking.group_label})"
    if speaking.verified:
        return f" You are a verified member of {member}."
    return f" You are a member of {member}, not yet verified by an administrator."
