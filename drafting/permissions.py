"""Who may do what on a draft: declared once here, used by the API, the pages and the services.

A person's standing in a draft is one of: anonymous, non-member, observer, participant, moderator,
or admin (a superuser, who may do everything).
"""

from .models import Draft, DraftMembership, Role, Visibility

ANONYMOUS = "anonymous"
NON_MEMBER = "non_member"
ADMIN = "admin"


def standing(user, draft: Draft, role: str | None = None) -> str:
    """The person's standing in ``draft``; pass ``role`` when it is already known (no query)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if user.is_superuser:
        return ADMIN
    if role is None:
        role = DraftMembership.objects.filter(draft=draft, user=user).values_list("role", flat=True).first()
    return role or NON_MEMBER


def can_view(standing_: str, draft: Draft) -> bool:
    return draft.visibility == Visibility.PUBLIC or standing_ in (
        ADMIN,
        Role.MODERATOR,
        Role.PARTICIPANT,
        Role.OBSERVER,
    )


def can_moderate(standing_: str) -> bool:
    return standing_ in (ADMIN, Role.MODERATOR)


def can_appoint_members(standing_: str) -> bool:
    return standing_ in (ADMIN, Role.MODERATOR)


def can_create_draft(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)
