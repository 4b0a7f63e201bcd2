"""The ballot page and competing amendments side by side: listing, voting in place, who may vote
(and only a voter sees how many of their votes are cast)."""

import re

import pytest
from django.utils.html import strip_tags

from drafting import services
from drafting.models import Visibility, Vote
from notifications.models import Event
from tests.drafting.factories import ClauseFactory, SectionFactory, make_voters, propose, voting

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def scene(draft, clause, people, round_):
    second = SectionFactory(draft=draft, title="Cooperation", position=2)
    in_second = ClauseFactory(section=second, number=2, status="proposed", title="Talks", text="States should talk.")
    bis = ClauseFactory(
        section=clause.section, number=1, number_suffix=100, status="proposed", title="Inserted", text="States **may**."
    )
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    return {"round": round_, "bis": bis, "in_second": in_second, "amendment": amendment}


def _items(html: str) -> list[str]:
    return re.findall(r'data-item="([a-z]+-\d+)"', html)


def test_the_ballot_lists_items_by_section_with_text_redline_and_progress(client, clause, people, scene):
    voting(scene["round"], people)
    client.force_login(people["participant"])
    page = client.get(f"/rounds/{scene['round'].id}/ballot/").content.decode()
    assert _items(page) == [
        f"amendment-{scene['amendment'].id}",
        f"clause-{scene['bis'].id}",
        f"clause-{scene['in_second'].id}",
    ]
    assert page.index("<h2>I. Norms</h2>") < page.index("<h2>II. Cooperation</h2>")  # headed as the draft page
    assert ">OP1 bis</span>" in page and "<strong>may</strong>" in page  # paragraph ref and rendered Markdown
    assert "<del>should</del>" in page and "<ins>must</ins>" in page
    assert "a_participant" in page and "Government" in page  # who proposed the amendment, for whom
    assert "0 of 3 voted" in page
    assert page.count('name="choice" value="yes"') == 3


def test_voting_from_the_ballot_returns_the_row_and_the_progress(client, people, scene):
    voting(scene["round"], people)
    client.force_login(people["participant"])
    bis = scene["bis"]
    row = client.post(
        f"/votes/clause/{bis.id}/", {"choice": "yes", "ballot": scene["round"].id}, **HTMX
    ).content.decode()
    assert f'id="ballot-clause-{bis.id}"' in row and "Your delegation voted <strong>yes</strong>" in row
    assert 'id="ballot-progress"' in row and 'hx-swap-oob="true"' in row and "1 of 3 voted" in row
    row = client.post(
        f"/votes/clause/{bis.id}/", {"choice": "no", "ballot": scene["round"].id}, **HTMX
    ).content.decode()
    assert "Your delegation voted <strong>no</strong>" in row and "1 of 3 voted" in row
    assert Vote.objects.get(clause=bis).choice == "no"


def test_without_javascript_a_vote_returns_to_the_ballot(client, people, scene):
    voting(scene["round"], people)
    client.force_login(people["participant"])
    ballot_url = f"/rounds/{scene['round'].id}/ballot/"
    amendment = scene["amendment"]
    response = client.post(
        f"/votes/amendment/{amendment.id}/",
        {"choice": "abstain", "ballot": scene["round"].id, "next": f"{ballot_url}#ballot-amendment-{amendment.id}"},
    )
    assert response.status_code == 302 and response["Location"] == f"{ballot_url}#ballot-amendment-{amendment.id}"
    page = client.get(ballot_url).content.decode()
    assert "Your vote is recorded" in page and "1 of 3 voted" in page
    # A next that leads away from the site is ignored.
    away = client.post(f"/votes/amendment/{amendment.id}/", {"choice": "yes", "next": "//evil.example/"})
    assert away["Location"] == f"/amendments/{amendment.id}/#vote"


def test_a_refused_vote_from_the_ballot_says_why_in_the_row(client, people, scene):
    client.force_login(people["participant"])  # the round is open, not voting
    row = client.post(f"/votes/clause/{scene['bis'].id}/", {"choice": "yes", "ballot": scene["round"].id}, **HTMX)
    assert row.status_code == 409 and "only while a round is voting" in row.content.decode()
    assert not Vote.objects.exists()
    assert client.post(f"/votes/clause/{scene['bis'].id}/", {"choice": "yes", "ballot": "x"}, **HTMX).status_code == 404


def test_outside_voting_the_page_lists_the_items_and_says_voting_is_not_open(client, people, scene):
    client.force_login(people["participant"])
    page = client.get(f"/rounds/{scene['round'].id}/ballot/").content.decode()
    assert len(_items(page)) == 3 and "Voting is not open" in page
    assert 'name="choice"' not in page


