"""The clauses API: adding, editing with a version check, history, diff and revert."""

import pytest

from drafting import services
from drafting.models import Clause
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import DraftMembershipFactory, SectionFactory, voting

pytestmark = pytest.mark.django_db


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
    assert (body["number"], body["status"], body["version"], body["proposer"]) == (1, "proposed", 1, "the Chair")
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
    assert history[1]["changed_by"] == "the Chair" and history[1]["reason"] == "Stronger"
    assert history[1]["speaking_for"] == {
        "organization": None,
        "stakeholder_group": None,
        "verified": False,
        "chair": True,
    }
    assert history[1]["text"] == "States shall cooperate." and history[0]["text"] == clause.text
    assert set(history[0]) == {"version", "title", "text", "status", "changed_by", "changed_at", "reason"} | {
        "speaking_for",
        "on_proposal_of",
        "number",
        "number_suffix",
        "label",
        "ref",
    }
    assert history[1]["on_proposal_of"] is None  # the Chair acted alone

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


def test_html_in_clause_text_never_comes_back_executable(draft, section, people):
    client = client_for(people["moderator"])
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": section.id, "title": "<b>T</b>", "text": "<script>alert(1)</script>Norm"},
        format="json",
    ).json()
    assert "<script" not in created["text_html"]


def test_participant_proposes_while_open_and_edits_with_version_check(draft, section, people, round_):
    unverified = UserFactory()
    MembershipFactory(user=unverified, status="pending")
    DraftMembershipFactory(draft=draft, user=unverified, role="participant")
    client = client_for(unverified)
    created = client.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": section.id, "title": "Points of contact", "text": "States should name one."},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["version"], body["round"]) == ("proposed", 1, round_.id)
    cid = body["id"]
    edited = client.patch(f"/api/v1/clauses/{cid}/", {"version": 1, "text": "States should name two."}, format="json")
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.patch(f"/api/v1/clauses/{cid}/", {"version": 1, "text": "Lost?"}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    status_change = client.patch(f"/api/v1/clauses/{cid}/", {"version": 2, "status": "agreed"}, format="json")
    assert status_change.status_code == 403
    other = client_for(people["participant"]).patch(
        f"/api/v1/clauses/{cid}/", {"version": 2, "text": "Mine"}, format="json"
    )
    assert other.status_code == 403
    voting(round_, people)
    frozen = client.patch(f"/api/v1/clauses/{cid}/", {"version": 2, "text": "Late change"}, format="json")
    assert frozen.status_code == 409 and frozen.json()["phase"] == "voting"
    assert Clause.objects.get(pk=cid).text == "States should name two."


def test_proposing_outside_an_open_round_is_409(draft, section, people):
    response = client_for(people["participant"]).post(
        f"/api/v1/drafts/{draft.slug}/clauses/", {"section": section.id, "title": "T", "text": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["phase"] == "none"


def test_unicode_digits_in_numbers_are_a_clear_400_not_a_crash(draft, clause, client):
    """``"²".isdigit()`` is true but it is no number: every door reads numbers the same strict way."""
    api = client_for(None)
    assert api.get(f"/api/v1/clauses/{clause.id}/diff/?from=²&to=1").status_code == 400
    assert api.get("/api/v1/comments/?clause=²").status_code == 400
    assert api.get(f"/api/v1/drafts/{draft.slug}/compare/?from=²&to=1").status_code == 400
    assert api.get(f"/api/v1/drafts/{draft.slug}/export/?format=md&snapshot=²").status_code == 400
    assert client.get(f"/clauses/{clause.id}/?from=²&to=1").status_code == 200  # the page falls back to the latest


def test_a_proposer_changing_the_status_is_told_it_is_not_theirs_in_any_phase(draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Mine", text="States should share.", by=people["participant"]
    )
    voting(round_, people)
    refused = client_for(people["participant"]).patch(
        f"/api/v1/clauses/{proposed.id}/", {"version": 1, "status": "agreed"}, format="json"
    )
    assert refused.status_code == 403 and "Only a moderator" in refused.json()["detail"]
