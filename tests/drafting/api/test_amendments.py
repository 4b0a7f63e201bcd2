"""The amendments API: submitting, redlines, withdrawing, competing amendments."""

import pytest

from drafting import services
from drafting.models import Amendment
from tests.conftest import client_for
from tests.drafting.factories import voting

pytestmark = pytest.mark.django_db


def test_amendment_submit_diff_and_withdraw(clause, people, round_):
    client = client_for(people["participant"])
    created = client.post(
        f"/api/v1/clauses/{clause.id}/amendments/",
        {
            "kind": "modify",
            "text": "States must not knowingly allow their territory to be used for wrongful acts.",
            "rationale": "Stronger",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["base_version"], body["author"]) == ("submitted", 1, "a_participant")
    assert {"op": "delete", "text": "should"} in body["diff"] and {"op": "insert", "text": "must"} in body["diff"]
    detail = client.get(f"/api/v1/amendments/{body['id']}/").json()
    assert detail["diff"] == body["diff"] and detail["competes_with"] == []
    assert client_for(people["observer"]).post(f"/api/v1/amendments/{body['id']}/withdraw/").status_code == 403
    withdrawn = client.post(f"/api/v1/amendments/{body['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/amendments/{body['id']}/withdraw/").status_code == 409


def test_delete_amendment_and_bad_input(clause, people, round_):
    client = client_for(people["participant"])
    url = f"/api/v1/clauses/{clause.id}/amendments/"
    deletion = client.post(url, {"kind": "delete", "rationale": "Redundant"}, format="json")
    assert deletion.status_code == 201
    assert "".join(c["text"] for c in deletion.json()["diff"] if c["op"] == "delete") == clause.text
    assert "kind" in client.post(url, {"kind": "rewrite", "text": "x"}, format="json").json()
    empty = client.post(url, {"kind": "modify", "text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    huge = client.post(url, {"kind": "modify", "text": "x" * 20_001}, format="json")
    assert huge.status_code == 413 and "20,000" in huge.json()["text"][0]
    same = client.post(url, {"kind": "modify", "text": clause.text}, format="json")
    assert same.status_code == 400
    assert Amendment.objects.count() == 1


def test_amendments_are_frozen_while_voting(clause, people, round_):
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New")
    voting(round_, people)
    client = client_for(people["participant"])
    late = client.post(f"/api/v1/clauses/{clause.id}/amendments/", {"kind": "modify", "text": "Later"}, format="json")
    assert late.status_code == 409 and late.json()["phase"] == "voting"
    assert client.post(f"/api/v1/amendments/{amendment.id}/withdraw/").status_code == 409


def test_competing_amendments_are_flagged_both_ways(clause, people, round_):
    participant, moderator = people["participant"], people["moderator"]
    # "States should not knowingly allow their territory to be used for wrongful acts."
    first = services.amendment_submit(
        clause_id=clause.id,
        by=participant,
        kind="modify",
        text="States must not knowingly allow their territory to be used for wrongful acts.",
    )
    rival = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="States shall not knowingly allow their territory to be used for wrongful acts.",
    )
    elsewhere = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="States should not knowingly allow their territory to be used for internationally wrongful acts.",
    )
    listed = {
        a["id"]: a["competes_with"]
        for a in client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    }
    assert listed == {first.id: [rival.id], rival.id: [first.id], elsewhere.id: []}
    services.amendment_withdraw(amendment_id=rival.id, by=moderator)
    listed = {
        a["id"]: a["competes_with"]
        for a in client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    }
    assert listed[first.id] == []


def test_amendments_against_different_versions_still_compete(clause, people, round_):
    moderator = people["moderator"]
    early = services.amendment_submit(
        clause_id=clause.id,
        by=people["participant"],
        kind="modify",
        text="States should not knowingly allow their land to be used for wrongful acts.",
    )
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="In all cases, " + clause.text)
    late = services.amendment_submit(
        clause_id=clause.id,
        by=moderator,
        kind="modify",
        text="In all cases, States should not knowingly allow their soil to be used for wrongful acts.",
    )
    amendments = client_for(None).get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    assert {a["id"]: a["competes_with"] for a in amendments} == {early.id: [late.id], late.id: [early.id]}
