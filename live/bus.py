"""One listener per serving process: it LISTENs on PostgreSQL's channel and hands each change to
the streams open on that draft in this process, and each notice for people (their notifications)
to the streams those people hold (``person(id)``).

A notification is encoded into its Server-Sent Events frame once, whatever the number of streams.
Votes come in bursts: the streams of a draft's members (the others' pages count no votes) hear of
them at most once per ``VOTES_EVERY`` seconds, the last vote of a burst included; the other streams
are not woken for them. If the listening connection drops, every stream is told to
reload what it shows (``RESYNC``), since notifications sent meanwhile are lost; the listener
connects again at once and then every second until the database answers.

A notice that who may follow may have changed (``ACCESS``: a session, token or membership of
those people, or the draft itself) is never sent on: it puts ``ASK_AGAIN`` in the streams
concerned, which then ask their reader again (``live.views``); a draft's streams are spread over
``ACCESS_SPREAD`` seconds. Whatever may have been said while nobody listened, every stream asks
again once the listener is (back) on; and a stream that read its reader just before it subscribed
asks again if a notice for it came in between (``asked_since``).
"""

import asyncio
import json
import logging
import random
from collections import defaultdict

import psycopg
from django.db import connections

from .models import Kind
from .services import ACCESS, CHANNEL

log = logging.getLogger(__name__)

VOTES_EVERY = 0.5
OPENING_AT_ONCE = 10
# A stream whose client reads too slowly to keep this many frames queued is told to reload instead.
QUEUE_SIZE = 64
ACCESS_SPREAD = 5
# Not a frame: the stream is to ask its reader again before it goes on.
ASK_AGAIN = b""


