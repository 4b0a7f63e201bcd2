"""The one place a password is checked: the log-in page, the API token and the admin log-in all
call ``django.contrib.auth.authenticate``, which comes here, so one set of limits holds for all.

Failed attempts are counted per client address (one address trying many names) and per account
(many addresses trying one name). An address the owner has logged in from before is not held back
by the account's count, so an attack on a name does not lock its owner out.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import connection

from codeofconduct.limits import LOGIN_BY_ACCOUNT, LOGIN_BY_ADDRESS, client_address
from codeofconduct.statements import fetch

from .identity import login_key, normalise

KNOWN_FOR = 60 * 60 * 24 * 90  # an address stays known for an account for 90 days


def _known(name: str, address: str) -> str:
    return f"login-known:{name}:{address}"


def moderates_a_draft_sql(person: str) -> str:
    """Whether the person whose id is ``person`` (an SQL expression) moderates any draft, in one
    place: read with the signed-in person of every request (below), with a person found by an API
    token (accounts/authentication.py), and alone by ``moderates_a_draft``."""
    return f"EXISTS (SELECT 1 FROM drafting_draftmembership m WHERE m.user_id = {person} AND m.role = 'moderator')"  # noqa: S608


def moderates_a_draft(user_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {moderates_a_draft_sql('%s')}", [user_id])  # noqa: S608 - the rule's SQL
        return cursor.fetchone()[0]


# The signed-in person of every request, read with what the privileged-session check needs (whether
# they moderate any draft) in one statement; the ORM's query would cost more to build than to run.
MODERATES_A_DRAFT = moderates_a_draft_sql("u.id")
_PERSON = f"""
    SELECT u.*, {MODERATES_A_DRAFT} AS moderates_a_draft
    FROM accounts_user u
    WHERE u.id = %s
"""  # noqa: S608 - constant SQL, the id as a parameter


class GuardedModelBackend(ModelBackend):
    def get_user(self, user_id):
        """As ModelBackend's (active people only), with ``moderates_a_draft`` on the person."""
        people = fetch(get_user_model(), _PERSON, [user_id])
        user = people[0] if people else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        username = kwargs.get(User.USERNAME_FIELD, username)
        if username is None or password is None:
            return None
        name = login_key(str(username))
        address = client_address(request) if request is not None else None
        if address:
            LOGIN_BY_ADDRESS.refuse(address)
        if not (address and cache.get(_known(name, address))):
            LOGIN_BY_ACCOUNT.refuse(name)
        user = User._default_manager.filter(username__iexact=normalise(str(username))).order_by("pk").first()
        if user is None:
            User().set_password(password)  # as long as a real check, so timing does not tell names apart
        elif user.check_password(password) and self.user_can_authenticate(user):
            if address:
                cache.set(_known(name, address), 1, timeout=KNOWN_FOR)
            return user
        if address:
            LOGIN_BY_ADDRESS.hit(address)
        LOGIN_BY_ACCOUNT.hit(name)
        return None
