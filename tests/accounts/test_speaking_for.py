"""What a person spoke for in each act: the membership rule applied to the memberships as they stood then."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership
from accounts.selectors import SpeakingFor, speaking_for, speaking_for_at, speaking_for_data
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) - timedelta(days=30)


def _at(days: int):
    return START + timedelta(days=days)


def test_a_move_between_organizations_changes_only_the_acts_after_it():
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    brazil = OrganizationFactory(name="Brazil", stakeholder_group="government")
    ngo = OrganizationFactory(name="Digital Rights Watch", stakeholder_group="civil_society")
    with time_machine.travel(_at(0), tick=False):
        first = MembershipFactory(user=ana, organization=brazil)
        MembershipFactory(user=ben, organization=ngo, status=Membership.Status.PENDING)
    with time_machine.travel(_at(10), tick=False):
        first.delete()  # Ana leaves her government ...
    with time_machine.travel(_at(11), tick=False):
        MembershipFactory(user=ana, organization=ngo)  # ... and joins a civil society organization
    with time_machine.travel(_at(12), tick=False):
        ben_membership = Membership.objects.get(user=ben)
        ben_membership.status = Membership.Status.VERIFIED
        ben_membership.save()

    acts = [(ana.id, _at(5)), (ana.id, _at(10.5)), (ana.id, _at(20)), (ben.id, _at(5)), (ben.id, _at(-1))]
    with CaptureQueriesContext(connection) as queries:
        found = speaking_for_at(acts)
    assert len(queries) == 1
    assert str(found[(ana.id, _at(5))]) == "Brazil (Government)"
    assert found[(ana.id, _at(10.5))] is None  # between two memberships she spoke for no one
    assert str(found[(ana.id, _at(20))]) == "Digital Rights Watch (Civil society)"
    assert str(found[(ben.id, _at(5))]) == "Digital Rights Watch (Civil society)"  # pending counts when alone
    assert found[(ben.id, _at(-1))] is None  # before he joined anything
    # Today's answer is the plain rule's.
    assert found[(ana.id, _at(20))].organization == speaking_for(ana)


def test_a_membership_verified_later_counts_as_pending_before_it():
    ana = UserFactory()
    older = OrganizationFactory(name="Older Org", stakeholder_group="industry")
    newer = OrganizationFactory(name="Newer Org", stakeholder_group="academia")
    with time_machine.travel(_at(0), tick=False):
        MembershipFactory(user=ana, organization=older, status=Membership.Status.PENDING)
    with time_machine.travel(_at(1), tick=False):
        MembershipFactory(user=ana, organization=newer, status=Membership.Status.VERIFIED)
    with time_machine.travel(_at(5), tick=False):
        membership = Membership.objects.get(organization=older)
        membership.status = Membership.Status.VERIFIED
        membership.save()
    found = speaking_for_at([(ana.id, _at(0.5)), (ana.id, _at(3)), (ana.id, _at(6))])
    assert found[(ana.id, _at(0.5))].organization == older  # only the pending one existed
    assert found[(ana.id, _at(3))].organization == newer  # the verified one comes first
    assert found[(ana.id, _at(6))].organization == older  # both verified: the oldest


def test_changes_at_one_moment_are_read_in_the_order_they_were_written():
    """A membership made and verified in the same instant (an administrator's import, say) is
    verified from that instant: the later row of two with one date is the membership's state."""
    ana = UserFactory()
    org = OrganizationFactory(name="Same Moment", stakeholder_group="academia")
    with time_machine.travel(_at(0), tick=False):
        membership = MembershipFactory(user=ana, organization=org, status=Membership.Status.PENDING)
        membership.status = Membership.Status.VERIFIED
        membership.save()
        membership.delete()
        MembershipFactory(
            user=ana,
            organization=OrganizationFactory(name="Next", stakeholder_group="industry"),
            status=Membership.Status.PENDING,
        )
    with time_machine.travel(_at(1), tick=False):
        Membership.objects.get(user=ana).delete()
    found = speaking_for_at([(ana.id, _at(0)), (ana.id, _at(0.5)), (ana.id, _at(2))])
    # At that instant the first membership was already gone: the later rows of one date count.
    assert str(found[(ana.id, _at(0))]) == "claims to speak for Next (Industry)"
    assert found[(ana.id, _at(0.5))] == found[(ana.id, _at(0))]
    assert found[(ana.id, _at(2))] is None  # she left that one too


def test_no_acts_no_query_and_the_api_shape():
    with CaptureQueriesContext(connection) as queries:
        assert speaking_for_at([(None, timezone.now())]) == {}
    assert len(queries) == 0
    brazil = OrganizationFactory(name="Brazil", stakeholder_group="government")
    speaking = SpeakingFor.of(brazil)
    assert speaking_for_data(speaking) == {
        "organization": "Brazil",
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    assert speaking_for_data(speaking, named=False) == {
        "organization": None,
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    assert speaking_for_data(None) == {
        "organization": None,
        "stakeholder_group": None,
        "verified": False,
        "chair": False,
    }
    assert str(speaking.without_organization()) == "Government"


def test_a_membership_not_yet_verified_is_shown_as_a_claim_until_it_is(client, draft, clause, people):
    """An outsider's pending membership once read "outsider, Tokyo Telecom Group (Industry)" as fact."""
    from drafting import services
    from tests.conftest import client_for

    claimant = UserFactory(username="claimant")
    tokyo = OrganizationFactory(name="Tokyo Telecom Group", stakeholder_group="industry")
    membership = MembershipFactory(user=claimant, organization=tokyo, status=Membership.Status.PENDING)
    services.draft_member_set(draft=draft, user_id=claimant.id, role="observer", by=draft.created_by)
    comment = services.comment_post(by=claimant, clause_id=clause.id, body="We speak for the industry.")

    def seen():
        api = client_for(people["participant"]).get(f"/api/v1/comments/{comment.id}/").json()["speaking_for"]
        client.force_login(people["participant"])
        page = client.get(f"/clauses/{clause.id}/").content.decode()
        return api, page

    api, page = seen()
    assert api == {
        "organization": "Tokyo Telecom Group",
        "stakeholder_group": "industry",
        "verified": False,
        "chair": False,
    }
    assert "claims to speak for Tokyo Telecom Group (Industry)" in page
    assert str(SpeakingFor.of(tokyo, verified=False)) == "claims to speak for Tokyo Telecom Group (Industry)"

    membership.status = Membership.Status.VERIFIED
    membership.save()  # an administrator verifies it: the same act now reads as fact
    api, page = seen()
    assert api["verified"] is True
    assert "claims to speak for" not in page and "Tokyo Telecom Group (Industry)" in page
