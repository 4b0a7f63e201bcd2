"""API tokens, read in one plain statement.

DRF's ``TokenAuthentication`` loads the token and its person through the ORM on every API request;
building that query costs more than answering it. This reads the same row the same way, and
refuses exactly what DRF refuses (an unknown token, an inactive person).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from codeofconduct.statements import fetch

from .models import User

_PERSON_BY_KEY = "SELECT u.* FROM accounts_user u JOIN authtoken_token t ON t.user_id = u.id WHERE t.key = %s"


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        users = fetch(User, _PERSON_BY_KEY, [key])
        if not users:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = users[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)
