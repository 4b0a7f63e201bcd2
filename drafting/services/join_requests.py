"""Asking for a role on a draft, and the moderators' answer.

A signed-in person with no role in a draft they can read (a public one: a members-only draft does
not exist for outsiders, so its moderators appoint its members instead) asks to join it as a
participant or an observer; an observer asks to take part as a participant. The draft's moderators
are told; one of them approves (the person becomes a member with the role asked for, through
``draft_member_set``) or declines, and the person is told either way.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from notifications import services as notifications

from .. import rules
from ..models import Draft, DraftMembership, JoinRequest, Role
from ..refusals import said
from ..selectors import draft_subject
from ..selectors.join_requests import join_request_for
from .common import clean_text
from .drafts import draft_member_set

MAX_MESSAGE = 2_000
MAX_REASON = 500
ROLES_ASKED_FOR = (Role.PARTICIPANT, Role.OBSERVER)


def _already_asked(join_request: JoinRequest) -> Conflict:
    return Conflict(
        # Translators: "%(role)s" is the role asked for (participant, observer); "%(date)s" is like 2026-03-14.
        _("You asked to join as %(role)s on %(date)s; the draft's moderators have not decided yet.")
        % {"role": said(join_request.role), "date": f"{join_request.created_at:%Y-%m-%d}"},
        status=join_request.status,
        request=join_request.pk,
    )


@transaction.atomic
def join_request_create(*, draft: Draft, by: User, role: str = Role.PARTICIPANT, message: str = "") -> JoinRequest:
    """Ask for ``role`` on ``draft``: 409 when ``by`` already has a role there or already asked."""
    standing = rules.standing(by, draft)
    rules.check("join_request", draft_subject(draft, standing))
    if role not in ROLES_ASKED_FOR:
        raise InvalidInput(_("Ask to join as a participant or an observer."), field="role")
    if standing == rules.OBSERVER and role != Role.PARTICIPANT:
        raise Conflict(_("You observe this draft already; ask to take part in it as a participant."), role=standing)
    message = clean_text(message, field="message", limit=MAX_MESSAGE, required=False)
    pending = JoinRequest.objects.filter(draft=draft, user=by, status=JoinRequest.Status.PENDING).first()
    if pending is not None:
        raise _already_asked(pending)
    join_request = JoinRequest(draft=draft, user=by, role=role, message=message)
    try:
        with transaction.atomic():  # two clicks at once: the constraint lets one through
            save_with_history(join_request, by=by, reason=f"Asked to join as {role}")
    except IntegrityError:
        raise _already_asked(JoinRequest.objects.get(draft=draft, user=by, status=JoinRequest.Status.PENDING)) from None
    notifications.notify(
        kind="join_requested",
        draft=draft,
        actor=by,
        moderators=True,
        message=f"{notifications.who(by)} asks to join {draft.title} as {role}"
        + (", observing it now." if standing == rules.OBSERVER else "."),
        url=reverse("draft-manage", args=[draft.slug]) + "#join-requests",
    )
    return join_request


def _decide(request_id: int, by: User, reason: str) -> tuple[JoinRequest, str]:
    join_request, standing = join_request_for(by, request_id, for_update=True)
    rules.check("join_decide", rules.Subject(standing, state=join_request.status))
    return join_request, clean_text(reason, field="reason", limit=MAX_REASON, required=False, one_line=True)


def _record(join_request: JoinRequest, *, status: str, by: User, reason: str) -> None:
    join_request.status, join_request.decided_by, join_request.decided_at = status, by, timezone.now()
    join_request.reason = reason
    save_with_history(join_request, by=by, reason=f"Request {status}" + (f": {reason}" if reason else ""))


# Who may do more: approving a request raises a person's role to the one asked for, never lowers it.
ROLE_RANK = {Role.OBSERVER: 0, Role.PARTICIPANT: 1, Role.MODERATOR: 2}


@transaction.atomic
def join_request_approve(*, request_id: int, by: User, reason: str = "") -> JoinRequest:
    """Give the person the role they asked for. Someone appointed by hand meanwhile keeps a higher
    role (a request never lowers one) and is raised from a lower one (an observer who asked to take
    part becomes a participant); the request is closed all the same.

    Holds the request's row lock, so of two moderators answering at once the second is told it was
    already decided.
    """
    join_request, reason = _decide(request_id, by, reason)
    draft = join_request.draft
    current = DraftMembership.objects.filter(draft=draft, user_id=join_request.user_id).first()
    role = join_request.role
    if current is not None and ROLE_RANK[current.role] >= ROLE_RANK[role]:
        role = current.role
    else:
        draft_member_set(draft=draft, user_id=join_request.user_id, role=role, by=by)
    _record(join_request, status=JoinRequest.Status.APPROVED, by=by, reason=reason)
    notifications.notify(
        kind="join_approved",
        draft=draft,
        actor=by,
        recipients=[join_request.user_id],
        message=f"Your request to join {draft.title} was approved: you are now {role}."
        + (f" {reason}" if reason else ""),
        url=reverse("draft-detail", args=[draft.slug]),
    )
    return join_request


@transaction.atomic
def join_request_decline(*, request_id: int, by: User, reason: str = "") -> JoinRequest:
    """Decline the request, with a reason the person reads; they may ask again later."""
    join_request, reason = _decide(request_id, by, reason)
    _record(join_request, status=JoinRequest.Status.DECLINED, by=by, reason=reason)
    draft = join_request.draft
    notifications.notify(
        kind="join_declined",
        draft=draft,
        actor=by,
        recipients=[join_request.user_id],
        message=f"Your request to join {draft.title} as {join_request.role} was declined."
        + (f" Reason: {reason}" if reason else ""),
        url=reverse("draft-detail", args=[draft.slug]),
    )
    return join_request
