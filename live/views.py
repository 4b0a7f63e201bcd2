"""The stream of a draft's changes: ``GET /live/drafts/<slug>/events/`` as Server-Sent Events.

Served by Django's async view under an ASGI server (``uvicorn codeofconduct.asgi:application``;
the other pages stay on gunicorn). It authenticates as the API does, a session or a token, and
answers 404 to whoever may not read the draft, as its pages do. Then:

- ``Last-Event-ID`` (sent by the browser when it reconnects) or ``?after=``: every change after
  that event is sent first, from the table; ``?since=`` (when a page was made): every change that
  may have committed since; ``resync`` when that cannot be told in full;
- each change as it commits (``live.bus``), ``change`` with ``{"kind": ...}`` and the event id;
  votes (without an id) only to the draft's members, whose pages count them;
- a comment line every ``KEEP_ALIVE`` seconds, so proxies keep the connection;
- the reader is asked again, and the stream ends (``end``) when its session or token has ended,
  the person changed, or they may no longer read the draft: at once when a row that decides it
  changes (``live.access``: signing out, a token revoked, a membership, the draft's visibility),
  when a moderator's idle time or a token's life runs out, and every ``RECHECK`` seconds or so for
  what ends otherwise: a session's age (two weeks) or a change without a signal (a bulk update).
  The periodic checks are spread, not all at once: 2,000 screens of one room are 2,000 checks a
  ``RECHECK``.

A person holds at most ``STREAMS_PER_PERSON`` streams in one process (429 beyond).
"""

import asyncio
import logging
import math
import random
import time
from collections import Counter

from asgiref.sync import sync_to_async
from django import db
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from accounts import twofactor
from codeofconduct.errors import DomainError
from drafting import rules, selectors

from . import services
from .bus import ASK_AGAIN, RESYNC, bus, frame, person

log = logging.getLogger(__name__)

# Under the minute after which proxies and load balancers commonly drop a quiet connection (nginx's
# proxy_read_timeout, a cloud balancer's idle time-out); ours (deploy/nginx.conf) waits an hour.
# Each is a write to a quiet stream, 55 s after its last: 2,000 quiet screens, 36 writes a second on average.
KEEP_ALIVE = 55
# The fallback for what no signal tells and no clock foresees; each check is a read in a thread:
# 2,000 screens, 3 checks a second.
RECHECK = 600
# Each a browser tab, a projector or a client of the API; far more than a delegate opens.
STREAMS_PER_PERSON = 20
# How long a stream waits for its process to be listening before it gives up (the client retries).
LISTENING_WITHIN = 10

_open: Counter = Counter()  # this process's streams per person


def _checked(request) -> tuple:
    """``(person, seconds their token has left)`` as the API authenticates the request (``math.inf``:
    no token, or one that does not expire); raises what it would answer."""
    checked = Request(request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES])
    expiry = getattr(checked.auth, "expiry", None)
    return checked.user, math.inf if expiry is None else (expiry - timezone.now()).total_seconds()


def _reader(request, slug: str):
    """``(person, draft, standing, seconds their token has left)`` as the API would find them;
    raises what it would answer."""
    user, token_left = _checked(request)
    draft, standing = selectors.draft_for(user, slug)
    return user, draft, standing, token_left


def _idle_left(request, user) -> float:
    """The seconds a moderator's session has left before its idle time-out (``math.inf``: no such clock)."""
    left = None
    if hasattr(request, "session") and user.is_authenticated:
        left = twofactor.idle_left(user, request.session)
    return math.inf if left is None else left


def _session_again(request, user) -> float | None:
    """The request's session read afresh: None when a moderator's has run out of idle time, else
    the seconds it has left (``_idle_left``)."""
    if not hasattr(request, "session"):
        return math.inf
    request.session = request.session.__class__(request.session.session_key)
    left = _idle_left(request, user)
    if left < 0:
        return None
    request.user = SimpleLazyObject(lambda: get_user(request))
    return left


def _reader_again(request, slug: str, user) -> float | None:
    """None when the same person may no longer read the draft (the session and token read
    afresh), else the seconds by which to ask again at the latest (``_session_again``)."""
    left = _session_again(request, user)
    if left is None:
        return None
    try:
        again, _draft, _standing, token_left = _reader(request, slug)
    except (DomainError, APIException):
        return None
    return min(left, token_left) if again.pk == user.pk else None


