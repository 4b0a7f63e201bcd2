"""Every action through the API, for every standing, in every phase of a round, public and members-only.

Standings: anonymous, non-member, observer, participant, moderator, admin. The participant is
the author of the proposed clause, the amendment and is a verified member of a government.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from drafting import services
from drafting.models import Phase
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import STANDINGS, client_for

pytestmark = pytest.mark.django_db

A, N, O, P, M, ADM = STANDINGS  # anonymous, non_member, observer, participant, moderator, admin
PHASES = [Phase.OPEN, Phase.VOTING, Phase.CLOSED]
MODERATORS = (M, ADM)


def read(standing, phase):
    return 200


def moderate(standing, phase, ok=200):
    return ok if standing in MODERATORS else 403


def propose(standing, phase):
    if standing in MODERATORS:
        return 201
    if standing == P:
        return 201 if phase == Phase.OPEN else 409
    return 403


def amend(standing, phase):
    if standing in (P, M, ADM):
        return 201 if phase == Phase.OPEN else 409
    return 403


def comment(standing, phase):
    return 201 if standing in (O, P, M, ADM) else 403


def vote(standing, phase):
    if standing != P:
        return 403
    return 200 if phase == Phase.VOTING else 409


def withdraw(standing, phase):
    if standing != P:
        return 403
    return 409 if phase == Phase.VOTING else 200


def edit_proposed(standing, phase):
    if standing == P:
        return 200 if phase == Phase.OPEN else 409
    if standing in MODERATORS:
        return 409 if phase == Phase.VOTING else 200
    return 403


def start_voting(standing, phase):
    if standing not in MODERATORS:
        return 403
    return 200 if phase == Phase.OPEN else 409


def close_round(standing, phase):
    if standing not in MODERATORS:
        return 403
    return 200 if phase == Phase.VOTING else 409


def hidden_until_close(standing, phase):
    """Tallies hidden until close are hidden from everyone, moderators and administrators too."""
    return 200 if phase == Phase.CLOSED else 409


def published_at_close(standing, phase):
    """Dispositions are the moderators' work until the close publishes them."""
    return 200 if phase == Phase.CLOSED or standing in MODERATORS else 409


# action: (method, url, payload, expected(standing, phase))
ACTIONS = {
    "read draft": ("get", "/api/v1/drafts/{slug}/", None, read),
    "list clauses": ("get", "/api/v1/drafts/{slug}/clauses/", None, read),
    "read clause": ("get", "/api/v1/clauses/{clause}/", None, read),
    "clause history": ("get", "/api/v1/clauses/{clause}/history/", None, read),
    "clause diff": ("get", "/api/v1/clauses/{clause}/diff/?from=1&to=1", None, read),
    "list members": ("get", "/api/v1/drafts/{slug}/members/", None, read),
    "list rounds": ("get", "/api/v1/drafts/{slug}/rounds/", None, read),
    "read round": ("get", "/api/v1/rounds/{round}/", None, read),
    "list amendments": ("get", "/api/v1/clauses/{clause}/amendments/", None, read),
    "read amendment": ("get", "/api/v1/amendments/{amendment}/", None, read),
    "list comments": ("get", "/api/v1/comments/?clause={clause}", None, read),
    "read comment": ("get", "/api/v1/comments/{comment}/", None, read),
    "add section": ("post", "/api/v1/drafts/{slug}/sections/", {"title": "New"}, lambda s, p: moderate(s, p, 201)),
    "propose clause": (
        "post",
        "/api/v1/drafts/{slug}/clauses/",
        {"section": "{section}", "title": "T", "text": "x"},
        propose,
    ),
    "edit clause": ("patch", "/api/v1/clauses/{clause}/", {"version": 1, "text": "changed"}, moderate),
    "edit proposed clause": ("patch", "/api/v1/clauses/{proposed}/", {"version": 1, "text": "reworded"}, edit_proposed),
    "revert clause": ("post", "/api/v1/clauses/{clause}/revert/", {"to_version": 1, "reason": "r"}, moderate),
    "appoint member": (
        "post",
        "/api/v1/drafts/{slug}/members/",
        {"user": "{newcomer}", "role": "observer"},
        lambda s, p: moderate(s, p, 201),
    ),
    "create round": (
        "post",
        "/api/v1/drafts/{slug}/rounds/",
        {"title": "Second reading"},
        lambda s, p: moderate(s, p, 201),
    ),
    "start voting": ("post", "/api/v1/rounds/{round}/start-voting/", {}, start_voting),
    "amend clause": ("post", "/api/v1/clauses/{clause}/amendments/", {"kind": "modify", "text": "New words"}, amend),
    "suggest on clause": (
        "post",
        "/api/v1/clauses/{clause}/suggestions/",
        {"start": 0, "end": 6, "quote": "Second", "replacement": "Third"},
        amend,
    ),
    "withdraw amendment": ("post", "/api/v1/amendments/{amendment}/withdraw/", {}, withdraw),
    "comment": ("post", "/api/v1/comments/", {"clause": "{clause}", "body": "Agreed.", "stance": "support"}, comment),
    "hide comment": ("post", "/api/v1/comments/{comment}/hide/", {"reason": "Off topic"}, moderate),
    "close round": ("post", "/api/v1/rounds/{round}/close/", {}, close_round),
    "round results": ("get", "/api/v1/rounds/{round}/results/", None, hidden_until_close),
    "round dispositions": ("get", "/api/v1/rounds/{round}/dispositions/", None, published_at_close),
    "record disposition": (
        "post",
        "/api/v1/comments/{comment}/disposition/",
        {"disposition": "noted"},
        moderate,
    ),
    "list snapshots": ("get", "/api/v1/drafts/{slug}/snapshots/", None, read),
    "publish snapshot": (
        "post",
        "/api/v1/drafts/{slug}/snapshots/",
        {"label": "Chair's text"},
        lambda s, p: moderate(s, p, 201),
    ),
    "vote on clause": ("put", "/api/v1/clauses/{proposed}/vote/", {"choice": "yes"}, vote),
    "vote on amendment": ("put", "/api/v1/amendments/{amendment}/vote/", {"choice": "no"}, vote),
}


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.fixture
def scene(draft, clause, people):
    """A round with a proposed clause, an amendment and a comment in it, then moved to ``phase``."""
    participant, moderator = people[P], people[M]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New norm", text="States should share.", by=participant
    )
    amendment = services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="Other words")
    note = services.comment_post(by=people[O], clause_id=clause.id, body="A question.", stance="question")
    # The agreed clause gets a second version, so that "revert" has somewhere to go.
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Second version")
    return {"round": round_, "proposed": proposed, "amendment": amendment, "comment": note}


