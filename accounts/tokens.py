"""API tokens: issued, listed and revoked here, by the token endpoint, the token page, log-out,
password changes, promotion and the admin alike.

The tokens are django-rest-knox's (``accounts.ApiToken``): a random key shown once, only its hash
stored. knox was chosen over extending DRF's plain token by hand because it already hashes keys at
rest, gives every token an expiry, and allows many tokens per person (one per script or device),
each revocable alone; what this platform adds is what a token records of how it was issued (a
name, the second factor, the password, the session it is bound to), checked again on every
request by ``accounts.authentication``.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codeofconduct.errors import Conflict, InvalidInput, NotFound
from codeofconduct.inputs import refuse_control_characters, refuse_direction_overrides, refuse_line_breaks

from . import services, twofactor
from .models import ApiToken, User

DEFAULT_NAME = "API token"


def token_issue(
    *,
    user: User,
    name: str = "",
    days: int | None = None,
    second_factor_at: datetime | None = None,
    session_key: str = "",
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once: only its hash is kept).

    ``second_factor_at`` is the moment the caller saw the person confirm a second factor (the token
    endpoint's code, a verified session, or an operator vouching at the shell); without one the
    token acts for an administrator or moderator in nothing (``twofactor.credential_refusal``).
    ``session_key`` binds the token to a signed-in session: signing out of it revokes the token.
    """
    name = (name or "").strip() or DEFAULT_NAME
    refuse_control_characters(name, field="name")
    refuse_direction_overrides(name, field="name")
    refuse_line_breaks(name, field="name", label=_("A token's name"))
    if len(name) > 100:
        raise InvalidInput(_("Give the token a name of at most 100 characters."), field="name")
    if days is None:
        days = settings.API_TOKEN_DAYS
    most = settings.API_TOKEN_MAX_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= most:
        raise InvalidInput(
            ngettext("A token lasts from 1 to %(most)d day.", "A token lasts from 1 to %(most)d days.", most)
            % {"most": most},
            field="days",
        )
    lifetime = timedelta(days=days)
    if twofactor.second_factor_required(user):
        lifetime = min(lifetime, timedelta(hours=settings.PRIVILEGED_TOKEN_HOURS))
    with transaction.atomic():
        services.one_at_a_time(user)
        if tokens_of(user).count() >= settings.API_TOKENS_PER_PERSON:
            raise Conflict(
                ngettext(
                    "You hold %(count)d live API token, the most one person may; revoke it first.",
                    "You hold %(count)d live API tokens, the most one person may; revoke one you no longer use first.",
                    settings.API_TOKENS_PER_PERSON,
                )
                % {"count": settings.API_TOKENS_PER_PERSON}
            )
        return ApiToken.objects.create(
            user=user,
            expiry=lifetime,
            name=name,
            second_factor_at=second_factor_at,
            auth_hash=user.get_session_auth_hash(),
            session_key=session_key or "",
        )


def tokens_of(user: User):
    """The person's tokens that still sign them in: not expired, issued under today's password."""
    now = timezone.now()
    return ApiToken.objects.filter(user=user, auth_hash=user.get_session_auth_hash()).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=now)
    )


def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the person's own tokens (someone else's is as unknown as a missing one)."""
    deleted, _kinds = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound(_("You have no API token with this id."))


def tokens_revoke(*, user: User, session_key: str | None = None) -> int:
    """Revoke all the person's tokens, or only those bound to one session; how many were."""
    tokens = ApiToken.objects.filter(user=user)
    if session_key is not None:
        if not session_key:
            return 0
        tokens = tokens.filter(session_key=session_key)
    deleted, _ = tokens.delete()
    return deleted


def tokens_end_with_session(sender, request, user, **kwargs) -> None:
    """Django's ``user_logged_out``: whatever signs a session out (the log-out page or API, the
    privileged idle time-out, the admin's log-out) revokes the tokens made to end with it."""
    if user is not None and request is not None and getattr(request, "session", None) is not None:
        tokens_revoke(user=user, session_key=request.session.session_key or "")


def tokens_purge_expired() -> int:
    """Delete tokens that can never sign anyone in again (run daily by beat)."""
    deleted, _ = ApiToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted
