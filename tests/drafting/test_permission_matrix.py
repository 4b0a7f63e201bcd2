"""Every action of drafts, sections, clauses and memberships, for every standing, on both kinds of draft."""

import pytest

from tests.conftest import STANDINGS, client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

A, N, O, P, M, ADM = STANDINGS  # anonymous, non_member, observer, participant, moderator, admin


def _expect(public: dict, members: dict | None = None):
    return {"public": public, "members": members or public}


READ = _expect(
    {A: 200, N: 200, O: 200, P: 200, M: 200, ADM: 200},
    {A: 404, N: 404, O: 200, P: 200, M: 200, ADM: 200},
)
MODERATE = _expect(
    {A: 401, N: 403, O: 403, P: 403, M: 200, ADM: 200},
    {A: 401, N: 404, O: 403, P: 403, M: 200, ADM: 200},
)

ACTIONS = {
    "read draft": ("get", "/api/v1/drafts/{slug}/", None, READ),
    "list clauses": ("get", "/api/v1/drafts/{slug}/clauses/", None, READ),
    "read clause": ("get", "/api/v1/clauses/{clause}/", None, READ),
    "clause history": ("get", "/api/v1/clauses/{clause}/history/", None, READ),
    "clause diff": ("get", "/api/v1/clauses/{clause}/diff/?from=1&to=1", None, READ),
    "list members": ("get", "/api/v1/drafts/{slug}/members/", None, READ),
    "add section": ("post", "/api/v1/drafts/{slug}/sections/", {"title": "New"}, MODERATE),
    "add clause": ("post", "/api/v1/drafts/{slug}/clauses/", {"section": "{section}", "title": "T", "text": "x"}, MODERATE),
    "edit clause": ("patch", "/api/v1/clauses/{clause}/", {"version": 1, "text": "changed"}, MODERATE),
    "revert clause": ("post", "/api/v1/clauses/{clause}/revert/", {"to_version": 1, "reason": "r"}, MODERATE),
    "appoint member": ("post", "/api/v1/drafts/{slug}/members/", {"user": "{newcomer}", "role": "observer"}, MODERATE),
}
SUCCESS = {"add section": 201, "add clause": 201, "appoint member": 201}


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(action, standing, visibility, draft, clause, people):
    draft.visibility = visibility
    draft.save()
    if action == "revert clause":  # there must be an older version to go back to
        client_for(people[ADM]).patch(f"/api/v1/clauses/{clause.id}/", {"version": 1, "text": "v2"}, format="json")
    ids = {"slug": draft.slug, "clause": clause.id, "section": clause.section_id, "newcomer": UserFactory().id}
    method, path, payload, expected = ACTIONS[action]
    url = path.format(**ids)
    data = {k: _fill(v, ids) for k, v in payload.items()} if payload else None
    if action == "edit clause":
        data["version"] = clause.version
    response = getattr(client_for(people[standing]), method)(url, data, format="json")
    want = expected[visibility][standing]
    if want == 200 and action in SUCCESS:
        want = SUCCESS[action]
    assert response.status_code == want, (action, standing, visibility, response.content[:200])


@pytest.mark.parametrize("visibility, listed_for", [
    ("public", {A, N, O, P, M, ADM}),
    ("members", {O, P, M, ADM}),
])
def test_draft_list_shows_only_what_each_may_see(visibility, listed_for, draft, people):
    draft.visibility = visibility
    draft.save()
    for standing in STANDINGS:
        slugs = [d["slug"] for d in client_for(people[standing]).get("/api/v1/drafts/").json()["results"]]
        assert (draft.slug in slugs) == (standing in listed_for), standing


@pytest.mark.parametrize("standing, status", [(A, 401), (N, 403), (O, 403), (P, 403), (M, 403), (ADM, 201)])
def test_only_admins_create_drafts(standing, status, people):
    response = client_for(people[standing]).post("/api/v1/drafts/", {"title": "New draft"}, format="json")
    assert response.status_code == status


@pytest.mark.parametrize("standing, status", [(A, 401), (N, 403), (O, 403), (P, 403), (M, 403), (ADM, 200)])
def test_only_admins_verify_memberships(standing, status, people):
    pending = MembershipFactory(status="pending")
    url = f"/api/v1/organizations/{pending.organization_id}/members/{pending.user_id}/verify/"
    assert client_for(people[standing]).post(url).status_code == status
    pending.refresh_from_db()
    assert pending.status == ("verified" if status == 200 else "pending")
