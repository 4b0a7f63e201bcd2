"""``POST /api/v1/clauses/{id}/suggestions/``: a span of the text becomes an amendment (201), bad
spans are 400, who may not amend 403, words gone since the version 409; its query count is pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from drafting.models import Amendment
from tests.conftest import client_for
from tests.drafting.factories import AmendmentFactory, make_voters

pytestmark = pytest.mark.django_db

TEXT = "States should not knowingly allow their territory to be used for wrongful acts."
WORDS = "not knowingly allow"
AT = TEXT.index(WORDS)


def _body(**change):
    return {"version": 1, "start": AT, "end": AT + len(WORDS), "quote": WORDS, "replacement": "never allow", **change}


def _url(clause):
    return f"/api/v1/clauses/{clause.id}/suggestions/"


def test_a_suggestion_is_an_amendment_with_its_span(clause, people, round_):
    client = client_for(people["participant"])
    created = client.post(_url(clause), _body(rationale="Firmer."), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["status"], body["base_version"], body["author"]) == (
        "modify",
        "submitted",
        1,
        "a_participant",
    )
    assert body["text"] == "States should never allow their territory to be used for wrongful acts."
    assert body["span"] == {"version": 1, "start": AT, "end": AT + len(WORDS), "quote": WORDS}
    diff = body["diff"]
    assert {"op": "delete", "text": "not knowingly"} in diff and {"op": "insert", "text": "never"} in diff
    listed = client.get(f"/api/v1/clauses/{clause.id}/amendments/").json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]  # one amendment among the others, nothing apart


def test_an_empty_replacement_deletes_the_words(clause, people, round_):
    created = client_for(people["participant"]).post(
        _url(clause), _body(start=AT, end=AT + 4, quote="not ", replacement=""), format="json"
    )
    assert created.status_code == 201 and created.json()["text"] == TEXT.replace("not ", "")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quote": "knowingly"}, "quote"),
        ({"end": 999}, "end"),
        ({"start": -1}, "start"),
        ({"replacement": WORDS}, "replacement"),
        ({"replacement": None}, "replacement"),
        ({"version": "two"}, "version"),
    ],
)
def test_bad_spans_are_400_naming_the_field(clause, people, round_, change, field):
    body = {k: v for k, v in _body(**change).items() if v is not None}
    response = client_for(people["participant"]).post(_url(clause), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Amendment.objects.exists()


def test_only_those_who_may_amend_suggest(clause, people, round_):
    assert client_for(people["observer"]).post(_url(clause), _body(), format="json").status_code == 403
    assert client_for(people["non_member"]).post(_url(clause), _body(), format="json").status_code == 403
    assert client_for(None).post(_url(clause), _body(), format="json").status_code == 401
    assert client_for(people["participant"]).post("/api/v1/clauses/999999/suggestions/", _body()).status_code == 404


def test_words_gone_since_the_version_are_409_with_the_current_version(clause, people, round_):
    services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=TEXT.replace("knowingly allow", "permit")
    )
    response = client_for(people["participant"]).post(_url(clause), _body(), format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and "changed" in response.json()["detail"]


def test_words_still_there_are_carried_to_the_current_version(clause, people, round_):
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Always, " + TEXT)
    response = client_for(people["participant"]).post(_url(clause), _body(), format="json")
    assert response.status_code == 201
    assert response.json()["span"] == {"version": 2, "start": AT + 8, "end": AT + 8 + len(WORDS), "quote": WORDS}


def _count(client, url, body) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    return len(queries)


# The clause with its row lock, the reader's standing, the round and its phase, the version the
# offsets are in, what the author speaks for, the amendment and its history, the follow (already
# there), the event and its notifications; the savepoints of the atomic blocks; the answer's
# co-sponsors; the author's row locked and their amendments waiting on the paragraph counted (at
# most AMENDMENTS_WAITING_PER_CLAUSE); the draft's live pages told (live.services.changed). (The
# author's first amendment of a clause also writes the follow: a few more, once.)
SUGGEST_QUERIES = 19


def test_the_query_count_is_pinned_at_two_sizes(clause, people, round_):
    """However many versions, amendments, followers and moderators the clause has, the same count."""
    client = client_for(people["participant"])
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Always, " + TEXT)
    _count(client, _url(clause), _body(replacement="never let"))  # from here on the author follows the clause
    small = _count(client, _url(clause), _body())
    for v in range(2, 7):
        services.clause_update(clause_id=clause.id, version=v, by=people["moderator"], text=f"Now {v}, " + TEXT)
    for _ in range(5):
        AmendmentFactory(clause=clause, round=round_)
    for person in make_voters(clause.draft, government=4)["government"]:
        services.amendment_submit(clause_id=clause.id, by=person, kind="modify", text=TEXT + " Always.")
    large = _count(client, _url(clause), _body(replacement="never permit"))
    assert (small, large) == (SUGGEST_QUERIES, SUGGEST_QUERIES)


def test_a_version_the_clause_never_had_is_a_field_error_like_every_400(clause, people, round_):
    response = client_for(people["participant"]).post(_url(clause), _body(version=4), format="json")
    assert response.status_code == 400
    assert response.json() == {"version": [f"Clause {clause.ref} has versions 1 to 1."]}
