"""Who hears of what: the outbox, follows and fan-out (tasks run in-process; see test_delivery for the real worker)."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from drafting import services
from notifications import services as notifications
from notifications.models import Event, Notification, Subscription
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.drafting.factories import cast, make_voters

from .conftest import messages_of

pytestmark = pytest.mark.django_db


def test_new_amendment_reaches_clause_followers_and_moderators_not_the_author(clause, people, round_, deliver):
    follower = UserFactory(username="follower")
    services.draft_member_set(draft=clause.draft, user_id=follower.id, role="observer", by=people["admin"])
    notifications.follow(user=follower, clause=clause)
    # Moderators follow their draft from the moment they are appointed.
    assert Subscription.objects.filter(user=people["moderator"], draft=clause.draft).exists()
    amendment = deliver(lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete"))
    for person in (follower, people["moderator"]):
        kinds = [k for k, _ in messages_of(person)]
        assert kinds[-1] == "amendment_submitted"
        assert f"{speaks(people['participant'])} proposed deleting clause {clause.ref}" in messages_of(person)[-1][1]
    assert not Notification.objects.filter(recipient=people["participant"], kind="amendment_submitted").exists()
    notification = Notification.objects.filter(recipient=follower).last()
    assert notification.url == f"/amendments/{amendment.id}/"
    # The author now follows the clause they amended.
    assert Subscription.objects.filter(user=people["participant"], clause=clause).exists()


def test_reply_tells_the_parent_author_once(clause, people, deliver):
    root = deliver(
        lambda: services.comment_post(by=people["observer"], clause_id=clause.id, body="Why?", stance="question")
    )
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, parent_id=root.id, body="Because.")
    )
    observer_kinds = [k for k, _ in messages_of(people["observer"])]
    assert observer_kinds == ["comment_reply"]  # not also "comment_posted" for the same reply
    assert f"{speaks(people['participant'])} replied to your comment" in messages_of(people["observer"])[0][1]


def test_chatham_house_notifications_name_the_group_only(draft, clause, people, deliver):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="Closed doors", chatham_house=True)
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    deliver(lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete"))
    message = messages_of(people["moderator"])[-1][1]
    assert "a_participant" not in message and message.startswith("A participant (Government) proposed deleting")


def speaks(person) -> str:
    """How notifications name a person of the ``people`` fixture: with their organization and group."""
    return f"{person.username} ({person.memberships.get().organization.name}, Government)"


def test_who_names_the_person_or_under_chatham_house_only_their_group(draft, people):
    participant = people["participant"]
    organization = participant.memberships.get().organization
    open_round = services.round_create(draft=draft, by=people["moderator"], title="Open doors")
    closed_doors = services.round_create(draft=draft, by=people["moderator"], title="Closed", chatham_house=True)
    assert notifications.who(participant) == f"a_participant ({organization.name}, Government)"
    assert notifications.who(participant, round_=open_round) == f"a_participant ({organization.name}, Government)"
    assert notifications.who(people["non_member"]) == "outsider"  # speaks for no organization
    assert notifications.who(participant, round_=closed_doors) == "A participant (Government)"
    assert notifications.who(people["non_member"], round_=closed_doors) == "A participant"  # no organization
    assert notifications.who(None) == "The schedule"


def test_outcomes_and_round_events_reach_authors_and_members(draft, clause, people, round_, deliver):
    proposal = deliver(
        lambda: services.clause_create(
            draft=draft, section_id=clause.section_id, title="Contacts", text="Name one.", by=people["participant"]
        )
    )
    amendment = deliver(
        lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New.")
    )
    voters = make_voters(draft, government=2)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, proposal, {"government": "yy"})
    cast(voters, amendment, {"government": "nn"})
    deliver(lambda: services.round_close(round_id=round_.id, by=people["moderator"]))
    kinds = [k for k, _ in messages_of(people["participant"])]
    assert "round_opened" in kinds and "clause_accepted" in kinds and "amendment_rejected" in kinds
    assert kinds[-1] == "round_closed"
    summary = messages_of(people["observer"])[-1][1]
    assert "First reading" in summary and "1 accepted, 1 rejected" in summary and "Rev.1 is published" in summary


def test_closing_soon_warns_once(draft, people, deliver):
    round_ = services.round_create(
        draft=draft, by=people["moderator"], title="Short", closes_at=timezone.now() + timezone.timedelta(hours=30)
    )
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    assert deliver(lambda: services.rounds_warn_closing_soon()) == []
    later = timezone.now() + timezone.timedelta(hours=7)
    assert deliver(lambda: services.rounds_warn_closing_soon(now=later)) == [round_.id]
    assert deliver(lambda: services.rounds_warn_closing_soon(now=later)) == []
    assert Notification.objects.filter(recipient=people["observer"], kind="round_closing").count() == 1


def test_membership_verified_is_notified(people, deliver):
    membership = MembershipFactory(status="pending")
    deliver(
        lambda: account_services.membership_verify(
            organization_id=membership.organization_id, user_id=membership.user_id, by=people["admin"]
        )
    )
    assert messages_of(membership.user)[0][0] == "membership_verified"


def test_a_rolled_back_change_notifies_nobody(clause, people, deliver):
    notifications.follow(user=people["observer"], clause=clause)

    def fail_after_commenting():
        with transaction.atomic():
            services.comment_post(by=people["participant"], clause_id=clause.id, body="Lost words")
            raise RuntimeError("the request failed after the comment was written")

    with pytest.raises(RuntimeError):
        deliver(fail_after_commenting)
    assert not Event.objects.exists() and not Notification.objects.exists() and mail.outbox == []


def test_follow_twice_is_one_follow_and_unfollow_says_whether_there_was_one(clause, people):
    observer = people["observer"]
    first = notifications.follow(user=observer, clause=clause)
    assert notifications.follow(user=observer, clause=clause) == first
    assert notifications.unfollow(user=observer, clause=clause) is True
    assert not Subscription.objects.filter(user=observer, clause=clause).exists()
    assert notifications.unfollow(user=observer, clause=clause) is False
    # Unfollowing a clause leaves a follow of its draft alone.
    notifications.follow(user=observer, draft=clause.draft)
    assert notifications.unfollow(user=observer, clause=clause) is False
    assert Subscription.objects.filter(user=observer, draft=clause.draft).exists()
