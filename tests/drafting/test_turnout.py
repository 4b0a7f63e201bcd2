"""Who has not voted yet, per delegation and per item, and the Chair's reminders: once per
delegation and round, through the notification outbox; groups only under the Chatham House rule."""

import pytest

from drafting import services
from drafting.models import Round, VoteReminder
from notifications.models import Notification
from tests.conftest import client_for
from tests.drafting.test_one_voice import delegation, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(draft, clause, people):
    """A voting round with a proposal and an amendment; Atlantis voted on both, Borduria (two
    members) on one, Carpathia (industry) on none."""
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text + " Always."
    )
    atlantis = delegation(draft, 1, name="Atlantis")
    borduria = delegation(draft, 2, name="Borduria")
    carpathia = delegation(draft, 1, "industry", name="Carpathia Telecom")
    services.round_start_voting(round_id=round_.id, by=moderator)
    vote(atlantis[0], proposal, "yes")
    services.vote_cast(by=atlantis[0], amendment_id=amendment.id, choice="no")
    vote(borduria[1], proposal, "no")
    return {
        "round": Round.objects.get(pk=round_.pk),
        "proposal": proposal,
        "amendment": amendment,
        "atlantis": atlantis,
        "borduria": borduria,
        "carpathia": carpathia,
    }


