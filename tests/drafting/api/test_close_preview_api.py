"""GET /api/v1/rounds/{id}/close-preview/: what closing would do, for the round's moderators."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from drafting import services
from drafting.models import Clause, Visibility
from tests.conftest import client_for
from tests.drafting.factories import show_tallies

pytestmark = pytest.mark.django_db


def test_the_preview_answers_what_the_results_then_say_and_writes_nothing(closed_round, clause, people):
    round_ = show_tallies(closed_round["round"])
    moderator = client_for(people["moderator"])
    url = f"/api/v1/rounds/{round_.id}/close-preview/"

    response = moderator.get(url)
    assert response.status_code == 200
    body = response.json()
    assert Clause.objects.get(pk=clause.pk).version == 1  # nothing merged yet
    assert body["round"] == round_.id and body["snapshot_label"] == "Rev.1"
    assert body["compared_with"]["revision"] == 0  # the original, frozen as the round opened
    assert body["summary"] == {
        "accepted": 1,
        "rejected": 1,
        "no_quorum": 0,
        "superseded": 0,
        "carried_over": 0,
        "merged": 1,
        "conflicted": 0,
    }
    assert body["rivals"] == []
    by_item = {(r["item"]["type"], r["item"]["id"]): r for r in body["items"]}
    amendment = by_item[("amendment", closed_round["amendment"].id)]
    assert amendment["merged_text"] == clause.text.replace("should", "must") and amendment["conflict"] is None
    proposal = by_item[("clause", closed_round["proposal"].id)]
    assert (proposal["outcome"], proposal["effect"], proposal["merged_text"]) == ("rejected", "rejected", None)
    assert proposal["by_group"]["industry"] == {"yes": 1, "no": 2, "abstain": 0}
    # Against the original: the amended clause changed, the rejected proposal is not in Rev.1.
    assert [(row["clause"], row["change"]) for row in body["clauses"]] == [(clause.id, "changed")]
    diff = body["clauses"][0]["diff"]
    assert {"op": "delete", "text": "should"} in diff and {"op": "insert", "text": "must"} in diff

    assert moderator.post(f"/api/v1/rounds/{round_.id}/close/").status_code == 200
    results = moderator.get(f"/api/v1/rounds/{round_.id}/results/").json()
    assert results == [{k: v for k, v in row.items() if k not in ("merged_text", "conflict")} for row in body["items"]]
    assert Clause.objects.get(pk=clause.pk).text == amendment["merged_text"]

    closed = moderator.get(url)
    assert closed.status_code == 409 and closed.json()["phase"] == "closed"
    assert "only while it is voting" in closed.json()["detail"]


def test_only_the_drafts_moderators_preview_and_only_while_it_votes(draft, round_, people):
    url = f"/api/v1/rounds/{round_.id}/close-preview/"
    open_ = client_for(people["moderator"]).get(url)
    assert open_.status_code == 409 and open_.json()["phase"] == "open"
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    show_tallies(round_)
    for who in ("participant", "observer", "non_member", "anonymous"):
        refused = client_for(people[who]).get(url)
        assert refused.status_code == 403, who
        assert refused.json()["detail"] == "Only a moderator of this draft can preview closing its rounds."
    assert client_for(people["admin"]).get(url).status_code == 200
    empty = client_for(people["moderator"]).get(url).json()
    assert empty["items"] == [] and empty["summary"]["accepted"] == 0

    draft.visibility = Visibility.MEMBERS
    draft.save()
    assert client_for(people["non_member"]).get(url).status_code == 404
    assert client_for(people["moderator"]).get("/api/v1/rounds/999999/close-preview/").status_code == 404


def test_the_preview_is_in_the_schema_with_its_conflict():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/rounds/{round_id}/close-preview/"]["get"]
    assert {"200", "403", "404", "409"} <= set(operation["responses"])
    item = schema["components"]["schemas"]["PreviewItem"]["properties"]
    assert {"item", "outcome", "effect", "totals", "by_group", "merged_text", "conflict"} <= set(item)
