"""Reads about requests to join a draft: the moderators' queue and a person's own request."""

from ..models import Draft, JoinRequest
from .lookups import _visible


def join_requests_pending(draft: Draft):
    """The draft's undecided requests, oldest first: the order moderators answer them in."""
    return (
        JoinRequest.objects.filter(draft=draft, status=JoinRequest.Status.PENDING)
        .select_related("user", "draft")
        .order_by("created_at", "id")
    )


def join_request_latest(user, draft: Draft) -> JoinRequest | None:
    """The person's latest request to join ``draft`` (pending or decided), or None."""
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(draft=draft, user=user).order_by("-created_at", "-id").first()


def join_request_for(user, request_id: int, *, for_update: bool = False) -> tuple[JoinRequest, str]:
    """The request and the person's standing in its draft; NotFound when they may not see the draft."""
    requests = JoinRequest.objects.select_related("draft", "user", "decided_by")
    if for_update:
        requests = requests.select_for_update(of=("self",))
    return _visible(user, requests.filter(pk=request_id).first(), lambda r: r.draft, "request")
