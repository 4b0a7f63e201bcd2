"""Finding one's way: counts and one's own votes on the clause cards, filtered comment threads, and a
home page that tells drafts apart and says where each stands."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafting import services
from drafting.models import Comment, Round
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, DraftFactory, make_voters, propose

pytestmark = pytest.mark.django_db


def _summaries(html: str) -> dict[str, str]:
    """``{clause id: the summary's text}`` from the overview's out-of-band parts."""
    found = re.findall(r'id="clause-summary-(\d+)"[^>]*>(.*?)</div>', html, flags=re.S)
    return {clause_id: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for clause_id, text in found}


@pytest.fixture
def voting_scene(draft, clause, people, round_):
    """In a voting round: a proposal the participant voted yes on, an amendment they did not vote on,
    two comments on the clause."""
    proposal = propose(draft, clause, people)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text + " Always."
    )
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Fine.", stance="support")
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Unclear.", stance="question")
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    services.vote_cast(by=people["participant"], choice="yes", clause_id=proposal.id)
    return {"proposal": proposal, "amendment": amendment}


def test_clause_cards_show_counts_and_the_readers_own_vote(client, draft, clause, people, voting_scene):
    proposal = voting_scene["proposal"]
    client.force_login(people["participant"])
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    # The shared, cached text holds an empty place per clause; the page asks for what fills it.
    assert f'<div class="clause-summary meta" id="clause-summary-{clause.id}"></div>' in page
    assert f'hx-get="/drafts/{draft.slug}/overview/"' in page
    filled = client.get(f"/drafts/{draft.slug}/overview/", headers={"HX-Request": "true"})
    assert filled.status_code == 200
    summaries = _summaries(filled.content.decode())
    assert summaries[str(clause.id)].startswith("1 amendment (1 open) · 2 comments")
    assert "You voted on 0 of 1 amendment" in summaries[str(clause.id)]
    assert "Your vote: Yes" in summaries[str(proposal.id)]
    assert 'hx-swap-oob="true"' in filled.content.decode()

    # Another participant reads the same cached text, and their own (missing) vote.
    other = UserFactory()
    MembershipFactory(user=other)
    services.draft_member_set(draft=draft, user_id=other.id, role="participant", by=people["admin"])
    client.force_login(other)
    assert "Your vote" not in client.get(f"/drafts/{draft.slug}/").content.decode()
    summaries = _summaries(
        client.get(f"/drafts/{draft.slug}/overview/", headers={"HX-Request": "true"}).content.decode()
    )
    assert "You have not voted on it yet" in summaries[str(proposal.id)]


def test_a_new_comment_shows_in_the_counts_though_the_text_is_unchanged(client, draft, clause, people):
    client.force_login(people["observer"])
    client.get(f"/drafts/{draft.slug}/")
    services.comment_post(by=people["observer"], clause_id=clause.id, body="One more.", stance="concern")
    summaries = _summaries(
        client.get(f"/drafts/{draft.slug}/overview/", headers={"HX-Request": "true"}).content.decode()
    )
    assert (
        "1 comment" in summaries[str(clause.id)] and "vote" not in summaries[str(clause.id)]
    )  # no vote outside voting


def test_overview_is_a_page_without_javascript_in_constant_queries(client, draft, clause, people, voting_scene):
    client.force_login(people["participant"])
    page = client.get(f"/drafts/{draft.slug}/overview/")
    assert page.status_code == 200 and "<h1>Overview of" in page.content.decode()
    assert "Your vote: Yes" in " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/drafts/{draft.slug}/overview/").status_code == 200
        return len(queries)

    before = count()
    for _ in range(3):
        extra = ClauseFactory(section=clause.section)
        services.comment_post(by=people["observer"], clause_id=extra.id, body="More.", stance="neutral")
    assert count() == before


@pytest.fixture
def thread(draft, clause, people):
    """Comments by government and industry speakers, before and during a round."""
    voters = make_voters(draft, government=1, industry=1)
    early = services.comment_post(by=voters["government"][0], clause_id=clause.id, body="Before.", stance="support")
    Comment.objects.filter(pk=early.pk).update(created_at=timezone.now() - timedelta(days=2))
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    round_ = services.round_open(round_id=round_.id, by=people["moderator"])
    Round.objects.filter(pk=round_.pk).update(opened_at=timezone.now() - timedelta(days=1))
    oppose = services.comment_post(by=voters["industry"][0], clause_id=clause.id, body="Against.", stance="oppose")
    support = services.comment_post(by=voters["government"][0], clause_id=clause.id, body="For.", stance="support")
    return {"round": round_, "early": early, "oppose": oppose, "support": support}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("stance=support", {"early", "support"}),
        ("group=industry", {"oppose"}),
        ("group=government&stance=support", {"early", "support"}),
        ("round={round}", {"oppose", "support"}),
        ("round={round}&group=government", {"support"}),
        ("", {"early", "oppose", "support"}),
    ],
)
def test_comments_api_filters(clause, people, thread, query, expected):
    url = f"/api/v1/comments/?clause={clause.id}&" + query.format(round=thread["round"].id)
    response = client_for(people["observer"]).get(url)
    assert response.status_code == 200, response.content
    ids = {c["id"] for c in response.json()["results"]}
    assert ids == {thread[name].id for name in expected}


@pytest.mark.parametrize(
    "query, field",
    [("stance=angry", "stance"), ("group=press", "group"), ("round=abc", "round"), ("round=999999", "round")],
)
def test_comments_api_refuses_a_bad_filter(clause, people, thread, query, field):
    response = client_for(people["observer"]).get(f"/api/v1/comments/?clause={clause.id}&{query}")
    assert response.status_code == 400 and field in response.json(), response.content


def test_comments_api_round_of_another_draft_is_refused(clause, people, thread):
    elsewhere = services.round_create(draft=DraftFactory(), by=people["admin"], title="Elsewhere")
    response = client_for(people["observer"]).get(f"/api/v1/comments/?clause={clause.id}&round={elsewhere.id}")
    assert response.status_code == 400 and "No such round in this draft" in response.json()["round"][0]


def test_comment_filter_on_the_clause_page(client, clause, people, thread):
    client.force_login(people["observer"])
    page = client.get(f"/clauses/{clause.id}/?group=industry&stance=oppose").content.decode()
    assert 'data-testid="comment-filter"' in page
    assert "Against." in page and "For." not in page and "Before." not in page
    assert '<option value="industry" selected>' in page and "Show all comments" in page
    page = client.get(f"/clauses/{clause.id}/?round={thread['round'].id}").content.decode()
    assert "Against." in page and "For." in page and "Before." not in page
    bad = client.get(f"/clauses/{clause.id}/?stance=angry")
    assert bad.status_code == 400 and "Choose one of" in bad.content.decode()


def test_home_page_tells_drafts_apart_and_says_where_each_stands(client, draft, clause, people, round_):
    twin = DraftFactory(title=draft.title, created_by=people["moderator"], summary="The other one.")
    client.force_login(people["participant"])
    page = client.get("/").content.decode()
    items = re.findall(r'<li data-testid="draft">(.*?)</li>', page, flags=re.S)
    ours = next(i for i in items if f"/drafts/{draft.slug}/" in i)
    theirs = next(i for i in items if f"/drafts/{twin.slug}/" in i)
    assert "First reading" in ours and ">Open<" in ours and "1 clause" in ours and "last change" in ours
    assert "No round yet" in theirs and "0 clauses" in theirs
    # Same title, told apart by address, creation and owner.
    assert draft.slug in ours and twin.slug in theirs and draft.slug != twin.slug
    assert f"by {draft.created_by.username}" in ours and f"by {people['moderator'].username}" in theirs
    assert re.search(r"created \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", ours)


def test_home_page_runs_the_same_queries_however_many_drafts(client, people, draft, clause):
    client.force_login(people["participant"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        other = DraftFactory(title=f"Draft {n}")
        services.round_create(draft=other, by=people["admin"], title="Reading")
    assert count() == before
