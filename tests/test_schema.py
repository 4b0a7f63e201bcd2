"""The OpenAPI schema tells the truth (API.md: every status an endpoint can return is in it).

The schema is generated in-process; the error answers every operation shares come from
``codeofconduct/schema.py``, and each list that answers in pages is documented as a page.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from drafting import services
from tests.conftest import client_for

ERROR_BODIES = {"Error", "FieldErrors", "Conflict"}
PAGE = {"count", "next", "previous", "results"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def resolved(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_has_one_success_answer(schema):
    for path, method, operation in operations(schema):
        successes = [code for code in operation["responses"] if code.startswith("2")]
        assert successes, f"{method} {path} documents no 2xx answer"


def test_every_operation_documents_the_refusals_any_request_can_meet(schema):
    for path, method, operation in operations(schema):
        expected = {"400", "401", "403", "406", "414"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"413", "415"}
        missing = expected - set(operation["responses"])
        assert not missing, f"{method} {path} does not document {sorted(missing)}"


def test_error_answers_have_the_bodies_the_exception_handler_sends(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if not code.startswith("4") or code == "414":  # 414 is gunicorn's own HTML page
                continue
            body = response["content"]["application/json"]["schema"]
            assert body["$ref"].rsplit("/", 1)[1] in ERROR_BODIES, f"{method} {path} {code}"
            assert response["description"], f"{method} {path} {code} says nothing of why"
    assert resolved(schema, {"$ref": "#/components/schemas/Error"})["required"] == ["detail"]


def test_rate_limited_doors_document_429_with_retry_after(schema):
    for path in ("/api/v1/auth/token/", "/api/v1/auth/register/", "/api/v1/drafts/{slug}/export/"):
        operation = next(op for op in schema["paths"][path].values())
        assert "Retry-After" in operation["responses"]["429"]["headers"], path


def test_a_stale_edit_documents_409_with_the_current_version(schema):
    conflict = schema["paths"]["/api/v1/clauses/{clause_id}/"]["patch"]["responses"]["409"]
    body = resolved(schema, conflict["content"]["application/json"]["schema"])
    assert "current_version" in body["properties"]


@pytest.fixture
def world(draft, clause, people):
    """One of everything a GET can name, so every read answers 200."""
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="New words.")
    comment = services.comment_post(by=participant, clause_id=clause.id, body="Agreed.", stance="support")
    snapshot = services.snapshot_create(draft=draft, label="Rev.1", by=moderator)
    return {
        "slug": draft.slug,
        "clause_id": clause.id,
        "amendment_id": amendment.id,
        "comment_id": comment.id,
        "round_id": round_.id,
        "snapshot_id": snapshot.id,
        "language": "fr",
    }


QUERIES = {
    "/api/v1/clauses/{clause_id}/diff/": "?from=1&to=1",
    "/api/v1/drafts/{slug}/compare/": "?from={snapshot_id}&to={snapshot_id}",
    "/api/v1/comments/": "?clause={clause_id}",
}


@pytest.mark.django_db
def test_lists_that_answer_in_pages_are_documented_as_pages(schema, world, people):
    """Each JSON read, called for real: a page (count, next, previous, results) exactly where the
    schema says so, and the documented success status."""
    client = client_for(people["moderator"])
    checked = 0
    for path, method, operation in operations(schema):
        # Export jobs, organizations and kept mail (tests/notifications/test_sent_mail.py): no scene here.
        if method != "GET" or any(name in path for name in ("{job_id}", "{id}", "{message_id}")):
            continue
        url = (path + QUERIES.get(path, "")).format(**world)
        response = client.get(url)
        if response.status_code != 200 or response["Content-Type"] != "application/json":
            continue  # files (exports, reports) and reads a closed round's rules hold back
        documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
        documented = resolved(schema, documented)
        is_page = documented.get("type") == "object" and PAGE <= set(documented.get("properties", {}))
        body = response.json()
        answers_page = isinstance(body, dict) and PAGE <= set(body)
        assert is_page == answers_page, f"GET {path}: documented as page {is_page}, answers a page {answers_page}"
        checked += 1
    assert checked >= 20
