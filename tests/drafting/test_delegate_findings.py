"""What delegates and a moderator found trying the round pages from outside, each kept from coming back."""

import pytest
from django.utils.html import strip_tags

from drafting import services
from drafting.services import join_requests
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import cast, make_voters, propose, show_tallies

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


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


def test_a_withdrawn_amendment_asks_nobody_to_vote(client, draft, clause, people, round_):
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="States should talk."
    )
    client.force_login(people["participant"])
    assert "Accept this amendment?" in _text(client.get(f"/amendments/{amendment.id}/"))
    services.amendment_withdraw(amendment_id=amendment.id, by=people["participant"])
    assert "Accept this amendment?" not in _text(client.get(f"/amendments/{amendment.id}/"))


def test_only_a_voter_sees_a_count_of_their_votes_on_the_ballot(client, draft, clause, people, round_):
    propose(draft, clause, people)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    for who, counted in (("participant", True), ("observer", False), ("moderator", False)):
        client.force_login(people[who])
        page = _text(client.get(f"/rounds/{round_.id}/ballot/"))
        assert ("0 of 1 voted" in page) is counted, who


def test_a_chosen_zone_is_named_as_people_write_it(client, people):
    client.force_login(people["participant"])
    response = client.post("/accounts/profile/", {"time_zone": "America/Sao_Paulo"}, follow=True)
    assert "Times are now shown in America/Sao Paulo." in _text(response)


def test_confirmation_and_preview_redlines_show_words_not_markdown(client, draft, clause, people, round_):
    moderator = people["moderator"]
    show_tallies(round_)
    services.clause_update(
        clause_id=clause.id, version=clause.version, by=moderator, text="States **must** protect the core."
    )
    client.force_login(moderator)
    page = client.get(f"/clauses/{clause.id}/revert/?to_version=1&reason=Back").content.decode()
    assert "<ins>" in page or "<del>" in page
    assert "**" not in page.split('data-testid="redline"')[1].split("</p>")[0]

    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="States **must** protect _all_ of it."
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(make_voters(draft, government=1), amendment, {"government": "y"})
    preview = client.get(f"/rounds/{round_.id}/close-preview/").content.decode()
    merge = preview.split('data-testid="merge-redline"')[1].split("</p>")[0]
    assert "all" in merge.split("<ins>", 1)[1]  # what the amendment adds is marked inserted
    assert "**" not in merge and "_all_" not in merge
