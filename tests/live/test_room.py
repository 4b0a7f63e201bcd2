"""The live room through its API and its pages: the Chair opens a session, puts a paragraph on
screen and edits it "on the proposal of" a delegation; delegations ask for the floor and withdraw;
the Chair gives and ends the floor and closes the list; closing the session records what changed
in it, in "What changed" too. Names follow the Chatham House rule."""

import pytest
from django.test import Client

from accounts.models import Membership
from drafting import services
from drafting.models import Visibility
from live.models import FloorRequest, Kind, LiveEvent, LiveSession
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(draft, section, clause, people):
    """A draft with two paragraphs, its Chair, and three delegations' participants: Brazil's and
    Kenya's (verified), and an unverified one."""
    second = ClauseFactory(section=section, number=2, title="Supply chains", text="States should [consider] audits.")
    delegates = {}
    for name, group, status in (
        ("Brazil", "government", Membership.Status.VERIFIED),
        ("Kenya", "government", Membership.Status.VERIFIED),
        ("Digital Rights Watch", "civil_society", Membership.Status.PENDING),
    ):
        user = UserFactory(username=f"delegate_{name.split()[0].lower()}")
        MembershipFactory(
            user=user, organization=OrganizationFactory(name=name, stakeholder_group=group), status=status
        )
        services.draft_member_set(draft=draft, user_id=user.id, role="participant", by=people["admin"])
        delegates[name] = user
    return {"draft": draft, "clauses": [clause, second], "chair": people["moderator"], **delegates}


def url(draft, tail: str = "") -> str:
    return f"/api/v1/drafts/{draft.slug}/session/{tail}"


def test_the_chair_opens_one_session_and_moves_the_screen(room, people):
    draft, chair = room["draft"], room["chair"]
    assert client_for(people["participant"]).post(url(draft), {}, format="json").status_code == 403
    assert client_for(None).get(url(draft)).json()["session"] is None
    opened = client_for(chair).post(url(draft), {}, format="json")
    assert opened.status_code == 201
    assert opened.json()["on_screen"]["ref"] == room["clauses"][0].ref  # the first paragraph
    again = client_for(chair).post(url(draft), {}, format="json")
    assert again.status_code == 409 and "open already" in again.json()["detail"]

    moved = client_for(chair).patch(url(draft), {"clause": room["clauses"][1].pk}, format="json")
    assert moved.status_code == 200
    assert moved.json()["on_screen"]["text"] == "States should [consider] audits."
    elsewhere = ClauseFactory(title="Another draft's")
    refused = client_for(chair).patch(url(draft), {"clause": elsewhere.pk}, format="json")
    assert refused.status_code == 400
    assert client_for(chair).patch(url(draft), {"speaking_time": 5}, format="json").status_code == 400
    # Every move is told to the draft's live pages.
    LiveEvent.objects.all().delete()  # this test is one transaction: one event per kind in it
    client_for(chair).patch(url(draft), {"clause": room["clauses"][0].pk}, format="json")
    assert list(LiveEvent.objects.values_list("kind", flat=True)) == [Kind.SESSION]


def test_a_members_only_drafts_room_does_not_exist_for_outsiders(room, people):
    draft = room["draft"]
    draft.visibility = Visibility.MEMBERS
    draft.save()
    client_for(room["chair"]).post(url(draft), {}, format="json")
    for outsider in (None, people["non_member"]):
        assert client_for(outsider).get(url(draft)).status_code == 404
        page = Client()
        if outsider is not None:
            page.force_login(outsider)
        for address in (f"/drafts/{draft.slug}/session/", f"/drafts/{draft.slug}/session/screen/"):
            assert page.get(address).status_code == 404, address
    assert client_for(people["non_member"]).post(url(draft, "speakers/")).status_code == 404
    assert client_for(None).post(url(draft, "speakers/")).status_code == 401  # sign in first
    assert client_for(people["observer"]).get(url(draft)).status_code == 200


