"""Each action's page door asks the rules: one person it refuses (with the rule's words) and one it lets in.

The API door of every action is swept for every standing and phase in ``test_permission_matrix.py``;
the rules themselves are tested cell by cell in ``test_rules.py``.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils.html import escape

from drafting import rules, services
from tests.accounts.factories import UserFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scene(draft, clause, people):
    """An open round with a participant's proposed clause and amendment, and an observer's comment."""
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New norm", text="States should share.", by=participant
    )
    amendment = services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="Other words")
    note = services.comment_post(by=people["observer"], clause_id=clause.id, body="A question.", stance="question")
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Second version")
    return {"round": round_, "proposed": proposed, "amendment": amendment, "comment": note}


def _message(action, standing):
    subject = rules.Subject(standing, phase="open", state="agreed")
    return rules.refusal(action, subject).message


# name: (method, url, data, headers, (refused standing, status, rule whose words show), (allowed standing, status))
DOORS = {
    "create a draft": ("get", "/drafts/new/", None, {}, ("moderator", 403, "draft_create"), ("admin", 200)),
    "import a draft": ("get", "/drafts/import/", None, {}, ("moderator", 403, "draft_create"), ("admin", 200)),
    "manage a draft": (
        "get",
        "/drafts/{slug}/manage/",
        None,
        {},
        ("participant", 403, "draft_manage"),
        ("moderator", 200),
    ),
    "add a section": (
        "post",
        "/drafts/{slug}/manage/",
        {"action": "section", "section-title": "Annex"},
        {},
        ("participant", 403, "draft_manage"),
        ("moderator", 302),
    ),
    "appoint a member": (
        "post",
        "/drafts/{slug}/manage/",
        {"action": "member", "member-user": "{newcomer}", "member-role": "observer"},
        {},
        ("observer", 403, "draft_manage"),
        ("admin", 302),
    ),
    "propose a clause": (
        "post",
        "/drafts/{slug}/propose/",
        {"section": "{section}", "title": "Due diligence", "text": "States should act."},
        {},
        ("observer", 403, "clause_add"),
        ("participant", 302),
    ),
    "edit a clause": (
        "post",
        "/clauses/{clause}/edit/",
        {"version": "2", "title": "Critical infrastructure", "text": "Third version", "reason": "Editorial"},
        {},
        ("participant", 403, "clause_edit"),
        ("moderator", 302),
    ),
    "revert a clause": (
        "post",
        "/clauses/{clause}/revert/",
        {"to_version": "1", "reason": "Back to the first text"},
        {},
        ("participant", 403, "clause_revert"),
        ("moderator", 302),
    ),
    "amend a clause": (
        "post",
        "/clauses/{clause}/amend/",
        {"kind": "modify", "text": "Better words"},
        {},
        ("observer", 403, "amend"),
        ("participant", 302),
    ),
    "suggest on the words": (
        "post",
        "/clauses/{clause}/suggest/",
        {"version": "2", "quote": "Second", "replacement": "Third"},
        {},
        ("observer", 403, "amend"),
        ("participant", 302),
    ),
    "withdraw an amendment": (
        "post",
        "/amendments/{amendment}/withdraw/",
        {},
        {},
        ("moderator", 403, "amendment_withdraw"),
        ("participant", 302),
    ),
    "comment": (
        "post",
        "/comments/new/",
        {"target_kind": "clause", "target_id": "{clause}", "body": "Agreed.", "stance": "support"},
        HTMX,
        ("non_member", 403, "comment_post"),
        ("observer", 200),
    ),
    "edit a comment": (
        "post",
        "/comments/{comment}/edit/",
        {"body": "A sharper question."},
        HTMX,
        ("participant", 403, "comment_edit"),
        ("observer", 200),
    ),
    "hide a comment": (
        "post",
        "/comments/{comment}/hide/",
        {"reason": "Off topic"},
        HTMX,
        ("participant", 403, "comment_hide"),
        ("moderator", 200),
    ),
    "restore a comment": (
        "post",
        "/comments/{comment}/restore/",
        {},
        HTMX,
        ("observer", 403, "comment_restore"),
        ("moderator", 200),
    ),
    "record a disposition": (
        "post",
        "/comments/{comment}/disposition/",
        {"disposition": "noted"},
        {},
        ("participant", 403, "comment_dispose"),
        ("moderator", 302),
    ),
    "create a round": (
        "post",
        "/drafts/{slug}/rounds/",
        {"title": "Second reading", "voting_rule": "consensus", "quorum": "0", "eligible_groups": ["government"]},
        {},
        ("participant", 403, "round_create"),
        ("moderator", 302),
    ),
    "start voting": (
        "post",
        "/rounds/{round}/start-voting/",
        {},
        {},
        ("participant", 403, "round_start_voting"),
        ("moderator", 302),
    ),
    "open the console": (
        "get",
        "/rounds/{round}/console/",
        None,
        {},
        ("participant", 403, "round_console"),
        ("moderator", 200),
    ),
    "publish a snapshot": (
        "post",
        "/drafts/{slug}/snapshots/",
        {"label": "Chair's text"},
        {},
        ("participant", 403, "snapshot_publish"),
        ("moderator", 302),
    ),
    "vote": (
        "post",
        "/votes/clause/{proposed}/",
        {"choice": "yes"},
        HTMX,
        ("observer", 403, "vote"),
        ("participant", 409),  # the round is open, not voting: the rule's next cell, in its words
    ),
}


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return str(ids[value[1:-1]])
    return value


@pytest.mark.parametrize("door", list(DOORS))
def test_the_page_door_asks_the_rules(door, draft, clause, people, scene, client):
    ids = {
        "slug": draft.slug,
        "clause": clause.id,
        "section": clause.section_id,
        "proposed": scene["proposed"].id,
        "amendment": scene["amendment"].id,
        "comment": scene["comment"].id,
        "round": scene["round"].id,
        "newcomer": UserFactory().username,
    }
    method, url, data, headers, (refused, refused_status, action), (allowed, allowed_status) = DOORS[door]
    url = url.format(**ids)
    data = {k: _fill(v, ids) for k, v in data.items()} if data is not None else None
    for standing, want in ((refused, refused_status), (allowed, allowed_status)):
        client.force_login(people[standing])
        with transaction.atomic():
            cache.clear()
            response = getattr(client, method)(url, data, **headers)
            transaction.set_rollback(True)
        assert response.status_code == want, (door, standing, response.content[:300])
        if standing == refused:
            role = rules.standing(people[standing], draft)
            words = rules.refusal(action, rules.Subject(role, phase="open", state="agreed")) or rules.refusal(
                action, rules.Subject(role, phase="open", state="visible")
            )
            assert escape(words.message) in response.content.decode(), (door, words.message)


def test_a_refused_page_keeps_what_was_typed(client, draft, clause, people, scene):
    """A refusal on a form comes back on the form, with the person's words still in it."""
    client.force_login(people["observer"])
    response = client.post(f"/clauses/{clause.id}/amend/", {"kind": "modify", "text": "My carefully drafted words"})
    assert response.status_code == 403
    assert "My carefully drafted words" in response.content.decode()


def test_a_refused_suggestion_keeps_what_was_typed(client, draft, clause, people, scene):
    client.force_login(people["observer"])
    data = {"version": "2", "quote": "Second", "replacement": "My carefully chosen words"}
    response = client.post(f"/clauses/{clause.id}/suggest/", data)
    assert response.status_code == 403
    assert "My carefully chosen words" in response.content.decode()


def test_outsiders_find_nothing_behind_a_members_only_draft(client, draft, clause, people, scene):
    draft.visibility = "members"
    draft.save()
    client.force_login(people["non_member"])
    for url in (f"/drafts/{draft.slug}/", f"/clauses/{clause.id}/", f"/rounds/{scene['round'].id}/results/"):
        assert client.get(url).status_code == 404
    assert client_for(None).get(f"/api/v1/clauses/{clause.id}/").status_code == 404
