"""What the rules of ``drafting.rules`` ask of the database: a person's standing in a draft, and the
rules that pages and services ask as queries (which drafts a person reads, who reads a draft, where
a hidden comment is read).

``drafting.rules`` is the table and re-exports these (``rules.standing``, ``rules.viewable_drafts``),
so callers ask the table for them; what they need of the table they import when they run, since the
table imports this module.
"""

from django.db.models import Exists, OuterRef, Q

from .models import DraftMembership, Visibility


def standing(user, draft=None, role: str | None = None) -> str:
    """The person's role in ``draft`` (or anonymous, non-member, admin); one query unless ``role`` is given.

    Without a draft: anonymous, admin or non-member, for what is decided platform-wide.

    Participants are not told apart by verification here (that is ``Subject.verified``), so the
    API's ``your_role`` stays the role the person was appointed to.
    """
    from .rules import ADMIN, ANONYMOUS, NON_MEMBER

    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if user.is_superuser:
        return ADMIN
    if role is None and draft is not None:
        role = DraftMembership.objects.filter(draft=draft, user=user).values_list("role", flat=True).first()
    return role or NON_MEMBER


def viewable_drafts(user, drafts):
    """The ``view`` rule as a query: the drafts of ``drafts`` this person may read."""
    if user.is_authenticated and user.is_superuser:
        return drafts
    if not user.is_authenticated:
        return drafts.filter(visibility=Visibility.PUBLIC)
    member = DraftMembership.objects.filter(draft=OuterRef("pk"), user=user)
    return drafts.filter(Q(visibility=Visibility.PUBLIC) | Exists(member))


def readers_of(draft) -> Q:
    """The ``view`` rule as a filter on people: who may read ``draft`` (and so hear of it)."""
    if draft.visibility == Visibility.PUBLIC:
        return Q()
    return Q(is_superuser=True) | Q(draft_memberships__draft=draft)


def hidden_comments_readable(user, drafts):
    """The ``comment_read_hidden`` rule as a query, for comments that are not the person's own: the
    drafts of ``drafts`` where their standing alone lets them read a hidden comment. (Search finds
    a hidden comment only so; its author still reads it on its page.)"""
    from .rules import ADMIN, ANONYMOUS, HIDDEN, MODERATOR, OBSERVER, PARTICIPANT, Subject, allowed

    def lets(standing: str) -> bool:
        return allowed("comment_read_hidden", Subject(standing, state=HIDDEN))

    if not user.is_authenticated:
        return drafts if lets(ANONYMOUS) else drafts.none()
    if user.is_superuser:
        return drafts if lets(ADMIN) else drafts.none()
    roles = [role for role in (OBSERVER, PARTICIPANT, MODERATOR) if lets(role)]
    return drafts.filter(Exists(DraftMembership.objects.filter(draft=OuterRef("pk"), user=user, role__in=roles)))
