"""The bus of one serving process, without a database: which open streams each notice reaches."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from live import bus as live_bus
from live.bus import ASK_AGAIN, QUEUE_SIZE, RESYNC, VOTES, Bus, frame, person


def contents(queue: asyncio.Queue) -> list[bytes]:
    found = []
    while not queue.empty():
        found.append(queue.get_nowait())
    return found


def run(scene, monkeypatch):
    monkeypatch.setattr(live_bus, "ACCESS_SPREAD", 0)
    monkeypatch.setattr(live_bus, "VOTES_EVERY", 0)

    async def main():
        found = Bus()
        found.task = asyncio.get_running_loop().create_future()  # no listener: the test says what is heard
        await scene(found)

    # In a thread of its own: the browser tests may hold an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, main()).result()


def test_an_access_notice_asks_the_streams_of_those_people_and_tells_their_clients_nothing(monkeypatch):
    async def scene(bus):
        ana_on_draft, ana_own = bus.subscribe(1, holder=7), bus.subscribe(person(7), holder=7)
        ben_on_draft = bus.subscribe(1, holder=8)
        anonymous = bus.subscribe(1)
        bus._heard({"people": [7], "kind": "access"})
        assert contents(ana_on_draft) == [ASK_AGAIN] and contents(ana_own) == [ASK_AGAIN]
        assert contents(ben_on_draft) == [] and contents(anonymous) == []
        # The draft's own notice reaches every stream of it, whoever holds it, in a moment.
        bus._heard({"draft": 1, "kind": "access"})
        await asyncio.sleep(0.01)
        assert [contents(q) for q in (ana_on_draft, ben_on_draft, anonymous, ana_own)] == [[ASK_AGAIN]] * 3 + [[]]

    run(scene, monkeypatch)


def test_a_stream_too_far_behind_reads_everything_again_and_still_asks_its_reader(monkeypatch):
    async def scene(bus):
        queue = bus.subscribe(1, holder=7)
        for number in range(QUEUE_SIZE):
            bus._heard({"draft": 1, "kind": "text", "id": number + 1})
        bus._heard({"people": [7], "kind": "access"})
        assert contents(queue) == [RESYNC, ASK_AGAIN]
        # Asked before it fell behind: the ask is kept through the catching up.
        bus._heard({"people": [7], "kind": "access"})
        for number in range(QUEUE_SIZE):
            bus._heard({"draft": 1, "kind": "text", "id": number + 1})
        assert contents(queue) == [RESYNC, ASK_AGAIN]

    run(scene, monkeypatch)


def test_a_notice_between_reading_the_reader_and_subscribing_is_not_missed(monkeypatch):
    async def scene(bus):
        before = bus.access_heard  # the stream reads its reader here...
        bus._heard({"people": [7], "kind": "access"})  # ...the person signs out...
        late = bus.subscribe(1, holder=7)  # ...and only then does it subscribe
        bus.asked_since(before, late)
        assert contents(late) == [ASK_AGAIN]
        # Someone else's notice, or one the stream read after, asks nothing.
        other = bus.subscribe(1, holder=8)
        bus.asked_since(before, other)
        current = bus.subscribe(1, holder=7)
        bus.asked_since(bus.access_heard, current)
        assert contents(other) == [] and contents(current) == []
        bus._heard({"draft": 2, "kind": "access"})
        on_two = bus.subscribe(2)
        bus.asked_since(before, on_two)
        assert contents(on_two) == [ASK_AGAIN]

    run(scene, monkeypatch)


def test_votes_wake_the_members_streams_only_and_a_stream_leaves_every_index(monkeypatch):
    async def scene(bus):
        member, outsider = bus.subscribe(1, holder=7, votes=True), bus.subscribe(1)
        bus._heard({"draft": 1, "kind": "votes"})
        await asyncio.sleep(0.01)
        assert contents(member) == [VOTES] and contents(outsider) == []
        bus._heard({"draft": 1, "kind": "comments", "id": 5})
        told = frame("change", {"kind": "comments"}, 5)
        assert contents(member) == [told] and contents(outsider) == [told]
        bus.unsubscribe(member)
        bus.unsubscribe(outsider)
        assert not bus.streams and not bus.voters and not bus.held and not bus.keys

    run(scene, monkeypatch)
