"""Pages name every person with the organization and stakeholder group they spoke for in that act."""

import re

import pytest
from django.utils.html import strip_tags

from accounts.models import Membership
from drafting import services
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def _history(response) -> list[list[str]]:
    """The clause page's history table: per row, the text of its cells."""
    rows = re.findall(r'<tr data-testid="history-row">(.*?)</tr>', response.content.decode(), re.S)
    return [[" ".join(strip_tags(cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


@pytest.fixture
def ana(draft, people):
    """A delegate of Brazil's government, participating in the draft."""
    ana = UserFactory(username="ana")
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Brazil", stakeholder_group="government"))
    services.draft_member_set(draft=draft, user_id=ana.id, role="participant", by=people["admin"])
    return ana


def _moves_to_civil_society(person):
    Membership.objects.get(user=person).delete()
    ngo = OrganizationFactory(name="Cyber Peace Forum", stakeholder_group="civil_society")
    MembershipFactory(user=person, organization=ngo)


def test_comments_replies_and_history_name_what_each_person_spoke_for_then(client, clause, people, ana, round_):
    proposal = services.clause_create(
        draft=clause.draft, section_id=clause.section_id, title="Contacts", text="Name contacts.", by=ana
    )
    first = services.comment_post(by=ana, clause_id=proposal.id, body="We proposed this for the region.")
    _moves_to_civil_society(ana)
    services.comment_post(by=ana, clause_id=proposal.id, parent_id=first.id, body="Now for civil society.")
    services.clause_update(clause_id=proposal.id, version=1, by=ana, text="Name contacts, promptly.", reason="Clearer")

    response = client.get(f"/clauses/{proposal.id}/")
    page = _text(response)
    assert "proposed by ana — Brazil (Government)" in page
    # The comment keeps the organization of its day; the reply, written after the move, the new one.
    assert "ana — Brazil (Government) Neutral" in page
    assert "ana — Cyber Peace Forum (Civil society) Neutral" in page
    history = [(row[0], row[2], row[3]) for row in _history(response)]
    assert history == [
        ("2", "ana — Cyber Peace Forum (Civil society)", "Clearer"),
        ("1", "ana — Brazil (Government)", "Clause proposed"),
    ]
    assert "civil_society" not in page  # group names as people read them, never the stored key


def test_a_merge_is_the_authors_change_applied_by_the_moderator(client, closed_round, clause, people):
    services.round_close(round_id=closed_round["round"].id, by=people["moderator"])
    amendment = closed_round["amendment"]
    organization = people["participant"].memberships.get().organization.name
    merge = next(row for row in _history(client.get(f"/clauses/{clause.id}/")) if row[3].startswith("Amendment"))
    assert merge[2:4] == [
        f"a_participant — {organization} (Government)",
        f"Amendment {amendment.id} by a_participant ({organization}, Government) merged, "
        "applied by the Chair at the close of First reading",
    ]
    # The amendment itself carries the organization it was submitted for.
    assert f"by a_participant — {organization} (Government)" in _text(client.get(f"/amendments/{amendment.id}/"))


def test_results_name_organizations_except_under_chatham_house(client, draft, clause, people, ana):
    moderator = people["moderator"]
    voters = make_voters(draft, government=1)
    for chatham_house in (False, True):
        round_ = services.round_create(
            draft=draft, by=moderator, title=f"Reading {chatham_house}", chatham_house=chatham_house
        )
        services.round_open(round_id=round_.id, by=moderator)
        proposal = services.clause_create(
            draft=draft, section_id=clause.section_id, title="Contacts", text="Name contacts.", by=ana
        )
        remark = services.comment_post(by=ana, clause_id=proposal.id, body="Needed.", stance="support")
        services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted")
        services.round_start_voting(round_id=round_.id, by=moderator)
        cast(voters, proposal, {"government": "y"})
        services.round_close(round_id=round_.id, by=moderator)
        page = _text(client.get(f"/rounds/{round_.id}/results/"))
        if chatham_house:
            assert "ana" not in page.split() and "Brazil" not in page
            assert re.search(r"Contacts Government Accepted", page), page
            assert "Needed. Government Noted" in page
        else:
            assert "Contacts ana — Brazil (Government)" in page
            assert "Needed. ana — Brazil (Government) Noted" in page


def test_the_console_names_comment_and_amendment_authors_with_whom_they_speak_for(
    client, draft, clause, people, round_
):
    services.comment_post(by=people["participant"], clause_id=clause.id, body="Too vague.", stance="concern")
    services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="Sharper words.")
    services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="Sharp words.")
    group = people["participant"].memberships.get().organization
    client.force_login(people["moderator"])
    page = _text(client.get(f"/rounds/{round_.id}/console/"))
    speaks_for = f"a_participant — {group.name} ({group.get_stakeholder_group_display()})"
    assert page.count(speaks_for) >= 2  # the queued comment and the competing amendments