def turnout(people, scene, query=""):
    response = client_for(people["moderator"]).get(f"/api/v1/rounds/{scene['round'].id}/turnout/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_chair_sees_which_delegations_have_not_voted_overall_and_per_item(people, scene):
    seen = turnout(people, scene)
    assert seen["items"] == 2 and seen["named"] is True
    rows = [(d["organization"]["name"], d["voted"], d["not_voted"]) for d in seen["delegations"]]
    # The participant who proposed is a delegation of its own that has not voted either.
    assert ("Carpathia Telecom", 0, 2) in rows and ("Borduria", 1, 1) in rows and rows[-1] == ("Atlantis", 2, 0)
    by_item = {(i["type"], i["id"]): i for i in seen["by_item"]}
    assert by_item["clause", scene["proposal"].id]["delegations_voted"] == 2
    assert by_item["amendment", scene["amendment"].id]["delegations_voted"] == 1
    assert by_item["amendment", scene["amendment"].id]["delegations_not_voted"] == len(rows) - 1

    asked = turnout(people, scene, f"?clause={scene['proposal'].id}")
    missing = {d["organization"]["name"] for d in next(i for i in asked["by_item"] if "not_voted" in i)["not_voted"]}
    assert "Carpathia Telecom" in missing and not {"Atlantis", "Borduria"} & missing


def test_only_the_draft_moderators_see_it(people, scene):
    for who in ("participant", "observer", "non_member"):
        response = client_for(people[who]).get(f"/api/v1/rounds/{scene['round'].id}/turnout/")
        assert response.status_code == 403, who
        assert client_for(people[who]).post(f"/api/v1/rounds/{scene['round'].id}/reminders/", {}).status_code == 403
    assert client_for(None).get(f"/api/v1/rounds/{scene['round'].id}/turnout/").status_code in (401, 403)
    bad = client_for(people["moderator"]).get(f"/api/v1/rounds/{scene['round'].id}/turnout/?clause=x")
    assert bad.status_code == 400


def test_reminding_tells_each_delegation_behind_once(people, scene, django_capture_on_commit_callbacks):
    client = client_for(people["moderator"])
    url = f"/api/v1/rounds/{scene['round'].id}/reminders/"
    one = client.post(url, {"organization": scene["carpathia"][0].memberships.get().organization_id}, format="json")
    assert one.status_code == 201 and one.json() == {"reminded": 1, "members": 1}
    again = client.post(url, {"organization": scene["carpathia"][0].memberships.get().organization_id}, format="json")
    assert again.status_code == 409 and "once" in again.json()["detail"]
    done = client.post(url, {"organization": scene["atlantis"][0].memberships.get().organization_id}, format="json")
    assert done.status_code == 409 and "every item" in done.json()["detail"]
    stranger = client.post(url, {"organization": 999_999}, format="json")
    assert stranger.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        everyone = client.post(url, {}, format="json")
    assert everyone.status_code == 201
    reminded = set(VoteReminder.objects.filter(round=scene["round"]).values_list("organization__name", flat=True))
    assert {"Carpathia Telecom", "Borduria"} <= reminded and "Atlantis" not in reminded
    # Both members of Borduria are told, though only one of them voted; Atlantis is not.
    for member in scene["borduria"]:
        told = Notification.objects.get(recipient=member, kind="vote_reminder")
        assert "has voted on 1 of 2 items" in told.message and told.url.endswith(f"/rounds/{scene['round'].id}/ballot/")
    assert not Notification.objects.filter(recipient=scene["atlantis"][0], kind="vote_reminder").exists()
    assert client.post(url, {}, format="json").status_code == 409  # nobody left to remind
    assert turnout(people, scene)["delegations"][0]["reminded_at"] is not None


def test_under_chatham_house_delegations_are_groups_and_reminded_all_at_once(people, scene):
    Round.objects.filter(pk=scene["round"].pk).update(chatham_house=True)
    seen = turnout(people, scene, f"?amendment={scene['amendment'].id}")
    # No row per delegation, even unnamed: its place among its group's would tell which it is.
    assert seen["named"] is False and seen["delegations"] == []
    assert "Borduria" not in str(seen) and "Carpathia" not in str(seen)
    groups = {g["stakeholder_group"]: g for g in seen["groups"]}
    assert groups["industry"] == {"stakeholder_group": "industry", "delegations": 1, "behind": 1, "reminded": 0}
    asked = next(i for i in seen["by_item"] if "not_voted_by_group" in i)
    assert "not_voted" not in asked and asked["not_voted_by_group"]["industry"] == 1
    client = client_for(people["moderator"])
    url = f"/api/v1/rounds/{scene['round'].id}/reminders/"
    named = client.post(url, {"organization": scene["carpathia"][0].memberships.get().organization_id}, format="json")
    assert named.status_code == 400 and "Chatham House" in named.json()["organization"][0]
    assert client.post(url, {}, format="json").status_code == 201

    page = client_for(people["moderator"])
    page.force_login(people["moderator"])
    html = page.get(f"/rounds/{scene['round'].id}/turnout/?amendment={scene['amendment'].id}").content.decode()
    assert "Borduria" not in html and "Carpathia" not in html and "1 delegation of Industry" in html
    assert 'data-testid="turnout-delegation"' not in html


def test_reminders_only_while_voting(people, scene):
    services.round_close(round_id=scene["round"].id, by=people["moderator"])
    refused = client_for(people["moderator"]).post(f"/api/v1/rounds/{scene['round'].id}/reminders/", {}, format="json")
    assert refused.status_code == 409 and "only while it is voting" in refused.json()["detail"]


def test_the_page_lists_and_reminds(people, scene, django_capture_on_commit_callbacks):
    client = client_for(people["moderator"])
    client.force_login(people["moderator"])
    console = client.get(f"/rounds/{scene['round'].id}/console/").content.decode()
    assert f"/rounds/{scene['round'].id}/turnout/" in console
    page = client.get(f"/rounds/{scene['round'].id}/turnout/?clause={scene['proposal'].id}")
    html = page.content.decode()
    assert page.status_code == 200 and "Carpathia Telecom" in html and "1 of 2" in html
    assert 'data-testid="not-voted"' in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/rounds/{scene['round'].id}/turnout/", {}, follow=True)
    assert "delegations reminded" in sent.content.decode()
    refused = client.post(f"/rounds/{scene['round'].id}/turnout/", {})
    assert refused.status_code == 409 and "No delegation is left to remind" in refused.content.decode()
    participant = client_for(people["participant"])
    participant.force_login(people["participant"])
    assert participant.get(f"/rounds/{scene['round'].id}/turnout/").status_code == 403


def test_per_person_a_delegation_has_voted_when_every_member_has_and_only_those_behind_are_told(
    draft, clause, people, django_capture_on_commit_callbacks
):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", counting="per_person")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    keen, late = delegation(draft, 2, name="Borduria")
    services.round_start_voting(round_id=round_.id, by=moderator)
    vote(keen, proposal, "yes")
    seen = turnout(people, {"round": round_})
    borduria = next(d for d in seen["delegations"] if d["organization"]["name"] == "Borduria")
    assert (borduria["voted"], borduria["not_voted"]) == (0, 1)  # one of its two voters has not
    organization = keen.memberships.get().organization_id
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_for(moderator).post(
            f"/api/v1/rounds/{round_.id}/reminders/", {"organization": organization}, format="json"
        )
    assert sent.json() == {"reminded": 1, "members": 1}
    assert Notification.objects.filter(recipient=late, kind="vote_reminder").exists()
    assert not Notification.objects.filter(recipient=keen, kind="vote_reminder").exists()
    vote(late, proposal, "no")
    assert (
        next(d for d in turnout(people, {"round": round_})["delegations"] if d["organization"]["name"] == "Borduria")[
            "voted"
        ]
        == 1
    )


def test_a_closed_round_has_no_turnout_to_follow(people, scene):
    services.round_close(round_id=scene["round"].id, by=people["moderator"])
    seen = turnout(people, scene)
    assert seen["items"] == 0 and seen["delegations"] == [] and seen["by_item"] == []


def test_the_turnout_reads_in_constant_queries(people, scene, draft):
    """Six more delegations that voted: the same statements, for the API and the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = client_for(people["moderator"])
    page.force_login(people["moderator"])

    def counted():
        with CaptureQueriesContext(connection) as api:
            turnout(people, scene, f"?clause={scene['proposal'].id}")
        with CaptureQueriesContext(connection) as html:
            assert page.get(f"/rounds/{scene['round'].id}/turnout/?clause={scene['proposal'].id}").status_code == 200
        return len(api), len(html)

    counted()  # the first page also saves the new session
    before = counted()
    for n in range(6):
        vote(delegation(draft, 2, name=f"Extra {n}")[0], scene["proposal"], "yes")
    assert counted() == before and before[0] <= 10, before


def test_the_admin_tells_a_reminded_delegation_as_the_naming_rule_does(client, admin_user, people, scene):
    services.vote_remind(round_id=scene["round"].id, by=people["moderator"])
    client.force_login(admin_user)
    listed = client.get("/admin/drafting/votereminder/").content.decode()
    assert "Carpathia Telecom" in listed
    Round.objects.filter(pk=scene["round"].pk).update(chatham_house=True)
    listed = client.get("/admin/drafting/votereminder/").content.decode()
    assert "Carpathia" not in listed and "Borduria" not in listed and "A delegation of Industry" in listed
    reminder = VoteReminder.objects.filter(organization__name="Carpathia Telecom").get()
    form = client.get(f"/admin/drafting/votereminder/{reminder.pk}/change/").content.decode()
    assert "Carpathia" not in form