def frame(kind: str, data: dict, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


RESYNC = frame("resync", {"reason": "Some changes may not have reached this page."})
VOTES = frame("change", {"kind": Kind.VOTES})


def person(user_id: int) -> tuple[str, int]:
    """The key a person's own stream subscribes with (a draft's is its id)."""
    return ("person", user_id)


def conninfo() -> str:
    """The default database's connection, as Django's own backend builds it."""
    params = connections["default"].get_connection_params()
    libpq = {k: v for k, v in params.items() if k not in _NOT_LIBPQ and isinstance(v, str | int)}
    # A connection that dies without a word (a dropped network) is noticed within a minute.
    return psycopg.conninfo.make_conninfo(**libpq, keepalives=1, keepalives_idle=30, keepalives_interval=10)


_NOT_LIBPQ = {"context", "cursor_factory", "prepare_threshold", "server_side_binding", "autocommit"}


class Bus:
    def __init__(self):
        # Keyed by a draft's id, or ``person(id)``.
        self.streams: dict[int | tuple[str, int], set[asyncio.Queue]] = defaultdict(set)
        self.voters: dict[int, set[asyncio.Queue]] = defaultdict(set)  # the members' streams, by draft
        self.held: dict[int, set[asyncio.Queue]] = defaultdict(set)  # every stream, by who holds it
        self.keys: dict[asyncio.Queue, tuple] = {}  # each stream's draft (or person) and holder
        # Access notices heard so far, and the count when one last named a person or a draft.
        self.access_heard = 0
        self.access_last: dict[tuple[str, int], int] = {}
        self.listening = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.votes_due: set[int] = set()
        # Streams being opened at once: each holds a database connection while it reads who asks
        # (then lets it go), so a room opening its 2,000 screens does not use up the database's.
        self.opening = asyncio.Semaphore(OPENING_AT_ONCE)

    def subscribe(self, draft_id, *, holder: int | None = None, votes: bool = False) -> asyncio.Queue:
        """A queue of the draft's frames (or a person's: ``person(id)``), ``votes`` included or not,
        for the person ``holder`` (None: no one signed in); ``listening`` says when nothing
        committed is missed."""
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._listen())
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.streams[draft_id].add(queue)
        if votes:
            self.voters[draft_id].add(queue)
        if holder is not None:
            self.held[holder].add(queue)
        self.keys[queue] = (draft_id, holder)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        draft_id, holder = self.keys.pop(queue)
        for streams, key in ((self.streams, draft_id), (self.voters, draft_id), (self.held, holder)):
            found = streams.get(key)
            if found is not None:
                found.discard(queue)
                if not found:
                    del streams[key]

    def asked_since(self, mark: int, queue: asyncio.Queue) -> None:
        """Ask ``queue``'s stream to read its reader again if an access notice for its draft or its
        holder came after ``mark`` (``access_heard`` when it last read them)."""
        draft_id, holder = self.keys[queue]
        named = (self.access_last.get(("draft", draft_id), 0), self.access_last.get(("person", holder), 0))
        if max(named) > mark:
            self._put(queue, ASK_AGAIN)

    def subscribers(self) -> int:
        return sum(len(streams) for streams in self.streams.values())

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo(), autocommit=True) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    # Who may follow may have changed while nobody listened (before the first
                    # LISTEN too: the streams waiting for it read their reader earlier).
                    self._ask(queue for streams in self.streams.values() for queue in streams)
                    async for notice in connection.notifies():
                        try:
                            self._heard(json.loads(notice.payload))
                        except (ValueError, KeyError, TypeError):
                            log.warning("A notice on %s was not a change: %r", CHANNEL, notice.payload[:200])
            except (psycopg.Error, OSError):
                log.warning("Live updates lost their database connection; connecting again.", exc_info=True)
            finally:
                self.listening.clear()
            # What is said until it listens again is lost: every page reads again.
            for streams in self.streams.values():
                for queue in streams:
                    self._put(queue, RESYNC)
            await asyncio.sleep(1)

    def _heard(self, event: dict) -> None:
        if "people" in event:
            people = event["people"]
            if not isinstance(people, list) or not all(type(user_id) is int for user_id in people):
                raise ValueError("people is a list of ids")
            if event["kind"] == ACCESS:
                self.access_heard += 1
                for user_id in people:
                    self.access_last["person", user_id] = self.access_heard
                    for queue in tuple(self.held.get(user_id, ())):
                        self._put(queue, ASK_AGAIN)
                return
            told = frame("change", {"kind": str(event["kind"])})
            for user_id in people:
                self._send(person(user_id), told)
            return
        draft_id = event["draft"]
        if event["kind"] == ACCESS:
            self.access_heard += 1
            self.access_last["draft", draft_id] = self.access_heard
            self._ask(self.streams.get(draft_id, ()))
            return
        if draft_id not in self.streams:
            return
        if event["kind"] == Kind.VOTES:
            if draft_id in self.voters and draft_id not in self.votes_due:
                self.votes_due.add(draft_id)
                asyncio.get_running_loop().call_later(VOTES_EVERY, self._votes, draft_id)
            return
        self._send(draft_id, frame("change", {"kind": event["kind"]}, event["id"]))

    def _ask(self, queues) -> None:
        """Each of these streams asks its reader again, within ``ACCESS_SPREAD`` seconds: spread, so
        that a room's 2,000 screens do not ask at the same instant."""
        later = asyncio.get_running_loop().call_later
        for queue in tuple(queues):
            later(random.uniform(0, ACCESS_SPREAD), self._put, queue, ASK_AGAIN)  # noqa: S311

    def _votes(self, draft_id: int) -> None:
        self.votes_due.discard(draft_id)
        for queue in tuple(self.voters.get(draft_id, ())):
            self._put(queue, VOTES)

    def _send(self, draft_id, data: bytes) -> None:
        for queue in tuple(self.streams.get(draft_id, ())):
            self._put(queue, data)

    @staticmethod
    def _put(queue: asyncio.Queue, data: bytes) -> None:
        try:
            queue.put_nowait(data)
        except asyncio.QueueFull:
            # A client this far behind reads everything again once, instead of every frame; a
            # stream asked to check its reader still does.
            ask = data == ASK_AGAIN
            while not queue.empty():
                ask = queue.get_nowait() == ASK_AGAIN or ask
            queue.put_nowait(RESYNC)
            if ask:
                queue.put_nowait(ASK_AGAIN)


_buses: dict[asyncio.AbstractEventLoop, Bus] = {}


def bus() -> Bus:
    """This process's bus (one per event loop: a test's loop does not share another's)."""
    loop = asyncio.get_running_loop()
    if loop not in _buses:
        for old in [other for other in _buses if other.is_closed()]:
            del _buses[old]
        _buses[loop] = Bus()
    return _buses[loop]
