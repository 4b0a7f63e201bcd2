"""Rate limits that hold: who the client is, and counters every web worker shares.

- ``client_address`` believes ``X-Forwarded-For`` only from proxies listed in
  ``TRUSTED_PROXIES`` (none by default), so rotating the header changes nothing; IPv6 clients are
  counted per /64, the block one subscriber gets.
- ``Limit`` counts events in the default cache (Redis in production, the database on the
  embedded default), so all workers and processes see one count. The count is a sliding window:
  this window's events plus the last window's weighted by how much of it still lies within one
  period, so a window's edge never hands out a fresh allowance (a fixed window lets twice the
  limit through around its edge).
- The limits themselves (``LIMITS``) are read from settings, each ``"N/period"`` with the period
  in seconds, minutes, hours or days (``"10/15min"``, ``"20/hour"``).
"""

import ipaddress
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

UNITS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@lru_cache(maxsize=64)
def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/15min"`` as (10 events, 900 seconds)."""
    match = RATE.match(rate)
    if not match or match.group(3) not in UNITS:
        raise ValueError(f"A rate is 'N/period', such as '10/min' or '20/hour', not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNITS[unit]


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The address a request came from, as far as this deployment can know it.

    ``REMOTE_ADDR`` unless that is a trusted proxy; then the right-most address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (entries further left are what the
    client claimed, and a client claims anything).
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if _trusted(remote, networks):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break
            remote = address
            if not _trusted(address, networks):
                break
    if remote is None:
        return "unknown"
    if remote.version == 6:
        if remote.ipv4_mapped:
            return str(remote.ipv4_mapped)
        return str(ipaddress.ip_network(f"{remote}/64", strict=False))
    return str(remote)


@dataclass(frozen=True)
class Limit:
    """A number of events allowed per period for one key (an address, an account, an email)."""

    name: str
    setting: str
    message: str  # lazy: read in the language of the request it refuses

    @property
    def rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting))

    def _key(self, ident: str, window: int) -> str:
        return f"limit:{self.name}:{ident}:{window}"

    def _now(self) -> tuple[int, float]:
        """This window's number and how far into it we are (0 to 1)."""
        period = self.rate[1]
        now = time.time()
        return int(now // period), (now % period) / period

    def count(self, ident: str) -> int:
        """The events of the last period: this window's, and the last window's still inside it
        (rounded up: a window's last events are not forgiven a second after its edge)."""
        window, elapsed = self._now()
        counts = cache.get_many([self._key(ident, window), self._key(ident, window - 1)])
        current = counts.get(self._key(ident, window), 0)
        previous = counts.get(self._key(ident, window - 1), 0)
        return current + math.ceil(previous * (1 - elapsed))

    def exceeded(self, ident: str) -> bool:
        return self.count(ident) >= self.rate[0]

    def retry_after(self, ident: str) -> int:
        """Seconds until one more event is allowed (the last window's share fades linearly)."""
        allowed, period = self.rate
        window, elapsed = self._now()
        current = cache.get(self._key(ident, window), 0)
        previous = cache.get(self._key(ident, window - 1), 0)
        if current >= allowed or not previous:
            return int((1 - elapsed) * period) + 1
        # current + ceil(previous * (1 - t)) < allowed  once  t >= 1 - (allowed - current - 1) / previous
        fades_at = 1 - (allowed - current - 1) / previous
        return max(1, int((fades_at - elapsed) * period) + 1)

    def hit(self, ident: str) -> int:
        """Count one event; this window's count so far."""
        window, _ = self._now()
        key = self._key(ident, window)
        keep = 2 * self.rate[1] + 1  # the next window still weighs this one
        cache.add(key, 0, timeout=keep)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=keep)
            return 1

    def refuse(self, ident: str) -> None:
        """Raise 429 (with Retry-After) when ``ident`` has used up this limit."""
        if self.exceeded(ident):
            raise TooManyRequests(str(self.message), retry_after=self.retry_after(ident))

    def take(self, ident: str) -> None:
        """Refuse when used up, else count this event."""
        self.refuse(ident)
        self.hit(ident)


LOGIN_BY_ADDRESS = Limit(
    "login-address", "LOGIN_ADDRESS_RATE", _("Too many failed log-in attempts from your address. Wait and try again.")
)
LOGIN_BY_ACCOUNT = Limit(
    "login-account",
    "LOGIN_ACCOUNT_RATE",
    _("Too many failed log-in attempts for this account. Wait and try again, or reset your password."),
)
SIGNUP_BY_ADDRESS = Limit("signup-address", "SIGNUP_ADDRESS_RATE", _("Too many sign-ups from your address. Try later."))
RESET_BY_ADDRESS = Limit(
    "reset-address", "PASSWORD_RESET_ADDRESS_RATE", _("Too many password resets asked from your address. Try later.")
)
RESET_BY_EMAIL = Limit(
    "reset-email", "PASSWORD_RESET_EMAIL_RATE", _("Too many password resets asked for this address. Try later.")
)
HEAVY_BY_ADDRESS = Limit(
    "heavy-address", "HEAVY_ANONYMOUS_RATE", _("Too many exports asked from your address. Wait a minute, or sign in.")
)
LIMITS = [LOGIN_BY_ADDRESS, LOGIN_BY_ACCOUNT, SIGNUP_BY_ADDRESS, RESET_BY_ADDRESS, RESET_BY_EMAIL, HEAVY_BY_ADDRESS]
