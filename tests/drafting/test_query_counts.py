"""Each list and detail endpoint and page runs the same, pinned number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from tests.conftest import client_for
from tests.factories import (
    AmendmentFactory,
    ClauseFactory,
    CommentFactory,
    DraftFactory,
    MembershipFactory,
    OrganizationFactory,
    RoundFactory,
    SectionFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(draft, clause, people):
    """A voting round with a proposed clause, an amendment, a comment and votes on both."""
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="second version")
    round_ = RoundFactory(draft=draft, phase="voting", hide_tallies_until_close=False)
    proposed = ClauseFactory(section=clause.section, status="proposed", round=round_, proposer=people["participant"])
    amendment = AmendmentFactory(clause=clause, round=round_, author=people["participant"])
    CommentFactory(clause=clause)
    CommentFactory(amendment=amendment)
    return {"round": round_, "proposed": proposed, "amendment": amendment}


def _grow(draft, clause, scene, people, size):
    """``size`` more of everything: sections of clauses with versions, amendments, threads, votes, drafts."""
    moderator = people["moderator"]
    for s in range(size):
        section = SectionFactory(draft=draft, position=s + 10)
        for _ in range(size):
            extra = ClauseFactory(section=section, proposer=moderator)
            for v in range(size):
                services.clause_update(clause_id=extra.id, version=extra.version + v, by=moderator, text=f"v{v}")
    for _ in range(size):
        amendment = AmendmentFactory(clause=clause, round=scene["round"])
        for target in ({"clause": clause}, {"amendment": scene["amendment"]}, {"clause": scene["proposed"]}):
            root = CommentFactory(**target)
            CommentFactory(**target, parent=root, hidden=True, hidden_reason="Off topic")
            CommentFactory(**target, parent=root, author=people["participant"])
        voter = MembershipFactory().user
        for item in ({"clause": scene["proposed"]}, {"amendment": scene["amendment"]}, {"amendment": amendment}):
            VoteFactory(round=scene["round"], voter=voter, **item)
        DraftFactory()
        OrganizationFactory()
        MembershipFactory(user=people["participant"])


# (name, url template, who, pinned query count)
ENDPOINTS = [
    ("draft list API", "/api/v1/drafts/", "participant", 2),
    ("draft detail API", "/api/v1/drafts/{slug}/", "participant", 4),
    ("clause list API", "/api/v1/drafts/{slug}/clauses/", "participant", 7),
    ("clause detail API", "/api/v1/clauses/{clause}/", "participant", 5),
    ("clause history API", "/api/v1/clauses/{clause}/history/", "participant", 4),
    ("clause diff API", "/api/v1/clauses/{clause}/diff/?from=1&to=2", "participant", 4),
    ("members API", "/api/v1/drafts/{slug}/members/", "participant", 4),
    ("rounds API", "/api/v1/drafts/{slug}/rounds/", "participant", 4),
    ("amendment list API", "/api/v1/clauses/{clause}/amendments/", "participant", 6),
    ("amendment detail API", "/api/v1/amendments/{amendment}/", "participant", 6),
    ("clause comments API", "/api/v1/comments/?clause={clause}", "participant", 4),
    ("amendment comments API", "/api/v1/comments/?amendment={amendment}", "participant", 4),
    ("me API", "/api/v1/me/", "participant", 2),
    ("organizations API", "/api/v1/organizations/", "participant", 2),
    ("home page", "/", "participant", 4),
    ("draft page", "/drafts/{slug}/", "participant", 7),
    ("clause page", "/clauses/{clause}/", "moderator", 11),
    ("proposed clause page", "/clauses/{proposed}/", "participant", 11),
    ("amendment page", "/amendments/{amendment}/", "participant", 9),
    ("rounds page", "/drafts/{slug}/rounds/", "moderator", 5),
    ("profile page", "/accounts/profile/", "participant", 4),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("name, url, who, pinned", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_query_count_is_pinned_at_two_sizes(name, url, who, pinned, draft, clause, people, scene):
    user = people[who]
    client = client_for(user)
    if "API" not in name:
        client.force_login(user)
    ids = {
        "slug": draft.slug,
        "clause": clause.id,
        "proposed": scene["proposed"].id,
        "amendment": scene["amendment"].id,
    }
    small = _count(client, url.format(**ids))
    _grow(draft, clause, scene, people, 4)
    large = _count(client, url.format(**ids))
    assert (small, large) == (pinned, pinned), f"{name}: {small} queries small, {large} large; pinned {pinned}"
