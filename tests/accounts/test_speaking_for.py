"""What a person spoke for in each act: the membership rule applied to the memberships as they stood then."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import (
    SpeakingFor,
    group_spoken_for,
    speaking_for,
    speaking_for_at,
    speaking_for_data,
    speaking_for_now,
)
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


# Every standing a person's memberships can be in, as (status, days ago created) per membership; the
# last entry's flag deletes it. The three writings of the rule (``speaking_for_now`` in the ORM,
# ``group_spoken_for`` inside a query, ``speaking_for_at_sql`` over the history) must agree on each.
STANDINGS = {
    "none": [],
    "pending alone": [("pending", 3, False)],
    "verified alone": [("verified", 3, False)],
    "older pending, newer verified": [("pending", 5, False), ("verified", 2, False)],
    "older verified, newer pending": [("verified", 5, False), ("pending", 2, False)],
    "two verified": [("verified", 5, False), ("verified", 2, False)],
    "two pending": [("pending", 5, False), ("pending", 2, False)],
    "verified one left": [("verified", 5, True), ("pending", 2, False)],
    "all left": [("verified", 5, True)],
}


def test_the_membership_rule_reads_the_same_in_the_orm_in_a_query_and_over_the_history():
    groups = ["government", "industry", "academia", "civil_society"]
    people = {}
    for n, (standing, memberships) in enumerate(STANDINGS.items()):
        person = UserFactory(username=f"person{n}")
        people[standing] = person
        for k, (status, days_ago, leaves) in enumerate(memberships):
            organization = OrganizationFactory(name=f"Org {n}-{k}", stakeholder_group=groups[(n + k) % 4])
            with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
                membership = MembershipFactory(user=person, organization=organization, status=status)
            if leaves:
                membership.delete()
    now = timezone.now()
    over_history = speaking_for_at([(person.id, now) for person in people.values()])
    in_query = dict(
        User.objects.filter(pk__in=[p.pk for p in people.values()])
        .annotate(group=group_spoken_for(OuterRef("pk")))
        .values_list("pk", "group")
    )
    expected = {
        "none": None,
        "pending alone": ("Org 1-0", False),
        "verified alone": ("Org 2-0", True),
        "older pending, newer verified": ("Org 3-1", True),
        "older verified, newer pending": ("Org 4-0", True),
        "two verified": ("Org 5-0", True),
        "two pending": ("Org 6-0", False),
        "verified one left": ("Org 7-1", False),
        "all left": None,
    }
    for standing, person in people.items():
        now_read, past_read = speaking_for_now(person), over_history[(person.id, now)]
        told = None if now_read is None else (now_read.organization.name, now_read.verified)
        assert told == expected[standing], standing
        assert (past_read is None) == (now_read is None), standing
        if now_read is not None:
            assert (past_read.organization, past_read.verified) == (now_read.organization, now_read.verified), standing
            assert in_query[person.pk] == now_read.stakeholder_group, standing
            assert speaking_for(person) == now_read.organization, standing
        else:
            assert in_query[person.pk] is None, standing