def _shared(function):
    """A read of an open stream, on one of the few connections of the process's thread pool."""
    return sync_to_async(function, thread_sensitive=False)


def _where_from(request) -> tuple[str, int] | None:
    """Where the client stands: ``("after", event id)`` from ``Last-Event-ID`` (a reconnect) or
    ``?after=``; else ``("since", seconds)`` from ``?since=`` (when its page was made); else None.
    Raises ValueError for a value that is neither."""
    value = request.headers.get("Last-Event-ID") or request.GET.get("after")
    if value is not None:
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            raise ValueError(_("Last-Event-ID and after are event ids: whole numbers."))
        return "after", int(value)
    moment = request.GET.get("since")
    if moment is None:
        return None
    if not (moment.isascii() and moment.isdigit() and len(moment) < 12):
        raise ValueError(_("since is a moment in whole seconds since 1970 (as the page gives it)."))
    return "since", int(moment)


def _too_many_streams() -> str:
    return ngettext(
        "You follow %(count)d live page already; close it to follow another.",
        "You follow %(count)d live pages already; close one to follow another.",
        STREAMS_PER_PERSON,
    ) % {"count": STREAMS_PER_PERSON}


async def draft_events(request, slug: str):
    if not isinstance(request, ASGIRequest):
        # A WSGI worker (gunicorn, the test client) would hold itself for as long as the stream.
        elsewhere = reverse("api-draft-events", args=[slug])
        return JsonResponse(
            {
                "detail": _("No live stream here: it is served by the ASGI server. Ask %(address)s.")
                % {"address": elsewhere}
            },
            status=404,
        )
    try:
        start = _where_from(request)
    except ValueError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    mark = bus().access_heard  # an access notice after this one, and the stream asks again
    try:
        async with bus().opening:
            try:
                user, draft, standing, token_left = await sync_to_async(_reader)(request, slug)
            finally:
                # The reads' connection goes at once: a stream open for hours holds none of its own.
                await sync_to_async(connections.close_all)()
    except DomainError as error:
        return JsonResponse(error.as_payload(), status=error.status_code)
    except APIException as error:
        return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
    if user.is_authenticated and _open[user.pk] >= STREAMS_PER_PERSON:
        return JsonResponse({"detail": _too_many_streams()}, status=429)
    member = standing not in (rules.ANONYMOUS, rules.NON_MEMBER)
    response = StreamingHttpResponse(
        _stream(request, slug, user, draft.pk, start, member=member, mark=mark, token_left=token_left),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes each frame on at once
    return response


ENDED = frame("end", {"reason": "Your session or token ended, or what this page shows is no longer open to you."})


async def _relay(queue, allowed_again, left: float):
    """The frames of ``queue`` as they come, a keep-alive comment when none came for a while, and
    ``ENDED`` (then nothing) once ``allowed_again`` says no (None): asked when the bus says to
    (``ASK_AGAIN``), when the time it gave runs out, and every ``RECHECK`` seconds, give or take a
    quarter, so that streams opened together do not all ask together. ``left``: the seconds the
    reader had left when the stream opened (``_idle_left``)."""

    def next_check(left: float, spread: tuple[float, float] = (0.75, 1.25)) -> float:
        return time.monotonic() + min(left + 0.1, RECHECK * random.uniform(*spread))  # noqa: S311

    # The first check anywhere in the first ``RECHECK``: a room's screens, opened together, ask at a
    # steady pace from the start instead of all together one ``RECHECK`` later.
    due = next_check(left, (0, 1))
    written = time.monotonic()  # keep-alives count from the last bytes sent, whatever woke the stream since
    while True:
        now = time.monotonic()
        # Never no wait at all: a wait of nothing would not even look at the queue.
        wait = max(0.05, min(written + KEEP_ALIVE - now, due - now))
        try:
            data = await asyncio.wait_for(queue.get(), wait)
        except TimeoutError:
            data = None
        if data == ASK_AGAIN or time.monotonic() >= due:
            try:
                allowed = await _shared(allowed_again)()
            except db.Error:
                # No one's right can change while the database is away: ask again in a moment.
                log.warning("A live stream could not ask who it serves; asking again shortly.", exc_info=True)
                due = time.monotonic() + KEEP_ALIVE
            else:
                if allowed is None:
                    yield ENDED
                    return
                due = next_check(allowed)
            if data == ASK_AGAIN:
                continue
        if data is None:
            if time.monotonic() - written < KEEP_ALIVE:
                continue  # woken to ask, not to keep the connection
            data = b": still here\n\n"
        written = time.monotonic()
        yield data


async def _stream(
    request,
    slug: str,
    user,
    draft_id: int,
    start: tuple[str, int] | None,
    *,
    member: bool,
    mark: int,
    token_left: float,
):
    # The request's own thread opened a connection (the middleware's reads, the reader's): closed
    # now, so a stream open for hours holds none of its own; its later reads are ``_shared``.
    await sync_to_async(connections.close_all)()
    listener = bus()
    # Votes reach members only: when members vote is theirs to follow; others see the results.
    holder = user.pk if user.is_authenticated else None
    queue = listener.subscribe(draft_id, holder=holder, votes=member)
    _open[user.pk] += 1
    try:
        await asyncio.wait_for(listener.listening.wait(), LISTENING_WITHIN)  # from here nothing is missed
        listener.asked_since(mark, queue)
        yield b"retry: 3000\n\n"
        told: set[int] = set()  # sent from the table: the queue may bring them again
        last = 0
        if start is not None:
            how, where = start
            events, complete = await _shared(services.missed if how == "after" else services.since)(draft_id, where)
            for event in events:
                yield frame("change", {"kind": event.kind}, event.id)
                told.add(event.id)
            if complete:
                # Some told may be older than the one it last heard (late commits): that one stays its place.
                last = max(told | ({where} if how == "after" else set()), default=0)
            else:
                yield RESYNC
        # Where the stream stands, and the id a reconnect sends back.
        last = last or await _shared(services.latest)(draft_id)
        yield frame("ready", {"last": last}, last or None)
        left = min(_idle_left(request, user), token_left)
        async for data in _relay(queue, lambda: _reader_again(request, slug, user), left):
            if told and data.startswith(b"id: ") and int(data[4 : data.index(b"\n")]) in told:
                continue  # sent from the table already
            yield data
    except TimeoutError:
        return  # the process is not listening (its database is away): the client retries, then polls
    finally:
        listener.unsubscribe(queue)
        _open[user.pk] -= 1
        if _open[user.pk] <= 0:
            del _open[user.pk]


# A person's own stream: their notifications -----------------------------------------------------


def _person_again(request, user) -> float | None:
    """As ``_reader_again``, for whether the same person is still signed in."""
    left = _session_again(request, user)
    if left is None:
        return None
    try:
        again, token_left = _checked(request)
    except APIException:
        return None
    return min(left, token_left) if again.is_authenticated and again.pk == user.pk else None


async def person_events(request):
    """``GET /live/me/events/``: the signed-in person's own changes (``change`` with
    ``{"kind": "notifications"}`` when notifications arrive for them or are marked read), for the
    notifications page and its header count. Nothing is kept to resume from: a page back from a
    break reads its notifications again. Ends, as a draft's stream, with the session or token."""
    if not isinstance(request, ASGIRequest):
        return JsonResponse({"detail": _("No live stream here: it is served by the ASGI server.")}, status=404)
    mark = bus().access_heard
    try:
        async with bus().opening:
            try:
                user, token_left = await sync_to_async(_checked)(request)
            finally:
                await sync_to_async(connections.close_all)()
    except APIException as error:
        return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
    if not user.is_authenticated:
        return JsonResponse({"detail": _("Sign in to follow your notifications.")}, status=401)
    if _open[user.pk] >= STREAMS_PER_PERSON:
        return JsonResponse({"detail": _too_many_streams()}, status=429)
    response = StreamingHttpResponse(_person_stream(request, user, mark, token_left), content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response


async def _person_stream(request, user, mark: int, token_left: float):
    await sync_to_async(connections.close_all)()
    listener = bus()
    key = person(user.pk)
    queue = listener.subscribe(key, holder=user.pk)
    _open[user.pk] += 1
    try:
        await asyncio.wait_for(listener.listening.wait(), LISTENING_WITHIN)
        listener.asked_since(mark, queue)
        yield b"retry: 3000\n\n"
        yield frame("ready", {"last": 0})
        left = min(_idle_left(request, user), token_left)
        async for data in _relay(queue, lambda: _person_again(request, user), left):
            yield data
    except TimeoutError:
        return
    finally:
        listener.unsubscribe(queue)
        _open[user.pk] -= 1
        if _open[user.pk] <= 0:
            del _open[user.pk]
