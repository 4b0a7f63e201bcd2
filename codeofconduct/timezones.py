"""Each person reads times in their own zone (``accounts.User.time_zone``; blank: UTC), with the zone
named beside every time a page shows ("4 Dec 2026, 17:00 CET").

``TimeZoneMiddleware`` makes the person's zone current for each page request, so templates, forms
(a round's schedule is typed in the reader's zone) and ``timezone.localtime`` use it. API answers
stay in UTC: ISO 8601 with its offset is read by programs, not people, and a client's parser should
not see different answers per account.
"""

import zoneinfo
from datetime import datetime
from functools import cache

from django.utils import formats, timezone, translation

UTC_NAME = "UTC"


# Names the zone database carries that are no place a person lives in: "localtime" is whatever the
# server's clock is set to, "Factory" a placeholder, and the posix/right trees copies with other rules.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def available() -> frozenset[str]:
    """The IANA zones a person may choose (``zoneinfo.available_timezones()`` without what is no
    place, read once)."""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in NOT_PLACES and not name.startswith(("posix/", "right/"))
    )


def choices() -> list[tuple[str, str]]:
    """For a select: UTC first, then every zone by name."""
    zones = [(name, name.replace("_", " ")) for name in sorted(available())]
    return [("", translation.gettext("UTC (the default)")), *zones]


def zone_for(name: str | None):
    """The zone called ``name``, or None for blank or a name this system does not know."""
    if not name or name not in available():
        return None
    return zoneinfo.ZoneInfo(name)


def zone_label(moment: datetime) -> str:
    """The zone's short name at that moment ("CET", "CEST", "UTC"); where the zone has none, its
    offset from UTC ("UTC+05:45")."""
    name = moment.tzname() or UTC_NAME
    if name[:1] in "+-":
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{rest:02d}" if rest else f"UTC{sign}{hours:02d}"
    return name


def display(value: datetime | None) -> str:
    """A moment as people read it, in the current zone and naming it: "4 Dec 2026, 17:00 CET"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if translation.get_language() in (None, "en"):
        return f"{local.day} {local:%b %Y, %H:%M} {zone_label(local)}"
    # Another interface language: its own order, month names and 24-hour clock ("4 déc. 2026 17:00").
    day = formats.date_format(local, "DATE_FORMAT")
    return f"{day} {local:%H:%M} {zone_label(local)}"


class TimeZoneMiddleware:
    """Make the signed-in person's zone the current one for the request (UTC when they set none).

    After the authentication middleware; API requests (which authenticate later, by token) are
    left in UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        if not request.path.startswith("/api/"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                zone = zone_for(getattr(user, "time_zone", ""))
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
