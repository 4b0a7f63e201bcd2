"""The stream of a draft's changes: ``GET /live/drafts/<slug>/events/`` as Server-Sent Events.

Served by Django's async view under an ASGI server (``uvicorn codeofconduct.asgi:application``;
the other pages stay on gunicorn). It authenticates as the API does, a session or a token, and
answers 404 to whoever may not read the draft, as its pages do. Then:

- ``Last-Event-ID`` (sent by the browser when it reconnects) or ``?after=``: every change after
  that event is sent first, from the table; ``resync`` when that cannot be told in full;
- each change as it commits (``live.bus``), ``change`` with ``{"kind": ...}`` and the event id;
- a comment line every ``KEEP_ALIVE`` seconds, so proxies keep the connection;
- every ``RECHECK`` seconds the reader is asked again: a stream ends (``end``) when its session or
  token has ended, when the person changed, or when they may no longer read the draft.
"""

import asyncio
import time

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse, StreamingHttpResponse
from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from codeofconduct.errors import DomainError
from drafting import selectors

from . import services
from .bus import RESYNC, bus, frame

KEEP_ALIVE = 15
RECHECK = 30


def _reader(request, slug: str):
    """``(person, draft)`` as the API would find them; raises what it would answer."""
    checked = Request(request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES])
    user = checked.user
    draft, _ = selectors.draft_for(user, slug)
    return user, draft


def _reader_again(request, slug: str, user) -> bool:
    """Whether the same person may still read the draft: the session and token read afresh."""
    if hasattr(request, "session"):
        request.session = request.session.__class__(request.session.session_key)
        request.user = SimpleLazyObject(lambda: get_user(request))
    try:
        again, _ = _reader(request, slug)
    except (DomainError, exceptions.APIException):
        return False
    return again.pk == user.pk


def _where_from(request) -> tuple[str, float] | None:
    """Where the client stands: ``("after", event id)`` from ``Last-Event-ID`` (a reconnect) or
    ``?after=``; else ``("since", seconds)`` from ``?since=`` (when its page was made); else None.
    Raises ValueError for a value that is neither."""
    value = request.headers.get("Last-Event-ID") or request.GET.get("after")
    if value is not None:
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            raise ValueError("Last-Event-ID and after are event ids: whole numbers.")
        return "after", int(value)
    moment = request.GET.get("since")
    if moment is None:
        return None
    if not (moment.isascii() and moment.isdigit() and len(moment) < 12):
        raise ValueError("since is a moment in whole seconds since 1970 (as the page gives it).")
    return "since", int(moment)


async def draft_events(request, slug: str):
    if not isinstance(request, ASGIRequest):
        # A WSGI worker (gunicorn, the test client) would hold itself for as long as the stream.
        return JsonResponse(
            {"detail": f"No live stream here: it is served by the ASGI server. Ask /api/v1/drafts/{slug}/events/."},
            status=404,
        )
    try:
        start = _where_from(request)
    except ValueError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    try:
        user, draft = await sync_to_async(_reader)(request, slug)
    except DomainError as error:
        return JsonResponse(error.as_payload(), status=error.status_code)
    except exceptions.APIException as error:
        return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
    response = StreamingHttpResponse(_stream(request, slug, user, draft.pk, start), content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes each frame on at once
    return response


async def _stream(request, slug: str, user, draft_id: int, start: tuple[str, float] | None):
    queue = await bus().subscribe(draft_id)
    try:
        yield b"retry: 3000\n\n"
        sent = 0
        if start is not None:
            how, where = start
            if how == "after":
                sent = where
            told = services.missed if how == "after" else services.since
            events, complete = await sync_to_async(told)(draft_id, where)
            for event in events:
                yield frame("change", {"kind": event.kind}, event.id)
                sent = max(sent, event.id)
            if not complete:
                yield RESYNC
        # Where the stream stands, and the id a reconnect sends back.
        last = sent or await sync_to_async(services.latest)(draft_id)
        yield frame("ready", {"last": last}, last or None)
        checked = time.monotonic()
        while True:
            try:
                data = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
            except TimeoutError:
                data = b": still here\n\n"
            if time.monotonic() - checked > RECHECK:
                if not await sync_to_async(_reader_again)(request, slug, user):
                    yield frame(
                        "end", {"reason": "Your session or token ended, or this draft is no longer open to you."}
                    )
                    return
                checked = time.monotonic()
            if data.startswith(b"id: "):
                event_id = int(data[4 : data.index(b"\n")])
                if event_id <= sent:
                    continue  # already sent from the table
                sent = event_id
            yield data
    finally:
        bus().unsubscribe(draft_id, queue)
