import pytest

from drafting.models import Clause, Draft, DraftMembership
from tests.conftest import client_for
from tests.factories import ClauseFactory, DraftFactory, SectionFactory, UserFactory

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


def test_moderator_adds_section_and_clause(draft, people):
    client = client_for(people["moderator"])
    section = client.post(f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Norms"}, format="json")
    assert section.status_code == 201, section.content
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {
            "section": section.json()["id"],
            "title": "Supply chain",
            "text": "States should take steps.",
            "rationale": "GGE 2015",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["status"], body["version"], body["proposer"]) == (1, "proposed", 1, "a_moderator")
    listed = client_for(None).get(f"/api/v1/drafts/{draft.slug}/clauses/").json()["results"]
    assert [c["title"] for c in listed] == ["Supply chain"]


def test_clause_create_errors(draft, section, people):
    client = client_for(people["moderator"])
    url = f"/api/v1/drafts/{draft.slug}/clauses/"
    empty = client.post(url, {"section": section.id, "title": "T", "text": ""}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    huge = client.post(url, {"section": section.id, "title": "T", "text": "word " * 5000}, format="json")
    assert huge.status_code == 413 and "text" in huge.json()
    other = SectionFactory()
    wrong_section = client.post(url, {"section": other.id, "title": "T", "text": "x"}, format="json")
    assert wrong_section.status_code == 400 and "section" in wrong_section.json()
    assert not Clause.objects.exists()


def test_patch_with_stale_version_is_409_with_current_version(clause, people):
    client = client_for(people["moderator"])
    ok = client.patch(f"/api/v1/clauses/{clause.id}/", {"version": 1, "text": "First"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/clauses/{clause.id}/", {"version": 1, "text": "Second"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and "detail" in stale.json()
    assert client.get(f"/api/v1/clauses/{clause.id}/").json()["text"] == "First"
    missing = client.patch(f"/api/v1/clauses/{clause.id}/", {"text": "No version"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    bad_status = client.patch(f"/api/v1/clauses/{clause.id}/", {"version": 2, "status": "maybe"}, format="json")
    assert bad_status.status_code == 400 and "status" in bad_status.json()


def test_history_diff_and_revert(clause, people):
    client = client_for(people["moderator"])
    client.patch(
        f"/api/v1/clauses/{clause.id}/",
        {"version": 1, "text": "States shall cooperate.", "reason": "Stronger"},
        format="json",
    )
    history = client.get(f"/api/v1/clauses/{clause.id}/history/").json()["results"]
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["changed_by"] == "a_moderator" and history[1]["reason"] == "Stronger"
    assert history[1]["text"] == "States shall cooperate." and history[0]["text"] == clause.text
    assert set(history[0]) == {"version", "title", "text", "status", "changed_by", "changed_at", "reason"}

    diff = client.get(f"/api/v1/clauses/{clause.id}/diff/?from=1&to=2").json()
    assert diff["from"] == 1 and diff["to"] == 2
    assert {"op": "insert", "text": "shall cooperate"} in diff["changes"]
    assert {"op": "delete", "text": "should not knowingly allow their territory to be used for wrongful acts"} in diff[
        "changes"
    ]
    assert "".join(c["text"] for c in diff["changes"] if c["op"] != "delete") == "States shall cooperate."
    assert client.get(f"/api/v1/clauses/{clause.id}/diff/?from=1&to=9").status_code == 404
    assert client.get(f"/api/v1/clauses/{clause.id}/diff/?from=x&to=2").status_code == 400

    reverted = client.post(
        f"/api/v1/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "Agreed text"}, format="json"
    )
    assert reverted.status_code == 200 and reverted.json()["version"] == 3
    assert reverted.json()["text"] == clause.text
    no_reason = client.post(f"/api/v1/clauses/{clause.id}/revert/", {"to_version": 1}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    unknown = client.post(f"/api/v1/clauses/{clause.id}/revert/", {"to_version": 42, "reason": "x"}, format="json")
    assert unknown.status_code == 404


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


def test_html_in_clause_text_never_comes_back_executable(draft, section, people):
    client = client_for(people["moderator"])
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": section.id, "title": "<b>T</b>", "text": "<script>alert(1)</script>Norm"},
        format="json",
    ).json()
    assert "<script" not in created["text_html"]


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


def test_draft_list_is_paginated():
    for _ in range(3):
        DraftFactory()
    body = client_for(None).get("/api/v1/drafts/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