def test_the_list_of_speakers_one_place_each_in_order(room, people):
    draft, chair, brazil, kenya = room["draft"], room["chair"], room["Brazil"], room["Kenya"]
    assert client_for(brazil).post(url(draft, "speakers/")).status_code == 404  # no session yet
    client_for(chair).post(url(draft), {}, format="json")

    assert client_for(brazil).post(url(draft, "speakers/")).status_code == 201
    twice = client_for(brazil).post(url(draft, "speakers/"))
    assert twice.status_code == 409 and "Brazil is on the list" in twice.json()["detail"]
    unverified = client_for(room["Digital Rights Watch"]).post(url(draft, "speakers/"))
    assert unverified.status_code == 403
    assert client_for(people["admin"]).post(url(draft, "speakers/")).status_code == 403  # no delegation's
    listed = client_for(kenya).post(url(draft, "speakers/")).json()
    assert [s["label"] for s in listed["waiting"]] == ["Brazil (Government)", "Kenya (Government)"]
    assert [s["mine"] for s in listed["waiting"]] == [False, True]

    assert client_for(brazil).post(url(draft, "speakers/next/")).status_code == 403  # the Chair's
    given = client_for(chair).post(url(draft, "speakers/next/")).json()
    assert given["speaking"]["delegation"] == "Brazil" and [s["delegation"] for s in given["waiting"]] == ["Kenya"]
    given = client_for(chair).post(url(draft, "speakers/next/")).json()
    assert given["speaking"]["delegation"] == "Kenya" and given["waiting"] == []
    assert client_for(chair).post(url(draft, "speakers/next/")).status_code == 409  # nobody waits
    # Brazil spoke, so it may ask again; then withdraws.
    assert client_for(brazil).post(url(draft, "speakers/")).status_code == 201
    assert client_for(brazil).delete(url(draft, "speakers/mine/")).json()["waiting"] == []
    assert client_for(brazil).delete(url(draft, "speakers/mine/")).status_code == 404
    ended = client_for(chair).post(url(draft, "speakers/end/")).json()
    assert ended["speaking"] is None
    states = list(FloorRequest.objects.order_by("id").values_list("organization__name", "state"))
    assert states == [("Brazil", "spoke"), ("Kenya", "spoke"), ("Brazil", "withdrawn")]

    # Closed list: nobody new, but a place may still be given up; timed interventions.
    client_for(chair).patch(url(draft), {"speakers_open": False, "speaking_time": 180}, format="json")
    closed = client_for(kenya).post(url(draft, "speakers/"))
    assert closed.status_code == 409 and "closed the list" in closed.json()["detail"]
    assert client_for(kenya).get(url(draft)).json()["session"]["speaking_time"] == 180


def test_under_the_chatham_house_rule_the_list_names_groups_except_ones_own(room, people):
    draft, chair = room["draft"], room["chair"]
    round_ = services.round_create(draft=draft, by=chair, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=chair)
    client_for(chair).post(url(draft), {}, format="json")
    client_for(room["Brazil"]).post(url(draft, "speakers/"))
    client_for(room["Kenya"]).post(url(draft, "speakers/"))
    seen_by_kenya = client_for(room["Kenya"]).get(url(draft)).json()["waiting"]
    assert [(s["delegation"], s["label"]) for s in seen_by_kenya] == [
        (None, "A delegation (Government)"),
        ("Kenya", "Kenya (Government)"),
    ]
    for reader in (None, people["observer"], chair):
        body = client_for(reader).get(url(draft)).content.decode()
        assert "Brazil" not in body and "Kenya" not in body
    page = Client()
    page.force_login(people["observer"])
    assert "Brazil" not in page.get(f"/drafts/{draft.slug}/session/screen/").content.decode()