def test_an_observer_sees_the_items_and_why_they_do_not_vote(client, people, scene):
    voting(scene["round"], people)
    client.force_login(people["observer"])
    response = client.get(f"/rounds/{scene['round'].id}/ballot/")
    page = response.content.decode()
    assert response.status_code == 200 and len(_items(page)) == 3
    assert "Only participants of this draft vote." in page and 'name="choice"' not in page
    assert 'data-testid="participation"' not in page


def test_a_participant_of_a_group_that_does_not_vote_is_told_so(client, draft, people, scene):
    services.round_update(round_id=scene["round"].id, by=people["moderator"], eligible_groups=["government"])
    voting(scene["round"], people)
    outsider = make_voters(draft, academia=1)["academia"][0]
    client.force_login(outsider)
    page = client.get(f"/rounds/{scene['round'].id}/ballot/").content.decode()
    assert "only these stakeholder groups vote" in page and 'name="choice"' not in page


def test_moderators_see_participation_per_group(client, draft, people, scene):
    voting(scene["round"], people)
    voters = make_voters(draft, industry=2)
    services.vote_cast(by=voters["industry"][0], choice="yes", clause_id=scene["bis"].id)
    client.force_login(people["moderator"])
    page = client.get(f"/rounds/{scene['round'].id}/ballot/").content.decode()
    assert 'data-testid="participation"' in page
    industry_row = re.search(r"<tr[^>]*><td>Industry</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert industry_row.groups() == ("2", "1")


def test_the_ballot_asks_anonymous_readers_to_log_in_and_hides_members_only_drafts(client, draft, people, scene):
    url = f"/rounds/{scene['round'].id}/ballot/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    draft.visibility = Visibility.MEMBERS
    draft.save()
    client.force_login(people["non_member"])
    assert client.get(url).status_code == 404


def test_the_draft_page_and_the_voting_notification_lead_to_the_ballot(client, draft, people, scene):
    client.force_login(people["participant"])
    assert 'data-testid="ballot-link"' not in client.get(f"/drafts/{draft.slug}/").content.decode()
    voting(scene["round"], people)
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert f'href="/rounds/{scene["round"].id}/ballot/" data-testid="ballot-link"' in page
    event = Event.objects.get(kind="round_voting")
    assert event.url == f"/rounds/{scene['round'].id}/ballot/" and "Voting has started" in event.message


# Competing amendments side by side --------------------------------------------------------------------


@pytest.fixture
def rivals(clause, people, round_):
    """Two amendments changing the same word of clause 1, a third changing another, one comment."""
    must = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    shall = services.amendment_submit(
        clause_id=clause.id, by=people["moderator"], kind="modify", text=clause.text.replace("should", "shall")
    )
    services.comment_post(by=people["observer"], amendment_id=shall.id, body="Too strong.", stance="oppose")
    return {"must": must, "shall": shall, "round": round_}


def test_the_ballot_marks_competing_amendments_and_links_them_side_by_side(client, clause, people, rivals):
    voting(rivals["round"], people)
    client.force_login(people["participant"])
    page = client.get(f"/rounds/{rivals['round'].id}/ballot/").content.decode()
    must, shall = rivals["must"], rivals["shall"]
    assert f'<a href="#ballot-amendment-{shall.id}">#{shall.id}</a>' in page
    assert f'<a href="#ballot-amendment-{must.id}">#{must.id}</a>' in page
    assert f'href="/clauses/{clause.id}/amendments/compare/#amendment-{must.id}"' in page


def test_side_by_side_shows_base_text_and_each_amendment_as_a_redline(client, clause, people, rivals):
    page = client.get(f"/clauses/{clause.id}/amendments/compare/").content.decode()
    assert 'data-testid="base-text"' in page and "knowingly allow" in page
    assert page.count('data-testid="amendment-column"') == 2
    assert "<ins>must</ins>" in page and "<ins>shall</ins>" in page
    # Each column's redline, and the same change among the rival suggestions under the current text.
    assert page.count("<del>should</del>") == 4 and page.count('data-testid="rival-group"') == 1
    # The moderator's amendment is the Chair's: not their name, nor their government's.
    assert "a_participant" in page and "the Chair" in page and "a_moderator" not in page and "Government" in page
    assert "1 comment<" in page and "0 comments<" in page
    assert f'href="#amendment-{rivals["shall"].id}">#{rivals["shall"].id}' in page  # competes with
    assert 'name="choice"' not in page  # the round is open, not voting


def test_side_by_side_shows_an_outdated_amendment_against_the_current_text(client, clause, people, rivals):
    services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=clause.text + " They should cooperate."
    )
    page = client.get(f"/clauses/{clause.id}/amendments/compare/").content.decode()
    assert "They should cooperate." in page
    assert "<del>They should cooperate.</del>" not in page  # merged onto the current text, not reverted