def _move_to(round_, phase, moderator):
    if phase in (Phase.VOTING, Phase.CLOSED):
        services.round_start_voting(round_id=round_.id, by=moderator)
    if phase == Phase.CLOSED:
        services.round_close(round_id=round_.id, by=moderator)


def _expected(action, standing, phase, visibility, method):
    if visibility == "members" and standing in (A, N):
        return 401 if (standing == A and method != "get") else 404
    if standing == A and method != "get":
        return 401
    return ACTIONS[action][3](standing, phase)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_permission_matrix(phase, visibility, draft, clause, people, scene):
    """Every action through the API, for every standing, in one scene per phase and visibility.

    Each request runs in a savepoint that is rolled back, so every cell meets the same scene: what
    one person did never changes what the next may do, and the scene is built once, not per cell.
    """
    draft.visibility = visibility
    draft.save()
    _move_to(scene["round"], phase, people[M])
    clause.refresh_from_db()
    ids = {
        "slug": draft.slug,
        "clause": clause.id,
        "section": clause.section_id,
        "newcomer": UserFactory().id,
        "round": scene["round"].id,
        "proposed": scene["proposed"].id,
        "amendment": scene["amendment"].id,
        "comment": scene["comment"].id,
    }
    clients = {standing: client_for(people[standing]) for standing in STANDINGS}
    wrong = []
    for action, (method, path, payload, _) in ACTIONS.items():
        data = {k: _fill(v, ids) for k, v in payload.items()} if payload is not None else None
        if action in ("edit clause", "suggest on clause"):
            data["version"] = clause.version
        for standing in STANDINGS:
            with transaction.atomic():
                cache.clear()  # throttles count nothing across cells
                response = getattr(clients[standing], method)(path.format(**ids), data, format="json")
                transaction.set_rollback(True)
            want = _expected(action, standing, phase, visibility, method)
            if response.status_code != want:
                wrong.append((action, standing, response.status_code, want, response.content[:160]))
    assert not wrong, f"{len(wrong)} cells differ (action, standing, got, want, body): {wrong[:6]}"


@pytest.mark.parametrize(
    "visibility, listed_for",
    [
        ("public", {A, N, O, P, M, ADM}),
        ("members", {O, P, M, ADM}),
    ],
)
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
