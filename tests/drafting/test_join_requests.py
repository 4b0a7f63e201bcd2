"""A signed-in person with no role asks to join a draft; its moderators approve or decline; both sides hear of it.

The join page shows its form open; the moderators see whom each person asking speaks for."""

import pytest
from django.utils.html import strip_tags

from drafting.models import DraftMembership, JoinRequest
from drafting.services import join_requests
from notifications.models import Notification
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import DraftFactory

pytestmark = pytest.mark.django_db


def _ask(api_client, draft, **body):
    return api_client.post(f"/api/v1/drafts/{draft.slug}/join-requests/", body, format="json")


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_asking_approving_and_both_sides_told(draft, people, django_capture_on_commit_callbacks):
    outsider, moderator = people["non_member"], people["moderator"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client_for(outsider), draft, role="observer", message="Civil society, Geneva.")
    assert response.status_code == 201, response.content
    asked = response.json()
    assert (asked["status"], asked["role"], asked["user"], asked["draft"]) == (
        "pending",
        "observer",
        "outsider",
        draft.slug,
    )
    told = Notification.objects.get(recipient=moderator, kind="join_requested")
    assert "outsider asks to join" in told.message and told.url.endswith("#join-requests")

    listed = client_for(moderator).get(f"/api/v1/drafts/{draft.slug}/join-requests/")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [asked["id"]]

    with django_capture_on_commit_callbacks(execute=True):
        decided = client_for(moderator).post(f"/api/v1/join-requests/{asked['id']}/approve/", {}, format="json")
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("approved", moderator.username)
    assert DraftMembership.objects.get(draft=draft, user=outsider).role == "observer"
    assert "you are now observer" in Notification.objects.get(recipient=outsider, kind="join_approved").message
    # The draft now knows them: its API answers with their role.
    assert client_for(outsider).get(f"/api/v1/drafts/{draft.slug}/").json()["your_role"] == "observer"


def test_declining_tells_the_person_why_and_they_may_ask_again(draft, people, django_capture_on_commit_callbacks):
    outsider, moderator = people["non_member"], people["moderator"]
    asked = _ask(client_for(outsider), draft).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(
            f"/api/v1/join-requests/{asked['id']}/decline/", {"reason": "Only accredited delegations."}, format="json"
        )
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert not DraftMembership.objects.filter(draft=draft, user=outsider).exists()
    message = Notification.objects.get(recipient=outsider, kind="join_declined").message
    assert "declined" in message and "Only accredited delegations." in message
    assert _ask(client_for(outsider), draft).status_code == 201


def test_refusals_asking(draft, people):
    outsider = people["non_member"]
    assert _ask(client_for(outsider), draft).status_code == 201
    again = _ask(client_for(outsider), draft)
    assert again.status_code == 409 and again.json()["status"] == "pending" and "not decided" in again.json()["detail"]
    member = _ask(client_for(people["participant"]), draft)
    assert member.status_code == 409 and member.json()["role"] == "participant"
    assert _ask(client_for(None), draft).status_code in (401, 403)
    bad_role = _ask(client_for(UserFactory()), draft, role="moderator")
    assert bad_role.status_code == 400 and "role" in bad_role.json()
    hidden = DraftFactory(visibility="members")
    assert _ask(client_for(UserFactory()), hidden).status_code == 404  # a members-only draft does not exist for them


def test_only_moderators_list_and_decide_and_only_once(draft, people):
    asked = _ask(client_for(people["non_member"]), draft).json()
    participant = client_for(people["participant"])
    assert participant.get(f"/api/v1/drafts/{draft.slug}/join-requests/").status_code == 403
    assert participant.post(f"/api/v1/join-requests/{asked['id']}/approve/").status_code == 403
    assert client_for(people["non_member"]).post(f"/api/v1/join-requests/{asked['id']}/approve/").status_code == 403
    moderator = client_for(people["moderator"])
    assert moderator.post(f"/api/v1/join-requests/{asked['id']}/approve/").status_code == 200
    twice = moderator.post(f"/api/v1/join-requests/{asked['id']}/decline/")
    assert twice.status_code == 409 and twice.json()["status"] == "approved"
    assert moderator.post("/api/v1/join-requests/999999/approve/").status_code == 404


def test_approval_never_lowers_a_role_given_meanwhile(draft, people):
    outsider, moderator = people["non_member"], people["moderator"]
    request = join_requests.join_request_create(draft=draft, by=outsider, role="observer")
    DraftMembership.objects.create(draft=draft, user=outsider, role="moderator")
    join_requests.join_request_approve(request_id=request.id, by=moderator)
    assert DraftMembership.objects.get(draft=draft, user=outsider).role == "moderator"
    assert JoinRequest.objects.get(pk=request.id).status == "approved"


