"""Two-factor authentication for the people who can change what others see: administrators and
moderators (issue 10, point 5).

A privileged person confirms an authenticator app (TOTP) and gets ten one-time recovery codes; a
session of theirs does nothing but set that up or confirm a code until it has (pages, the admin and
session API calls alike), and it ends after ``PRIVILEGED_IDLE_SECONDS`` without a request. The API
token endpoint asks a privileged person for a code too, so a password alone never yields a token
that can moderate. Codes are checked by django-otp, which slows down repeated wrong guesses.

Privilege is checked when a credential is used, not when it was made: every session and token
records when its second factor was confirmed, and acts for an administrator or moderator only if
that was at or after the moment they became one (``User.privileged_since``, set by
``accounts.services.privilege_granted``). A participant's token or session that was good yesterday
does nothing today if they were made a moderator in between.
"""

import base64
import io
import time
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from codeofconduct.errors import InvalidInput, NotAllowed

from .backends import moderates_a_draft

RECOVERY_CODES = 10
SETUP_PATH = "/accounts/two-factor/"
# Where a session keeps the moment its second factor was confirmed (ISO 8601).
SESSION_CONFIRMED_AT = "second_factor_at"
# What an unconfirmed privileged session may still reach: the setup page and what every page,
# that one included, loads (static files, the scripts' words) or offers (the language switcher).
OPEN_PATHS = (
    SETUP_PATH,
    "/accounts/logout/",
    "/accounts/login/",
    "/static/",
    "/health/",
    "/favicon",
    "/jsi18n/",
    "/language/",
)


def is_privileged(user) -> bool:
    """Administrators, and moderators of any draft."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    moderates = getattr(user, "moderates_a_draft", None)  # read with the person (accounts.backends)
    return bool(moderates if moderates is not None else moderates_a_draft(user.pk))


def second_factor_required(user) -> bool:
    """Whether what this person does needs a credential confirmed with a second factor."""
    return bool(settings.TWO_FACTOR_REQUIRED and is_privileged(user))


def second_factor_current(user, confirmed_at: datetime | None) -> bool:
    """The one rule for every credential (session, token, admin log-in): its second factor counts
    if it was confirmed at or after the moment the person last became privileged."""
    if confirmed_at is None:
        return False
    since = getattr(user, "privileged_since", None)
    return since is None or confirmed_at >= since


def credential_refusal(user, confirmed_at: datetime | None, *, credential: str) -> str | None:
    """Why ``credential`` may not act for this person, or None if it may."""
    if not second_factor_required(user) or second_factor_current(user, confirmed_at):
        return None
    if credential == "token":
        return _(
            "This API token was issued without a second factor, or before you became a moderator or "
            "administrator; ask for a new one at /api/v1/auth/token/ with the code from your authenticator "
            "app in `otp`."
        )
    return _(
        "Confirm your second factor first at %(address)s; moderators and administrators use two-factor authentication."
    ) % {"address": SETUP_PATH}


def session_confirm(request, device) -> None:
    """Mark the signed-in session as confirmed with ``device``'s code, now."""
    otp_login(request, device)
    request.session[SESSION_CONFIRMED_AT] = timezone.now().isoformat()


def session_confirmed_at(request) -> datetime | None:
    """When this session's second factor was confirmed, if it was (django-otp's own mark included)."""
    if not request.user.is_verified():
        return None
    stamp = request.session.get(SESSION_CONFIRMED_AT)
    return parse_datetime(stamp) if isinstance(stamp, str) else None


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so a reload keeps it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG in a data: URI (the CSP allows data: images only)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def authenticator_confirm(*, user, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; the new recovery codes (shown once)."""
    device = pending_authenticator(user)
    if not device.verify_token(_digits(code)):
        raise InvalidInput(_("This code does not match; type the 6 digits your app shows now."), field="code")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


def pending_authenticator_confirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new one-time recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def code_check(*, user, code: str):
    """The device a code (authenticator or recovery) belongs to, or ``InvalidInput``."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        raise InvalidInput(_("Type the code from your authenticator app, or a recovery code."), field="code")
    device = match_token(user, code)
    if device is None or not device.confirmed:
        raise InvalidInput(_("This code is not valid (a recovery code works once)."), field="code")
    return device


def token_second_factor(*, user, code: str | None) -> datetime | None:
    """What the API token endpoint asks of a privileged person: a confirmed authenticator and a code.
    The moment the code was confirmed (recorded on the token), or None for anyone else."""
    if not second_factor_required(user):
        return None
    if not has_authenticator(user):
        raise NotAllowed(
            _("Administrators and moderators use two-factor authentication: set it up at %(address)s first.")
            % {"address": SETUP_PATH}
        )
    if not code:
        raise InvalidInput(_("Give the code from your authenticator app (or a recovery code)."), field="otp")
    try:
        code_check(user=user, code=code)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="otp") from exc
    return timezone.now()


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def idle_left(user, session, *, now: float | None = None) -> float | None:
    """Seconds until a privileged person's session ends for want of a request of theirs
    (``PRIVILEGED_IDLE_SECONDS`` after their last; negative once it has), None when it does not end
    so (no one privileged, or no request seen yet)."""
    if not is_privileged(user):
        return None
    last = session.get("privileged_seen")
    return None if last is None else last + settings.PRIVILEGED_IDLE_SECONDS - (now or time.time())


def idle_too_long(user, session, *, now: float | None = None) -> bool:
    """Whether a privileged person's session has had no request of theirs for longer than
    ``PRIVILEGED_IDLE_SECONDS`` (it then ends; a live stream on it ends too)."""
    left = idle_left(user, session, now=now)
    return left is not None and left < 0


def _by_itself(request) -> bool:
    """A request a page makes by itself to stay current (live/views.py, static/js/live.js)."""
    return request.path.startswith("/live/") or "X-Live-Refresh" in request.headers


class PrivilegedSessionMiddleware:
    """Sessions of administrators and moderators: a second factor first, and an idle time-out.

    Token-authenticated API calls never reach this with a user (DRF authenticates them later);
    ``accounts.authentication`` applies the same rule to the token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_privileged(user):
            return self.get_response(request)
        now = time.time()
        last = request.session.get("privileged_seen")
        if idle_too_long(user, request.session, now=now):
            logout(request)
            minutes = settings.PRIVILEGED_IDLE_SECONDS // 60
            if request.path.startswith("/api/"):
                detail = ngettext(
                    "Signed out after %(minutes)d idle minute; sign in again.",
                    "Signed out after %(minutes)d idle minutes; sign in again.",
                    minutes,
                ) % {"minutes": minutes}
                return JsonResponse({"detail": detail}, status=401)
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        # One session write a half-minute at most; what a page asks by itself to stay current (live.js)
        # is no sign of the person.
        if last is None or (now - last > 30 and not _by_itself(request)):
            request.session["privileged_seen"] = now
        refusal = credential_refusal(user, session_confirmed_at(request), credential="session")
        if refusal and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": refusal}, status=403)
            return redirect(f"{SETUP_PATH}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
