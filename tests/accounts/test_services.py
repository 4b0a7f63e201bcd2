"""Verifying a membership tells the person what it lets them do, true of them as their roles stand."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts import services
from accounts import services as account_services
from accounts.models import Membership
from drafting import services as drafting
from drafting.services import join_requests
from notifications.models import Event
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.drafting.factories import DraftMembershipFactory

pytestmark = pytest.mark.django_db


def _verify(membership, by) -> str:
    services.membership_verify(organization_id=membership.organization_id, user_id=membership.user_id, by=by)
    return Event.objects.filter(kind="membership_verified", recipient_ids=[membership.user_id]).latest("id").message


def test_a_participant_is_told_where_they_vote_not_that_they_have_no_role(draft, admin_user):
    membership = MembershipFactory(status="pending", organization__name="Brazil")
    drafting.draft_member_set(draft=draft, user_id=membership.user_id, role="participant", by=admin_user)
    said = _verify(membership, admin_user)
    assert said.startswith("Your membership of Brazil is verified: you speak for government.")
    assert f"You can vote in the rounds of “{draft.title}”" in said and "no role" not in said


def test_someone_waiting_on_a_request_to_join_is_told_so_not_to_ask(draft, admin_user):
    membership = MembershipFactory(status="pending")
    join_requests.join_request_create(draft=draft, by=membership.user)
    said = _verify(membership, admin_user)
    assert f"Your request to join “{draft.title}” waits for its moderators." in said
    assert "no role" not in said and "ask to join" not in said


def test_someone_with_no_role_and_no_request_is_told_how_to_ask(admin_user):
    said = _verify(MembershipFactory(status="pending"), admin_user)
    assert said.endswith("You have no role in a draft yet: ask to join one from its page to take part.")


def test_an_administrator_is_told_they_act_in_every_draft(admin_user):
    other_admin = UserFactory(is_superuser=True, is_staff=True)
    said = _verify(MembershipFactory(user=other_admin, status="pending"), admin_user)
    assert said.endswith("As an administrator you act in every draft.") and "no role" not in said


def test_a_second_membership_verified_keeps_the_first_as_whom_they_speak_for(admin_user):
    first = MembershipFactory(organization__name="Access Now", organization__stakeholder_group="civil_society")
    second = MembershipFactory(
        user=first.user,
        status="pending",
        organization=OrganizationFactory(name="Kenya", stakeholder_group="government"),
    )
    said = _verify(second, admin_user)
    assert said.startswith(
        "Your membership of Kenya (government) is verified; you go on speaking for Access Now (civil society)"
    )
    assert "you speak for government" not in said


def test_the_demo_verifies_its_delegates_once_they_have_their_roles():
    call_command("load_demo", password="demo-password-123", stdout=StringIO())
    told = {e.recipient_ids[0]: e.message for e in Event.objects.filter(kind="membership_verified")}
    assert len(told) == 5  # the moderator and four participants; the observer waits for the admin
    assert not [message for message in told.values() if "no role" in message]
    assert sum("You moderate “" in message for message in told.values()) == 1
    assert sum("You can vote in the rounds of “" in message for message in told.values()) == 4


@pytest.mark.parametrize(
    ("role", "says", "never"),
    [
        ("participant", ["vote"], ["observer"]),
        ("observer", ["read and comment"], ["can vote", "can now vote"]),
        (None, ["ask to join"], ["vote in", "can now vote"]),
    ],
)
def test_verification_notice_says_what_the_person_can_do(draft, admin_user, role, says, never):
    user = UserFactory()
    membership = MembershipFactory(
        user=user, status=Membership.Status.PENDING, organization__stakeholder_group="academia"
    )
    if role:
        DraftMembershipFactory(draft=draft, user=user, role=role)
    account_services.membership_verify(organization_id=membership.organization_id, user_id=user.id, by=admin_user)
    event = Event.objects.get(kind="membership_verified")
    assert event.recipient_ids == [user.id]
    message = event.message
    assert "academia" in message
    for words in says:
        assert words in message, message
    for words in never:
        assert words not in message, message
    if role:
        assert draft.title in message
