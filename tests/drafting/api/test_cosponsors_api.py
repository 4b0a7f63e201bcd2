"""The co-sponsors API (``drafting/api/cosponsors.py``): each endpoint, its refusals (400, 403, 404,
409, never a 500), the detail answers' ``cosponsors`` and ``cosponsorship``, and query counts pinned
at two sizes."""

import pytest

from drafting.models import Cosponsorship
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.conftest import client_for
from tests.drafting.factories import DraftMembershipFactory

pytestmark = pytest.mark.django_db


def test_join_read_withdraw_a_clause_s_co_sponsorship(delegations):
    d = delegations
    url = f"/api/v1/clauses/{d['proposal'].id}/cosponsors/"
    joined = client_for(d["kofi"]).post(url)
    assert joined.status_code == 201, joined.json()
    assert joined.json()["status"] == "joined"
    assert joined.json()["delegation"] == {
        "organization": "Kenya",
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    read = client_for(None).get(url).json()
    assert read["cosponsorship"] == "open" and read["cosponsored_by"] == "Kenya (Government)"
    assert [c["organization"] for c in read["cosponsors"]] == ["Kenya"]
    assert read["requests"] == [] and read["mine"] is None
    assert client_for(d["kofi"]).get(url).json()["mine"] == {"id": joined.json()["id"], "status": "joined"}
    detail = client_for(None).get(f"/api/v1/clauses/{d['proposal'].id}/").json()
    assert detail["cosponsorship"] == "open" and detail["cosponsors"][0]["organization"] == "Kenya"
    assert client_for(d["kofi"]).delete(f"{url}mine/").status_code == 204
    assert client_for(None).get(url).json()["cosponsors"] == []
    assert client_for(d["kofi"]).delete(f"{url}mine/").status_code == 404


def test_the_proponent_sets_accepts_and_declines_an_amendment_s_co_sponsors(delegations):
    d = delegations
    url = f"/api/v1/amendments/{d['amendment'].id}/cosponsors/"
    ana = client_for(d["ana"])
    setting = ana.patch(url, {"cosponsorship": "on_acceptance"}, format="json")
    assert setting.status_code == 200 and setting.json()["cosponsorship"] == "on_acceptance"
    kofi = client_for(d["kofi"]).post(url).json()
    nia = client_for(d["nia"]).post(url).json()
    assert kofi["status"] == nia["status"] == "requested"
    assert [r["id"] for r in ana.get(url).json()["requests"]] == [kofi["id"], nia["id"]]
    assert client_for(d["nia"]).get(url).json()["requests"] == []  # the proponent's to see
    accepted = client_for(d["bea"]).post(f"/api/v1/cosponsorships/{kofi['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "joined"
    declined = ana.post(f"/api/v1/cosponsorships/{nia['id']}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    detail = client_for(None).get(f"/api/v1/amendments/{d['amendment'].id}/").json()
    assert detail["cosponsorship"] == "on_acceptance"
    assert [c["organization"] for c in detail["cosponsors"]] == ["Kenya"]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status"),
    [
        ("kofi", "patch", "clauses/{proposal}/cosponsors/", {"cosponsorship": "open"}, 403),
        ("ana", "patch", "clauses/{proposal}/cosponsors/", {"cosponsorship": "closed"}, 400),
        ("ana", "patch", "clauses/{proposal}/cosponsors/", {}, 400),
        ("bea", "post", "clauses/{proposal}/cosponsors/", None, 403),
        ("uma", "post", "clauses/{proposal}/cosponsors/", None, 403),
        ("anonymous", "post", "clauses/{proposal}/cosponsors/", None, (401, 403)),
        ("kofi", "post", "clauses/{chairs}/cosponsors/", None, 409),
        ("kofi", "post", "clauses/999999/cosponsors/", None, 404),
        ("kofi", "get", "amendments/999999/cosponsors/", None, 404),
        ("kofi", "delete", "clauses/{proposal}/cosponsors/mine/", None, 404),
        ("kofi", "post", "cosponsorships/999999/accept/", None, 404),
        ("kofi", "post", "cosponsorships/{requested}/accept/", None, 403),
        ("ana", "post", "cosponsorships/{joined}/decline/", None, 409),
    ],
)
def test_refusals_say_why_with_their_status(delegations, clause, who, method, path, body, status):
    d = delegations
    requested = Cosponsorship.objects.create(
        amendment=d["amendment"], organization=OrganizationFactory(), status="requested", requested_by=d["nia"]
    )
    joined = Cosponsorship.objects.create(
        amendment=d["amendment"], organization=OrganizationFactory(), status="joined", requested_by=d["nia"]
    )
    url = "/api/v1/" + path.format(
        proposal=d["proposal"].id, chairs=clause.id, requested=requested.id, joined=joined.id
    )
    client = client_for(None if who == "anonymous" else d[who])
    answer = getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)
    assert answer.status_code in (status if isinstance(status, tuple) else (status,)), answer.content
    assert answer.json()


def test_a_round_not_open_refuses_with_409_and_its_phase(delegations, people):
    from drafting import services

    d = delegations
    services.round_start_voting(round_id=d["round"].id, by=people["moderator"])
    answer = client_for(d["kofi"]).post(f"/api/v1/clauses/{d['proposal'].id}/cosponsors/")
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "Proposals are co-sponsored only while their round is open (now: voting).",
        "phase": "voting",
    }