def test_approval_raises_an_observer_appointed_meanwhile_to_the_role_asked_for(
    draft, people, django_capture_on_commit_callbacks
):
    outsider, moderator = people["non_member"], people["moderator"]
    request = join_requests.join_request_create(draft=draft, by=outsider, role="participant")
    DraftMembership.objects.create(draft=draft, user=outsider, role="observer")
    with django_capture_on_commit_callbacks(execute=True):
        approved = client_for(moderator).post(f"/api/v1/join-requests/{request.id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["role"] == "participant"
    assert DraftMembership.objects.get(draft=draft, user=outsider).role == "participant"
    assert "you are now participant" in Notification.objects.get(recipient=outsider, kind="join_approved").message


def test_pages_ask_on_the_draft_and_decide_on_manage(client, draft, people):
    outsider, moderator = people["non_member"], people["moderator"]
    client.force_login(outsider)
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert 'data-testid="join-request"' in page and "Ask to join this draft" in page
    refused = client.post(f"/drafts/{draft.slug}/join/", {"role": "moderator", "message": "Please, as moderator."})
    assert refused.status_code == 400 and "Please, as moderator." in refused.content.decode()  # kept as typed
    sent = client.post(f"/drafts/{draft.slug}/join/", {"role": "participant", "message": "Ministry, Brazil."})
    assert sent.status_code == 302
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "have not decided yet" in page and "Ask to join this draft" not in page
    assert client.post(f"/drafts/{draft.slug}/join/", {"role": "participant"}).status_code == 409

    client.force_login(moderator)
    manage = client.get(f"/drafts/{draft.slug}/manage/").content.decode()
    assert "outsider" in manage and "Ministry, Brazil." in manage
    request = JoinRequest.objects.get(user=outsider)
    assert client.post(f"/join-requests/{request.id}/approve/").status_code == 302
    assert DraftMembership.objects.get(draft=draft, user=outsider).role == "participant"
    assert "No requests waiting." in client.get(f"/drafts/{draft.slug}/manage/").content.decode()
    assert client.post(f"/join-requests/{request.id}/decline/").status_code == 409

    client.force_login(outsider)
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert 'data-testid="join-request"' not in page  # a member is not offered to join


def test_members_are_not_offered_to_join(client, draft, people):
    client.force_login(people["participant"])
    assert "Ask to join this draft" not in client.get(f"/drafts/{draft.slug}/").content.decode()


def test_an_observer_asks_to_take_part_and_becomes_a_participant(
    client, draft, people, django_capture_on_commit_callbacks
):
    observer, moderator = people["observer"], people["moderator"]
    client.force_login(observer)
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "Ask to take part as a participant" in page and '<option value="observer"' not in page
    form = client.get(f"/drafts/{draft.slug}/join/").content.decode()
    assert "You observe this draft" in form and "You already have a role" not in form
    as_observer = _ask(client_for(observer), draft, role="observer")
    assert as_observer.status_code == 409 and "as a participant" in as_observer.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/drafts/{draft.slug}/join/", {"role": "participant", "message": "Ministry, Kenya."})
    assert sent.status_code == 302
    told = Notification.objects.get(recipient=moderator, kind="join_requested").message
    assert told.endswith(f"asks to join {draft.title} as participant, observing it now.")
    request = JoinRequest.objects.get(user=observer)
    with django_capture_on_commit_callbacks(execute=True):
        join_requests.join_request_approve(request_id=request.id, by=moderator)
    assert DraftMembership.objects.get(draft=draft, user=observer).role == "participant"
    assert "you are now participant" in Notification.objects.get(recipient=observer, kind="join_approved").message
    # A participant has nothing more to ask for.
    assert _ask(client_for(observer), draft).status_code == 409


@pytest.fixture
def newcomer(draft):
    user = UserFactory(username="newbie")
    MembershipFactory(user=user, organization__name="Kenya ICT Authority", organization__stakeholder_group="government")
    return user


def test_moderators_see_whom_each_person_asking_to_join_speaks_for(client, draft, people, newcomer):
    join_requests.join_request_create(draft=draft, by=newcomer, role="participant", message="Nairobi.")
    client.force_login(people["moderator"])
    page = _text(client.get(f"/drafts/{draft.slug}/manage/"))
    assert "newbie — Kenya ICT Authority (Government) asks to join as participant" in page
    listed = client_for(people["moderator"]).get(f"/api/v1/drafts/{draft.slug}/join-requests/").json()["results"]
    assert listed[0]["speaking_for"] == {
        "organization": "Kenya ICT Authority",
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }


def test_the_join_page_shows_its_form_open(client, draft, newcomer):
    client.force_login(newcomer)
    page = client.get(f"/drafts/{draft.slug}/join/").content.decode()
    assert "<details open>" in page and 'id="join-form"' in page
