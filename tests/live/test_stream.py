"""The live stream as uvicorn serves it: who may hear a draft's changes, each change within a moment
of its commit, what a client that reconnects missed, the end of a stream with its session or token,
and the same changes asked for through the API."""

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import Membership
from accounts.tokens import token_issue
from drafting import services
from drafting.models import Visibility
from live import bus, views
from live import services as live_services
from live.bus import conninfo
from live.models import Kind, LiveEvent

pytestmark = pytest.mark.django_db(transaction=True)


class Stream:
    """An open stream, read event by event (``{"id", "event", "data"}``), comments skipped."""

    def __init__(self, url: str, headers: dict | None = None, timeout: float = 5):
        request = urllib.request.Request(url, headers={"Accept": "text/event-stream", **(headers or {})})  # noqa: S310
        self.response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (the test's own server)

    def next(self, deadline: float | None = None) -> dict:
        event: dict = {}
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise AssertionError("no event in time (keep-alives only)")
            line = self.response.readline().decode()
            if line == "":
                raise EOFError("the stream ended")
            line = line.rstrip("\n")
            if not line:
                if "event" in event:
                    return event
                event = {}
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            event[name] = json.loads(value) if name == "data" else value

    def until(self, name: str, seconds: float = 5) -> list[dict]:
        """Every event up to and including the first called ``name``."""
        seen, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen.append(self.next(deadline))
            if seen[-1]["event"] == name:
                return seen
        raise AssertionError(f"no {name} within {seconds} s: {seen}")

    def close(self):
        self.response.close()


def session_of(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


def url(server, draft, query: str = "") -> str:
    return f"{server.url}/live/drafts/{draft.slug}/events/{query}"


def refused(address: str, headers: dict | None = None) -> tuple[int, dict]:
    with pytest.raises(urllib.error.HTTPError) as error:
        Stream(address, headers)
    return error.value.code, json.loads(error.value.read())


def test_a_member_hears_each_change_and_after_a_reconnect_what_it_missed(asgi_server, draft, clause, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    participant, moderator = people["participant"], people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    stream = Stream(url(asgi_server, draft, f"?since={int(time.time())}"), session_of(people["observer"]))
    stream.until("ready")

    started = time.monotonic()
    services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
    heard = stream.until("change")[-1]
    assert time.monotonic() - started < 2
    comment_event = LiveEvent.objects.get(draft=draft, kind=Kind.COMMENTS)
    assert heard == {"id": str(comment_event.id), "event": "change", "data": {"kind": "comments"}}
    stream.close()

    # Two changes while the client is away; it comes back with the last id it heard.
    services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text=clause.text + " Now.")
    services.clause_update(clause_id=clause.id, version=clause.version, by=moderator, text=clause.text + " Edited.")
    again = Stream(url(asgi_server, draft), {**session_of(people["observer"]), "Last-Event-ID": str(comment_event.id)})
    told = again.until("ready")
    assert [(e["event"], e.get("data", {}).get("kind")) for e in told] == [
        ("change", "amendments"),
        ("change", "text"),
        ("ready", None),
    ]
    assert told[-1]["id"] == told[1]["id"]  # a later reconnect starts from there
    # And it goes on hearing new changes.
    services.comment_post(by=participant, body="Agreed.", clause_id=clause.id)
    assert again.until("change")[-1]["data"] == {"kind": "comments"}
    again.close()


def test_a_change_that_commits_after_a_later_numbered_one_reaches_a_client_that_was_away(
    asgi_server, draft, clause, people
):
    """Event ids are taken when written: a long transaction's event may commit after a later one's.
    A client that heard the later one, left, and came back is told the late one too."""
    participant, observer = people["participant"], people["observer"]
    with psycopg.connect(conninfo()) as slow:  # a transaction of its own, still open
        slow.execute(live_services._RECORDED, [draft.id, Kind.AMENDMENTS])
        services.comment_post(by=participant, body="We support this.", clause_id=clause.id)  # commits first
        heard = LiveEvent.objects.get(draft=draft, kind=Kind.COMMENTS).id
        stream = Stream(url(asgi_server, draft), {**session_of(observer), "Last-Event-ID": str(heard)})
        assert [e["event"] for e in stream.until("ready")] == ["ready"]  # nothing else has committed
        stream.close()
        slow.commit()  # while the client is away
    late = LiveEvent.objects.get(draft=draft, kind=Kind.AMENDMENTS).id
    assert late < heard
    again = Stream(url(asgi_server, draft), {**session_of(observer), "Last-Event-ID": str(heard)})
    told = again.until("ready")
    assert [(e["event"], e.get("id"), e.get("data", {}).get("kind")) for e in told] == [
        ("change", str(late), "amendments"),
        ("ready", str(heard), None),  # the place it resumes from next time stays the later one
    ]
    again.close()
    # A client that polls is told the same, and goes on after the later id.
    assert [e.id for e in live_services.missed(draft.id, heard)[0]] == [late]


def test_votes_reach_the_members_streams_in_fewer_notices_than_votes(asgi_server, draft, clause, people):
    participant, moderator = people["participant"], people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, by=participant, title="Contacts", text="States should."
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    member = Stream(url(asgi_server, draft), session_of(people["observer"]), timeout=2)
    outsider = Stream(url(asgi_server, draft), session_of(people["non_member"]), timeout=2)  # a public draft
    member.until("ready")
    outsider.until("ready")
    for choice in ("yes", "no", "abstain", "yes"):
        services.vote_cast(by=participant, choice=choice, clause_id=proposed.id)
    notices = [member.until("change")[-1]]
    assert notices[0] == {"event": "change", "data": {"kind": "votes"}}  # no id: votes are not kept
    with pytest.raises(TimeoutError):  # quiet once the burst is told
        while True:
            notices.append(member.next())
    assert 1 <= len(notices) < 4
    # Someone outside the draft hears no votes, only what its pages show them.
    services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
    assert outsider.until("change")[-1]["data"] == {"kind": "comments"}
    member.close()
    outsider.close()


def test_who_may_not_read_the_draft_hears_nothing(asgi_server, draft, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    assert refused(url(asgi_server, draft)) == (404, {"detail": "No such draft."})
    assert refused(url(asgi_server, draft), session_of(people["non_member"]))[0] == 404
    assert refused(url(asgi_server, draft), {"Authorization": "Token not-a-token"})[0] == 401
    status, body = refused(url(asgi_server, draft, "?after=abc"), session_of(people["participant"]))
    assert status == 400 and "event ids" in body["detail"]
    status, body = refused(url(asgi_server, draft, "?since=yesterday"), session_of(people["participant"]))
    assert status == 400 and "since" in body["detail"]


def test_the_stream_ends_at_once_with_the_session_the_token_the_membership_or_the_draft(
    asgi_server, draft, clause, people, monkeypatch
):
    """No periodic check here (an hour apart): each end comes from the row that decided it."""
    monkeypatch.setattr(views, "RECHECK", 3600)
    monkeypatch.setattr(views, "KEEP_ALIVE", 0.2)
    monkeypatch.setattr(bus, "ACCESS_SPREAD", 0.2)
    # A new password: the sessions under the old one end.
    outsider = people["non_member"]
    stream = Stream(url(asgi_server, draft), session_of(outsider))
    stream.until("ready")
    outsider.set_password("a whole new passphrase")
    outsider.save()
    stream.until("end", seconds=3)
    # A public draft made members-only: whoever is not a member stops hearing it.
    stream = Stream(url(asgi_server, draft), session_of(outsider))
    stream.until("ready")
    services.draft_update(draft=draft, by=people["admin"], title="Renamed")  # no one's right changed
    services.comment_post(by=people["participant"], body="Still open to all.", clause_id=clause.id)
    assert [e["event"] for e in stream.until("change")] == ["change"]
    services.draft_update(draft=draft, by=people["admin"], visibility=Visibility.MEMBERS)
    stream.until("end", seconds=3)

    client = Client()
    client.force_login(people["participant"])
    stream = Stream(url(asgi_server, draft), {"Cookie": f"sessionid={client.cookies['sessionid'].value}"})
    stream.until("ready")
    # Someone else signing out is not the reader signing out: their stream goes on, told nothing of it.
    other = Client()
    other.force_login(people["observer"])
    other.logout()
    services.comment_post(by=people["participant"], body="Still here.", clause_id=clause.id)
    assert [e["event"] for e in stream.until("change")] == ["change"]
    client.logout()
    assert "ended" in stream.until("end", seconds=3)[-1]["data"]["reason"]

    token, key = token_issue(user=people["observer"], name="screen")
    stream = Stream(url(asgi_server, draft), {"Authorization": f"Token {key}"})
    stream.until("ready")
    token.delete()
    stream.until("end", seconds=3)

    stream = Stream(url(asgi_server, draft), session_of(people["observer"]))
    stream.until("ready")
    services.draft_member_remove(draft=draft, user_id=people["observer"].id, by=people["admin"])
    stream.until("end", seconds=3)


def test_what_ends_with_time_ends_the_stream_at_its_next_check(asgi_server, draft, people, monkeypatch):
    """A session that runs out (no row is deleted, no signal is sent) ends its streams all the same."""
    monkeypatch.setattr(views, "RECHECK", 0.3)
    monkeypatch.setattr(views, "KEEP_ALIVE", 0.2)
    draft.visibility = Visibility.MEMBERS
    draft.save()
    headers = session_of(people["participant"])
    stream = Stream(url(asgi_server, draft), headers)
    stream.until("ready")
    time.sleep(1)  # asked again a few times, still the reader's
    key = headers["Cookie"].partition("=")[2]
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # the session's cached copy runs out with it
    stream.until("end", seconds=3)


def test_a_tokens_stream_ends_when_the_token_runs_out(asgi_server, draft, people, monkeypatch):
    """At the token's expiry, not at the next periodic check (an hour apart here): a draft's stream
    and the person's own."""
    monkeypatch.setattr(views, "RECHECK", 3600)
    monkeypatch.setattr(views, "KEEP_ALIVE", 0.2)
    token, key = token_issue(user=people["observer"], name="screen")
    token.expiry = timezone.now() + timedelta(seconds=3)
    token.save(update_fields=["expiry"])
    opened = time.monotonic()
    streams = [
        Stream(url(asgi_server, draft), {"Authorization": f"Token {key}"}),
        Stream(f"{asgi_server.url}/live/me/events/", {"Authorization": f"Token {key}"}),
    ]
    for stream in streams:
        stream.until("ready")
    for stream in streams:
        stream.until("end", seconds=6)
    assert 2.5 <= time.monotonic() - opened < 5


def test_a_moderators_stream_ends_when_their_idle_time_runs_out(asgi_server, draft, people, monkeypatch, settings):
    """Not at the next periodic check (an hour apart here): at the moment the idle time-out falls."""
    from tests.accounts.test_two_factor import log_in, set_up

    monkeypatch.setattr(views, "RECHECK", 3600)
    monkeypatch.setattr(views, "KEEP_ALIVE", 0.2)
    settings.PRIVILEGED_IDLE_SECONDS = 3
    listening = Stream(url(asgi_server, draft), session_of(people["observer"]))
    listening.until("ready")  # the process listens already: nothing asks the next stream but its clock
    moderator, client = people["moderator"], Client()
    log_in(client, moderator)
    set_up(client, moderator)
    seen = time.monotonic()
    assert client.get("/accounts/profile/").status_code == 200  # their last request: 3 s from here
    stream = Stream(url(asgi_server, draft), {"Cookie": f"sessionid={client.cookies['sessionid'].value}"})
    stream.until("ready")  # following the draft live is not a request of theirs
    stream.until("end", seconds=6)
    assert 3 <= time.monotonic() - seen < 5
    listening.close()


def test_names_never_travel_on_the_stream(asgi_server, draft, clause, people):
    """Under the Chatham House rule as under any other: a change is told by its kind only, and the
    page that hears of it asks for itself again, under its own naming rule."""
    participant, moderator = people["participant"], people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Informal consultations")
    services.round_update(round_id=round_.id, by=moderator, chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    stream = Stream(url(asgi_server, draft), session_of(people["observer"]))
    stream.until("ready")
    services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
    services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text=clause.text + " Now.")
    told = stream.until("change") + stream.until("change")
    assert [e["data"] for e in told if e["event"] == "change"] == [{"kind": "comments"}, {"kind": "amendments"}]
    assert all(set(e["data"]) <= {"kind", "last"} for e in told)
    # What the page then shows is the page as live.js asks for it: named as the round names.
    request = urllib.request.Request(  # noqa: S310
        f"{asgi_server.url}/clauses/{clause.id}/", headers={**session_of(people["observer"]), "X-Live-Refresh": "1"}
    )
    page = urllib.request.urlopen(request, timeout=5).read().decode()  # noqa: S310
    organization = Membership.objects.get(user=participant).organization.name
    assert "We support this." in page
    assert participant.username not in page and organization not in page


def test_the_api_tells_the_same_changes_to_a_client_that_polls(api, draft, clause, people):
    participant = people["participant"]
    api.force_authenticate(participant)
    start = api.get(f"/api/v1/drafts/{draft.slug}/events/").json()
    assert start["events"] == [] and start["complete"]
    services.comment_post(by=participant, body="We support this.", clause_id=clause.id)
    answer = api.get(f"/api/v1/drafts/{draft.slug}/events/?after={start['last']}").json()
    assert [e["kind"] for e in answer["events"]] == ["comments"] and answer["complete"]
    assert answer["last"] == answer["events"][-1]["id"]
    assert api.get(f"/api/v1/drafts/{draft.slug}/events/?after=x").status_code == 400
    draft.visibility = Visibility.MEMBERS
    draft.save()
    api.force_authenticate(people["non_member"])
    assert api.get(f"/api/v1/drafts/{draft.slug}/events/").status_code == 404


def test_a_wsgi_server_answers_the_stream_at_once_instead_of_holding_a_worker(client, draft):
    from concurrent.futures import ThreadPoolExecutor

    # In a thread of its own, as a WSGI server's: this one may hold the browser tests' event loop.
    with ThreadPoolExecutor(1) as thread:
        answer = thread.submit(client.get, f"/live/drafts/{draft.slug}/events/").result()
    assert answer.status_code == 404
    assert f"/api/v1/drafts/{draft.slug}/events/" in answer.json()["detail"]


def test_a_persons_own_stream_hears_their_notifications_and_no_one_elses(asgi_server, draft, people):
    from notifications import services as notifications

    observer, participant = people["observer"], people["participant"]
    assert refused(f"{asgi_server.url}/live/me/events/")[0] == 401
    mine = Stream(f"{asgi_server.url}/live/me/events/", session_of(observer))
    theirs = Stream(f"{asgi_server.url}/live/me/events/", session_of(participant), timeout=2)
    for stream in (mine, theirs):
        assert stream.until("ready")[-1]["data"] == {"last": 0}
    notifications.notify(kind="comment", draft=draft, actor=None, message="A comment.", url="/", recipients=[observer])
    assert mine.until("change")[-1] == {"event": "change", "data": {"kind": "notifications"}}
    # The other person hears nothing of it (nothing comes before their read times out).
    with pytest.raises(TimeoutError):
        theirs.next()
    theirs.close()
    # Reading them on another page tells the person's pages (the count in the header).
    notifications.notifications_mark_read(user=observer, everything=True)
    assert mine.until("change")[-1]["data"] == {"kind": "notifications"}
    mine.close()
