"""The interface's language, for each request and each message sent.

A page is in the signed-in person's saved choice (``accounts.User.language``), else the switcher's
cookie, else the first of the six their browser asks for (``Accept-Language``), else English. An API
request signed in by token is authenticated after this middleware runs, so it is answered in the
language of its ``Accept-Language``. An email or a notification is in its recipient's saved choice,
else English (``for_person``). The draft's own text has languages of its own (``drafting.models.Language``).
"""

import functools
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from codeofconduct.errors import InvalidInput, NotAllowed

CODES = [code for code, _name in settings.LANGUAGES]


def chosen(user) -> str:
    """The language a person chose for the interface, or "" (their browser's, then English)."""
    if user is None or not user.is_authenticated:
        return ""
    language = getattr(user, "language", "")
    return language if language in CODES else ""


@contextmanager
def for_person(user):
    """What is written inside (an email, a notification's words) is in ``user``'s language."""
    with translation.override(chosen(user) or settings.LANGUAGE_CODE):
        yield


def recorded():
    """What is written inside is stored (a history reason, a notification's words, a round's
    papers): in the default language whoever acts, as every other stored text is."""
    return translation.override(settings.LANGUAGE_CODE)


def in_default_language(function):
    """``function`` runs in the default language: a document or a paper is the same whoever asks."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with recorded():
            return function(*args, **kwargs)

    return wrapper


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Vary: Accept-Language, Content-Language), with the person's own
    choice first. After the authentication middleware."""

    def process_request(self, request):
        language = chosen(getattr(request, "user", None)) or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The switcher's cookie chooses the language too: a shared cache must not give one
        # reader's page to another who chose differently (whether or not the session was read).
        patch_vary_headers(response, ("Cookie",))
        return super().process_response(request, response)


# No form token: the switcher is on every page, and a token would give every anonymous reader a
# CSRF cookie and make each page unique. Instead the browser's own word on where the form came
# from is checked (Sec-Fetch-Site, else Origin): another site's form is refused (403).
@csrf_exempt
@require_POST
def language_switch(request):
    """The switcher: the cookie for everyone, and the saved choice of a signed-in person, so their
    emails follow it too; blank goes back to the browser's language. Back to the page it was
    chosen on."""
    from accounts.services import language_set

    if _from_another_site(request):
        raise NotAllowed(translation.gettext("The language is chosen on this site's own pages."))
    language = request.POST.get("language", "")
    if language and language not in CODES:
        raise InvalidInput(
            translation.gettext("Choose one of the languages offered: %(codes)s.") % {"codes": ", ".join(CODES)},
            field="language",
        )
    if request.user.is_authenticated:
        language_set(user=request.user, language=language)
    response = redirect(_back_to(request, request.POST.get("next", "")))
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response


def _from_another_site(request) -> bool:
    fetched_from = request.headers.get("Sec-Fetch-Site", "")
    if fetched_from:
        return fetched_from not in ("same-origin", "none")
    origin = request.headers.get("Origin", "")
    return bool(origin) and urlsplit(origin).netloc != request.get_host()


def _back_to(request, target: str) -> str:
    """The page the switcher was used on, as a path of this site ("/" for anything else)."""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(target)
    path = urlunsplit(("", "", parts.path, parts.query, ""))
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/"