def test_voting_from_the_side_by_side_page(client, clause, people, rivals):
    voting(rivals["round"], people)
    client.force_login(people["participant"])
    url = f"/clauses/{clause.id}/amendments/compare/"
    page = client.get(url).content.decode()
    must = rivals["must"]
    assert page.count('name="choice" value="yes"') == 2 and f'id="vote-amendment-{must.id}"' in page
    fragment = client.post(
        f"/votes/amendment/{must.id}/", {"choice": "yes", "vote_id": f"vote-amendment-{must.id}"}, **HTMX
    ).content.decode()
    assert f'id="vote-amendment-{must.id}"' in fragment and "Your delegation voted <strong>yes</strong>" in fragment
    back = client.post(f"/votes/amendment/{rivals['shall'].id}/", {"choice": "no", "next": url})
    assert back["Location"] == url
    assert "Your delegation voted <strong>no</strong>" in client.get(url).content.decode()


def test_the_clause_page_links_to_side_by_side(client, clause, rivals):
    page = client.get(f"/clauses/{clause.id}/").content.decode()
    assert f'href="/clauses/{clause.id}/amendments/compare/"' in page
    assert f'href="/clauses/{clause.id}/amendments/compare/#amendment-{rivals["must"].id}"' in page


def test_side_by_side_of_a_hidden_draft_is_not_there(client, draft, clause, people, rivals):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    assert client.get(f"/clauses/{clause.id}/amendments/compare/").status_code == 404
    client.force_login(people["observer"])
    assert client.get(f"/clauses/{clause.id}/amendments/compare/").status_code == 200


def _told(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_who_may_not_vote_is_told_their_role_their_membership_and_how_to_take_part(client, draft, people, scene):
    from accounts.models import Membership
    from tests.accounts.factories import MembershipFactory, UserFactory

    voting(scene["round"], people)
    ballot = f"/rounds/{scene['round'].id}/ballot/"
    join = f'<a href="/drafts/{draft.slug}/join/" data-testid="ask-to-join">Ask to take part as a participant</a>'
    organization = Membership.objects.get(user=people["observer"]).organization.name

    client.force_login(people["observer"])
    page = client.get(ballot).content.decode()
    assert _told(page, "ballot-reason") == (
        "Only participants of this draft vote. You observe this draft. "
        f"You are a verified member of {organization} (Government). Ask to take part as a participant."
    )
    assert join in page

    newcomer = UserFactory()
    pending = MembershipFactory(user=newcomer, status="pending", organization__stakeholder_group="industry")
    client.force_login(newcomer)
    page = client.get(ballot).content.decode()
    assert _told(page, "ballot-reason").startswith(
        "Only participants of this draft vote. You have no role in this draft. "
        f"You are a member of {pending.organization.name} (Industry), not yet verified by an administrator."
    )
    assert join in page
    client.force_login(UserFactory())
    assert "You have no role in this draft. You belong to no organization yet." in client.get(ballot).content.decode()

    client.force_login(people["moderator"])
    page = client.get(ballot).content.decode()
    assert "The Chair does not vote: only participants of this draft vote. You moderate this draft." in page
    assert "ask-to-join" not in page

    Membership.objects.filter(user=people["participant"]).update(status=Membership.Status.PENDING)
    client.force_login(people["participant"])
    page = client.get(ballot).content.decode()
    assert "Your membership must be verified by an administrator before you can vote. You are a member of " in page
    assert "ask-to-join" not in page  # a participant has asked for all there is


def test_the_clause_page_tells_an_observer_why_and_how_to_take_part(client, draft, people, scene):
    voting(scene["round"], people)
    client.force_login(people["observer"])
    page = client.get(f"/clauses/{scene['bis'].id}/").content.decode()
    told = _told(page, "vote-refused")
    assert told.startswith("Only participants of this draft vote. You observe this draft. You are a verified member")
    assert told.endswith("Ask to take part as a participant.") and f'href="/drafts/{draft.slug}/join/"' in page
    amendment = client.get(f"/amendments/{scene['amendment'].id}/").content.decode()
    assert _told(amendment, "vote-refused") == told
    client.force_login(people["participant"])
    assert 'data-testid="vote-refused"' not in client.get(f"/clauses/{scene['bis'].id}/").content.decode()


def test_a_refused_vote_says_who_the_voter_is_through_the_api(people, scene):
    from tests.conftest import client_for

    voting(scene["round"], people)
    refused = client_for(people["observer"]).put(
        f"/api/v1/clauses/{scene['bis'].id}/vote/", {"choice": "yes"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Only participants of this draft vote. You observe this draft. You are")


def test_only_a_voter_sees_a_count_of_their_votes_on_the_ballot(client, draft, clause, people, round_):
    propose(draft, clause, people)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    for who, counted in (("participant", True), ("observer", False), ("moderator", False)):
        client.force_login(people[who])
        page = _text(client.get(f"/rounds/{round_.id}/ballot/"))
        assert ("0 of 1 voted" in page) is counted, who
