"""The drafts API: creating, reading, members, sections, the list and the schema, and 409s that say why."""

import pytest

from drafting import services
from drafting.models import Draft, DraftMembership
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, DraftFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_draft_with_unique_slug(admin_user):
    client = client_for(admin_user)
    first = client.post("/api/v1/drafts/", {"title": "Code of Conduct", "summary": "Zero draft"}, format="json")
    second = client.post("/api/v1/drafts/", {"title": "Code of Conduct", "visibility": "members"}, format="json")
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["slug"] == "code-of-conduct" and second.json()["slug"] == "code-of-conduct-2"
    assert second.json()["visibility"] == "members"
    assert Draft.objects.get(slug="code-of-conduct").history.get().history_user == admin_user


def test_draft_create_bad_input(admin_user):
    client = client_for(admin_user)
    assert "title" in client.post("/api/v1/drafts/", {"title": ""}, format="json").json()
    bad_visibility = client.post("/api/v1/drafts/", {"title": "T", "visibility": "secret"}, format="json")
    assert bad_visibility.status_code == 400 and "visibility" in bad_visibility.json()


def test_draft_detail_has_ordered_sections_and_clauses(draft):
    later = SectionFactory(draft=draft, title="Cooperation", position=2)
    first = SectionFactory(draft=draft, title="Preamble", position=1)
    ClauseFactory(section=later, number=3, title="Points of contact")
    ClauseFactory(section=first, number=2, title="Second")
    ClauseFactory(section=first, number=1, title="First", text="Some *text*", status="proposed")
    body = client_for(None).get(f"/api/v1/drafts/{draft.slug}/").json()
    assert [s["title"] for s in body["sections"]] == ["Preamble", "Cooperation"]
    assert [c["number"] for c in body["sections"][0]["clauses"]] == [1, 2]
    clause = body["sections"][0]["clauses"][0]
    assert clause["status"] == "proposed" and clause["version"] == 1
    assert clause["text_html"] == "<p>Some <em>text</em></p>\n"
    assert body["your_role"] == "anonymous"


def test_members_draft_is_404_everywhere_for_non_members(section):
    draft = section.draft
    draft.visibility = "members"
    draft.save()
    clause = ClauseFactory(section=section)
    outsider = UserFactory()
    member = UserFactory()
    DraftMembership.objects.create(draft=draft, user=member, role="observer")
    paths = [
        f"/api/v1/drafts/{draft.slug}/",
        f"/api/v1/drafts/{draft.slug}/clauses/",
        f"/api/v1/drafts/{draft.slug}/members/",
        f"/api/v1/clauses/{clause.id}/",
        f"/api/v1/clauses/{clause.id}/history/",
        f"/api/v1/clauses/{clause.id}/diff/?from=1&to=1",
    ]
    for user in (None, outsider):
        client = client_for(user)
        for path in paths:
            assert client.get(path).status_code == 404, path
        listed = [d["slug"] for d in client.get("/api/v1/drafts/").json()["results"]]
        assert draft.slug not in listed
        assert client.patch(
            f"/api/v1/clauses/{clause.id}/", {"version": 1, "text": "x"}, format="json"
        ).status_code in (401, 404)
    member_client = client_for(member)
    for path in paths:
        assert member_client.get(path).status_code == 200, path
    assert draft.slug in [d["slug"] for d in member_client.get("/api/v1/drafts/").json()["results"]]


def test_appointing_members(draft, people):
    newcomer = UserFactory(username="newcomer")
    client = client_for(people["moderator"])
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/members/", {"user": newcomer.id, "role": "observer"}, format="json"
    )
    assert created.status_code == 201 and created.json()["role"] == "observer"
    changed = client.post(
        f"/api/v1/drafts/{draft.slug}/members/", {"user": newcomer.id, "role": "participant"}, format="json"
    )
    assert changed.json()["role"] == "participant"
    membership = DraftMembership.objects.get(draft=draft, user=newcomer)
    assert [h.history_change_reason for h in membership.history.order_by("history_id")] == [
        "Appointed observer",
        "Role changed to participant",
    ]
    bad = client.post(f"/api/v1/drafts/{draft.slug}/members/", {"user": newcomer.id, "role": "king"}, format="json")
    assert bad.status_code == 400 and "role" in bad.json()


def test_draft_list_is_paginated():
    for _ in range(3):
        DraftFactory()
    body = client_for(None).get("/api/v1/drafts/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_openapi_schema_lists_the_contract(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{organization_id}/members/{user_id}/verify/",
        "/api/v1/drafts/",
        "/api/v1/drafts/{slug}/",
        "/api/v1/drafts/{slug}/members/",
        "/api/v1/drafts/{slug}/sections/",
        "/api/v1/drafts/{slug}/clauses/",
        "/api/v1/clauses/{clause_id}/",
        "/api/v1/clauses/{clause_id}/history/",
        "/api/v1/clauses/{clause_id}/diff/",
        "/api/v1/clauses/{clause_id}/revert/",
    ):
        assert path in schema["paths"], path
    assert api.get("/api/docs/").status_code == 200


def test_a_wrong_method_is_405_for_everyone_and_a_write_needs_sign_in(draft, clause, people):
    """API.md: a method an endpoint does not have is 405, signed in or not; a write it has is 401 anonymously."""
    anonymous, moderator = client_for(None), client_for(people["moderator"])
    for client in (anonymous, moderator):
        assert client.delete(f"/api/v1/drafts/{draft.slug}/").status_code == 405
        assert client.get(f"/api/v1/clauses/{clause.id}/revert/").status_code == 405
    assert anonymous.post(f"/api/v1/clauses/{clause.id}/revert/", {}, format="json").status_code == 401


def test_a_section_position_too_large_to_store_is_a_400_naming_it(draft, people):
    """The fuzz pass found position 2**31 answered 500: the column holds a 32-bit number."""
    response = client_for(people["moderator"]).post(
        f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Annex", "position": 2**31}, format="json"
    )
    assert response.status_code == 400 and "position" in response.json()


def test_changing_a_section_answers_with_its_clauses(draft, people):
    moderator = people["moderator"]
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    answer = client_for(moderator).patch(
        f"/api/v1/sections/{section.id}/", {"title": "General principles"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["title"] == "General principles"
    assert [c["title"] for c in answer.json()["clauses"]] == ["One"]
    assert answer.json()["clauses"][0]["ref"] == "OP1"


def test_every_409_says_why_in_detail_and_names_its_field(draft, people):
    """The API's 409 always carries ``detail`` (the schema says so; the fuzz pass checks it)."""
    admin, moderator = people["admin"], people["moderator"]
    other = services.draft_create(title="Other", by=admin)
    taken = client_for(admin).patch(f"/api/v1/drafts/{draft.slug}/", {"symbol": other.symbol}, format="json")
    assert taken.status_code == 409
    assert (
        taken.json()["detail"] == taken.json()["symbol"][0] == f"Another draft already has the symbol {other.symbol}."
    )
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    kind = client_for(moderator).patch(f"/api/v1/sections/{section.id}/", {"kind": "preamble"}, format="json")
    assert kind.status_code == 409 and "move them to a section of the other kind" in kind.json()["detail"]
