"""Every API object that names a person carries ``speaking_for`` as of that act (API.md)."""

import pytest

from accounts.models import Membership
from drafting import services
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db

BRAZIL = {"organization": "Brazil", "stakeholder_group": "government", "verified": True, "chair": False}
FORUM = {"organization": "Cyber Peace Forum", "stakeholder_group": "civil_society", "verified": True, "chair": False}


@pytest.fixture
def ana(draft, people):
    ana = UserFactory(username="ana")
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Brazil", stakeholder_group="government"))
    services.draft_member_set(draft=draft, user_id=ana.id, role="participant", by=people["admin"])
    return ana


def _move(person):
    """Leave Brazil's delegation for a civil society organization."""
    Membership.objects.get(user=person).delete()
    MembershipFactory(
        user=person, organization=OrganizationFactory(name="Cyber Peace Forum", stakeholder_group="civil_society")
    )


def test_comments_clauses_history_and_amendments_tell_what_was_spoken_for_then(clause, people, ana, round_):
    api = client_for(ana)
    proposal = api.post(
        f"/api/v1/drafts/{clause.draft.slug}/clauses/",
        {"section": clause.section_id, "title": "Contacts", "text": "Name contacts."},
        format="json",
    ).json()
    assert proposal["proposer"] == "ana" and proposal["speaking_for"] == BRAZIL
    comment = api.post("/api/v1/comments/", {"clause": proposal["id"], "body": "Ours."}, format="json").json()
    assert comment["author"] == "ana" and comment["speaking_for"] == BRAZIL
    amendment = api.post(
        f"/api/v1/clauses/{clause.id}/amendments/", {"kind": "modify", "text": "New words."}, format="json"
    ).json()
    assert amendment["speaking_for"] == BRAZIL

    _move(ana)
    api.post("/api/v1/comments/", {"clause": proposal["id"], "body": "Still ours.", "parent": comment["id"]})
    services.clause_update(clause_id=proposal["id"], version=1, by=ana, text="Name contacts, promptly.")

    reader = client_for(people["observer"])
    comments = reader.get(f"/api/v1/comments/?clause={proposal['id']}").json()["results"]
    assert [(c["body"], c["speaking_for"]) for c in comments] == [("Ours.", BRAZIL), ("Still ours.", FORUM)]
    assert reader.get(f"/api/v1/comments/{comment['id']}/").json()["speaking_for"] == BRAZIL
    # The proposal and the amendment were made for Brazil, whatever ana speaks for now.
    assert reader.get(f"/api/v1/clauses/{proposal['id']}/").json()["speaking_for"] == BRAZIL
    listed = reader.get(f"/api/v1/drafts/{clause.draft.slug}/clauses/").json()["results"]
    assert next(c for c in listed if c["id"] == proposal["id"])["speaking_for"] == BRAZIL
    sections = reader.get(f"/api/v1/drafts/{clause.draft.slug}/").json()["sections"]
    in_draft = next(c for s in sections for c in s["clauses"] if c["id"] == proposal["id"])
    assert in_draft["speaking_for"] == BRAZIL
    amendments = reader.get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    assert amendments[0]["speaking_for"] == BRAZIL
    history = reader.get(f"/api/v1/clauses/{proposal['id']}/history/").json()["results"]
    assert [(h["changed_by"], h["speaking_for"]) for h in history] == [("ana", BRAZIL), ("ana", FORUM)]
    # A clause put in the text by no one in particular names no one.
    original = reader.get(f"/api/v1/clauses/{clause.id}/").json()
    assert original["proposer"] is None
    assert original["speaking_for"] == {
        "organization": None,
        "stakeholder_group": None,
        "verified": False,
        "chair": False,
    }


@pytest.mark.parametrize("chatham_house", [False, True])
def test_results_and_dispositions_name_the_organization_unless_chatham_house(draft, clause, people, ana, chatham_house):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Reading", chatham_house=chatham_house)
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Contacts", text="Name contacts.", by=ana
    )
    remark = services.comment_post(by=ana, clause_id=proposal.id, body="Needed.")
    services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted")
    _move(ana)  # after the acts: results still name Brazil
    voters = make_voters(draft, government=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, proposal, {"government": "y"})
    services.round_close(round_id=round_.id, by=moderator)

    expected = (
        {"organization": None, "stakeholder_group": "government", "verified": True, "chair": False}
        if chatham_house
        else BRAZIL
    )
    reader = client_for(None)
    (row,) = reader.get(f"/api/v1/rounds/{round_.id}/results/").json()
    assert row["item"]["speaking_for"] == expected
    assert row["item"]["by"]["group"] == "government"  # a proposal's group is told too
    (disposition,) = reader.get(f"/api/v1/rounds/{round_.id}/dispositions/").json()["results"]
    assert disposition["speaking_for"] == expected and disposition["author_group"] == "government"
    report = reader.get(f"/api/v1/rounds/{round_.id}/report/?format=json").json()
    assert report["items"][0]["item"]["speaking_for"] == expected
    assert report["dispositions"][0]["speaking_for"] == expected
    csv = reader.get(f"/api/v1/rounds/{round_.id}/report/?format=csv").content.decode()
    assert ("Government" if chatham_house else "ana (Brazil, Government)") in csv.splitlines()[1]
