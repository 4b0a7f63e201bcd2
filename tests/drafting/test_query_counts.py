"""Each list and detail endpoint and page runs the same, pinned number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from tests.conftest import client_for
from tests.factories import ClauseFactory, DraftFactory, MembershipFactory, OrganizationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _grow(draft, people, size):
    """``size`` sections of ``size`` clauses each, every clause edited ``size`` times."""
    moderator = people["moderator"]
    for s in range(size):
        section = SectionFactory(draft=draft, position=s + 10)
        for _ in range(size):
            clause = ClauseFactory(section=section, proposer=moderator)
            for v in range(size):
                services.clause_update(clause_id=clause.id, version=clause.version + v, by=moderator, text=f"v{v}")
    for _ in range(size):
        DraftFactory()
        OrganizationFactory()
        MembershipFactory(user=people["participant"])


# (name, url template, who, pinned query count)
ENDPOINTS = [
    ("draft list API", "/api/v1/drafts/", "participant", 2),
    ("draft detail API", "/api/v1/drafts/{slug}/", "participant", 4),
    ("clause list API", "/api/v1/drafts/{slug}/clauses/", "participant", 5),
    ("clause detail API", "/api/v1/clauses/{clause}/", "participant", 3),
    ("clause history API", "/api/v1/clauses/{clause}/history/", "participant", 4),
    ("clause diff API", "/api/v1/clauses/{clause}/diff/?from=1&to=2", "participant", 4),
    ("members API", "/api/v1/drafts/{slug}/members/", "participant", 4),
    ("me API", "/api/v1/me/", "participant", 2),
    ("organizations API", "/api/v1/organizations/", "participant", 2),
    ("home page", "/", "participant", 4),
    ("draft page", "/drafts/{slug}/", "participant", 6),
    ("clause page", "/clauses/{clause}/", "moderator", 5),
    ("profile page", "/accounts/profile/", "participant", 4),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("name, url, who, pinned", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_query_count_is_pinned_at_two_sizes(name, url, who, pinned, draft, clause, people):
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="second version")
    user = people[who]
    client = client_for(user)
    if "API" not in name:
        client.force_login(user)
    ids = {"slug": draft.slug, "clause": clause.id}
    small = _count(client, url.format(**ids))
    _grow(draft, people, 4)
    large = _count(client, url.format(**ids))
    assert (small, large) == (pinned, pinned), f"{name}: {small} queries small, {large} large; pinned {pinned}"