def _grow(d, draft, size):
    for _ in range(size):
        user = MembershipFactory(organization__stakeholder_group="academia").user
        DraftMembershipFactory(draft=draft, user=user, role="participant")
        for kind, item in (("clause", d["proposal"]), ("amendment", d["amendment"])):
            client_for(user).post(f"/api/v1/{kind}s/{item.id}/cosponsors/")
            Cosponsorship.objects.create(
                **{kind: item}, organization=OrganizationFactory(), status="requested", requested_by=user
            )


# The proposal with its round and the reader's role (the clause or amendment read, one query; a
# clause's round one more), the co-sponsorships (one), what the reader speaks for (one) and what the
# proponent spoke for (one); the detail answers add one read of the co-sponsors to their own (the
# clause's reads what its proposer spoke for with the clause).
PINNED = [
    ("clause co-sponsors", "/api/v1/clauses/{proposal}/cosponsors/", "ana", 6),
    ("amendment co-sponsors", "/api/v1/amendments/{amendment}/cosponsors/", "ana", 5),
    ("clause detail", "/api/v1/clauses/{proposal}/", "ana", 2),
    ("amendment detail", "/api/v1/amendments/{amendment}/", "ana", 7),
]


@pytest.mark.parametrize(("name", "url", "who", "pinned"), PINNED)
def test_query_counts_are_pinned_at_two_sizes(delegations, draft, django_assert_num_queries, name, url, who, pinned):
    d = delegations
    url = url.format(proposal=d["proposal"].id, amendment=d["amendment"].id)
    client = client_for(d[who])
    for size in (1, 4):
        _grow(d, draft, size)
        with django_assert_num_queries(pinned):
            assert client.get(url).status_code == 200
    assert len(client.get(url).json().get("cosponsors", [])) == 5


def test_the_ballot_and_the_results_carry_the_co_sponsors(delegations, people):
    from drafting import services

    d = delegations
    client_for(d["kofi"]).post(f"/api/v1/clauses/{d['proposal'].id}/cosponsors/")
    services.round_start_voting(round_id=d["round"].id, by=people["moderator"])
    ballot = client_for(d["nia"]).get(f"/api/v1/rounds/{d['round'].id}/ballot/").json()
    by_item = {(i["item"]["type"], i["item"]["id"]): i["cosponsors"] for i in ballot["items"]}
    assert [c["organization"] for c in by_item[("clause", d["proposal"].id)]] == ["Kenya"]
    assert by_item[("amendment", d["amendment"].id)] == []
    services.round_close(round_id=d["round"].id, by=people["moderator"])
    results = client_for(d["nia"]).get(f"/api/v1/rounds/{d['round'].id}/results/").json()
    rows = results["results"] if isinstance(results, dict) else results
    row = next(r for r in rows if r["item"]["type"] == "clause")
    assert row["item"]["cosponsored_by"] == "Kenya (Government)"
    assert row["item"]["cosponsors"][0]["stakeholder_group"] == "government"