def test_the_chairs_edit_is_a_version_on_the_proposal_of_a_delegation(room, people):
    draft, chair, clause = room["draft"], room["chair"], room["clauses"][0]
    brazil = room["Brazil"].memberships.get().organization
    client_for(chair).post(url(draft), {}, format="json")
    edited = client_for(chair).patch(
        f"/api/v1/clauses/{clause.pk}/",
        {
            "version": clause.version,
            "text": "States should protect critical infrastructure.",
            "on_proposal_of": brazil.pk,
        },
        format="json",
    )
    assert edited.status_code == 200
    latest = client_for(people["observer"]).get(f"/api/v1/clauses/{clause.pk}/history/").json()["results"][-1]
    assert latest["speaking_for"]["chair"] is True
    assert latest["on_proposal_of"]["organization"] == "Brazil"
    # Only the Chair names a proposing delegation, and only one that exists.
    refused = client_for(room["Brazil"]).patch(
        f"/api/v1/clauses/{clause.pk}/", {"version": 2, "text": "x", "on_proposal_of": brazil.pk}, format="json"
    )
    assert refused.status_code == 403
    said = {"on_proposal_of": ["No such delegation takes part in this draft."]}
    unknown = client_for(chair).patch(
        f"/api/v1/clauses/{clause.pk}/", {"version": 2, "text": "Other words.", "on_proposal_of": 10**9}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json() == said
    outside = OrganizationFactory(name="Not at this table")
    elsewhere = client_for(chair).patch(
        f"/api/v1/clauses/{clause.pk}/", {"version": 2, "text": "Other.", "on_proposal_of": outside.pk}, format="json"
    )
    assert elsewhere.status_code == 400 and elsewhere.json() == said

    # The screen shows the redline since the session opened, and who made it.
    on_screen = client_for(people["observer"]).get(url(draft)).json()["on_screen"]
    inserted = " ".join(op["text"] for op in on_screen["redline"] if op["op"] == "insert")
    assert "protect" in inserted
    assert on_screen["changed_by"].endswith("on the proposal of Brazil (Government)")

    page = Client()
    page.force_login(people["observer"])
    shown = page.get(f"/clauses/{clause.pk}/").content.decode()
    assert "on the proposal of Brazil (Government)" in shown


def test_closing_records_what_changed_in_the_session_and_what_changed_lists_it(room, people):
    draft, chair, clause = room["draft"], room["chair"], room["clauses"][0]
    kenya = room["Kenya"].memberships.get().organization
    client_for(chair).post(url(draft), {}, format="json")
    client_for(room["Brazil"]).post(url(draft, "speakers/"))
    client_for(chair).post(url(draft, "speakers/next/"))
    services.clause_update(
        clause_id=clause.pk, version=clause.version, by=chair, text="States shall protect.", on_proposal_of=kenya.pk
    )
    closed = client_for(chair).post(url(draft, "close/"))
    assert closed.status_code == 200 and closed.json()["session"] is None
    stored = LiveSession.objects.get().summary
    assert "who" not in stored["clauses"][0]  # who made it is kept as its version, named when read
    summary = client_for(people["observer"]).get(url(draft)).json()["past"][0]["summary"]
    assert [c["ref"] for c in summary["clauses"]] == [clause.ref]
    assert summary["clauses"][0]["who"].endswith("on the proposal of Kenya (Government)")
    assert summary["interventions"] == 1 and summary["delegations"] == 1
    assert client_for(chair).post(url(draft, "close/")).status_code == 404  # nothing open now

    since = "2000-01-01T00:00:00Z"
    changes = client_for(people["observer"]).get(f"/api/v1/drafts/{draft.slug}/changes/?since={since}").json()
    assert changes["sessions"]["count"] == 1
    assert changes["sessions"]["items"][0]["summary"]["clauses"][0]["ref"] == clause.ref
    page = Client()
    page.force_login(people["observer"])
    listed = page.get(f"/drafts/{draft.slug}/changes/?since=2000-01-01").content.decode()
    assert "Live session" in listed and "on the proposal of Kenya (Government)" in listed


def test_the_pages_a_delegate_asks_for_the_floor_and_the_chair_edits_keeping_the_words_on_a_conflict(room, people):
    draft, chair, clause = room["draft"], room["chair"], room["clauses"][0]
    desk = Client()
    desk.force_login(chair)
    assert desk.post(f"/drafts/{draft.slug}/session/open/", {"section": ""}).status_code == 302
    delegate = Client()
    delegate.force_login(room["Brazil"])
    page = delegate.get(f"/drafts/{draft.slug}/session/").content.decode()
    assert 'data-testid="floor-ask"' in page and "chair-desk" not in page
    delegate.post(f"/drafts/{draft.slug}/session/floor/ask/")
    page = delegate.get(f"/drafts/{draft.slug}/session/").content.decode()
    assert "Brazil (Government) (your delegation)" in page and 'data-testid="floor-withdraw"' in page

    screen = desk.get(f"/drafts/{draft.slug}/session/screen/").content.decode()
    assert "<form" not in screen.split('data-testid="projector"')[1]  # the screen has no controls
    assert clause.text in screen

    # Someone changed the paragraph since the Chair's desk was loaded: the words typed stay.
    services.clause_update(clause_id=clause.pk, version=clause.version, by=chair, text="Changed meanwhile.")
    stale = desk.post(
        f"/drafts/{draft.slug}/session/",
        {"clause": clause.pk, "version": clause.version, "text": "The Chair's new words.", "on_proposal_of": ""},
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "The Chair&#x27;s new words." in body and "changed by someone else" in body
    assert f'name="version" value="{clause.version + 1}"' in body  # the next save goes against the current one
    elsewhere = ClauseFactory(title="Another draft's")
    refused = desk.post(
        f"/drafts/{draft.slug}/session/",
        {"clause": elsewhere.pk, "version": elsewhere.version, "text": "Not here.", "on_proposal_of": ""},
    )
    assert refused.status_code == 400 and "Not here." in refused.content.decode()
    saved = desk.post(
        f"/drafts/{draft.slug}/session/",
        {"clause": clause.pk, "version": clause.version + 1, "text": "The Chair's new words.", "on_proposal_of": ""},
    )
    assert saved.status_code == 302
    clause.refresh_from_db()
    assert clause.text == "The Chair's new words."
    wrong = desk.post(f"/drafts/{draft.slug}/session/settings/", {"speaking_time": "abc"}, follow=True)
    assert "Give the speaking time in whole seconds" in wrong.content.decode()
    assert LiveSession.objects.get(closed_at__isnull=True).speaking_time is None
    assert desk.post(f"/drafts/{draft.slug}/session/close/").status_code == 302
    assert "session-summary" in desk.get(f"/drafts/{draft.slug}/session/").content.decode()


def test_a_round_under_the_chatham_house_rule_hides_the_proposing_delegation_everywhere(room, people):
    """Put under the rule after the session closed: the history, What changed and the session's
    summary all name only the group from then on (the summary keeps who, not the name)."""
    draft, chair, clause = room["draft"], room["chair"], room["clauses"][0]
    brazil = room["Brazil"].memberships.get().organization
    round_ = services.round_create(draft=draft, by=chair, title="Informals")
    services.round_open(round_id=round_.id, by=chair)
    client_for(chair).post(url(draft), {}, format="json")
    services.clause_update(
        clause_id=clause.pk, version=clause.version, by=chair, text="States shall protect.", on_proposal_of=brazil.pk
    )
    client_for(chair).post(url(draft, "close/"))
    observer = client_for(people["observer"])
    assert "Brazil" in observer.get(url(draft)).content.decode()  # named while the rule is not on

    services.round_update(round_id=round_.id, by=chair, chatham_house=True)
    history = observer.get(f"/api/v1/clauses/{clause.pk}/history/").json()["results"][-1]
    assert history["on_proposal_of"] == {
        "organization": None,
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    for address in (url(draft), f"/api/v1/drafts/{draft.slug}/changes/?since=2000-01-01T00:00:00Z"):
        body = observer.get(address).content.decode()
        assert "Brazil" not in body and "on the proposal of a delegation (Government)" in body, address
    page = Client()
    page.force_login(people["observer"])
    for address in (
        f"/drafts/{draft.slug}/session/",
        f"/clauses/{clause.pk}/",
        f"/drafts/{draft.slug}/changes/?since=2000-01-01",
    ):
        body = page.get(address).content.decode()
        assert "Brazil" not in body and "on the proposal of a delegation (Government)" in body, address


def test_the_rooms_screen_names_no_delegation_under_the_chatham_house_rule_even_its_viewers(room, people):
    draft, chair = room["draft"], room["chair"]
    round_ = services.round_create(draft=draft, by=chair, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=chair)
    client_for(chair).post(url(draft), {}, format="json")
    client_for(room["Brazil"]).post(url(draft, "speakers/"))
    screen = Client()
    screen.force_login(room["Brazil"])  # the projector signed in as a delegate of Brazil
    body = screen.get(f"/drafts/{draft.slug}/session/screen/").content.decode()
    assert "Brazil" not in body and "A delegation (Government)" in body
    own_device = screen.get(f"/drafts/{draft.slug}/session/").content.decode()
    assert "Brazil (Government) (your delegation)" in own_device
