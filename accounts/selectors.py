"""Reads about people: above all, which organization (and so which stakeholder group) a person speaks for.

This is the one place that rule lives: amendments record it, notifications name it under Chatham
House rule, dispositions and results show the group, and votes count it.
"""

from django.db.models import Case, IntegerField, Value, When

from .models import Membership, Organization, User

# A verified membership counts before a pending one; among equals, the oldest comes first.
_SPEAKING_ORDER = (
    Case(When(status=Membership.Status.VERIFIED, then=Value(0)), default=Value(1), output_field=IntegerField()),
    "created_at",
    "id",
)


def speaking_for(user: User | None) -> Organization | None:
    """The organization a person speaks for: their oldest verified membership, else their oldest one."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    membership = Membership.objects.filter(user=user).select_related("organization").order_by(*_SPEAKING_ORDER).first()
    return membership.organization if membership else None


def groups_spoken_for(user_ids) -> dict[int, str]:
    """``{user id: stakeholder group}`` for many people in one query, by the same rule as ``speaking_for``."""
    groups: dict[int, str] = {}
    rows = (
        Membership.objects.filter(user_id__in=set(user_ids))
        .order_by("user_id", *_SPEAKING_ORDER)
        .values_list("user_id", "organization__stakeholder_group")
    )
    for user_id, group in rows:
        groups.setdefault(user_id, group)
    return groups


def voting_membership(user: User, eligible_groups) -> Membership | None:
    """The verified membership a person votes through in a round open to ``eligible_groups``.

    Only verified memberships vote; of several, the oldest in an eligible group.
    """
    return (
        Membership.objects.filter(
            user=user, status=Membership.Status.VERIFIED, organization__stakeholder_group__in=list(eligible_groups)
        )
        .select_related("organization")
        .order_by("created_at", "id")
        .first()
    )


def is_verified(user: User) -> bool:
    return Membership.objects.filter(user=user, status=Membership.Status.VERIFIED).exists()
