"""API tokens (django-rest-knox's, ``accounts.ApiToken``), checked on every request.

knox finds a token by the first characters of its key and compares the hash of the whole key. This
does the same in one plain statement that also reads the person as a signed-in session reads them
(``accounts.backends``: with whether they moderate a draft), because a token is checked against
what the person is *now*, not what they were when it was issued:

- an expired token, or one issued under an earlier password, signs nobody in (401);
- an administrator's or moderator's token acts only if its second factor was confirmed since they
  became one (403, ``accounts.twofactor.credential_refusal``, the same rule as for sessions).
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from codeofconduct.statements import columns, fetch

from . import twofactor
from .backends import MODERATES_A_DRAFT
from .models import ApiToken, User

_TOKEN_FIELDS = ("id", "digest", "name", "created", "expiry", "second_factor_at", "auth_hash", "session_key")
_PERSON_BY_TOKEN = f"""
    SELECT {columns(User, "u")}, {MODERATES_A_DRAFT} AS moderates_a_draft,
        {", ".join(f"t.{name} AS token_{name}" for name in _TOKEN_FIELDS)}
    FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
    WHERE t.token_key = %s
"""  # noqa: S608 - names from the models, the key as a parameter
_TYPED = {f"token_{name}": ApiToken._meta.get_field(name) for name in _TOKEN_FIELDS}


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        key = token.decode("utf-8", errors="replace")
        try:
            digest = hash_token(key)
        except (TypeError, binascii.Error, ValueError) as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        for user in fetch(User, _PERSON_BY_TOKEN, [key[: CONSTANTS.TOKEN_KEY_LENGTH]], typed=_TYPED):
            if compare_digest(digest, user.token_digest):
                return self._check(user, _token_of(user))
        raise exceptions.AuthenticationFailed(_("Invalid token."))

    def _check(self, user: User, token: ApiToken):
        if token.expiry is not None and token.expiry <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired; ask for a new one."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not compare_digest(token.auth_hash, user.get_session_auth_hash()):
            raise exceptions.AuthenticationFailed(_("This token ended when your password changed; ask for a new one."))
        if token.session_key and not _session_lives(token.session_key):
            # Made to end with a session that ended without a log-out (its age, another sign-in).
            raise exceptions.AuthenticationFailed(
                _("This token ended with the session it was made in; ask for a new one.")
            )
        refusal = twofactor.credential_refusal(user, token.second_factor_at, credential="token")
        if refusal:
            raise exceptions.PermissionDenied(refusal)
        return user, token


def _session_lives(session_key: str) -> bool:
    """Whether the session a token was bound to still exists (read from the cache first)."""
    from importlib import import_module

    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    session.load()  # forgets the key of a session that is gone or expired
    return session.session_key is not None


def _token_of(user: User) -> ApiToken:
    token = ApiToken(user=user, **{name: getattr(user, f"token_{name}") for name in _TOKEN_FIELDS})
    token._state.adding = False
    return token
