import re
from pathlib import Path

import pytest
from django.conf import settings

from drafting import services
from drafting.models import Clause, DraftMembership, Section
from tests.factories import ClauseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_lists_only_visible_drafts(client, draft, people):
    secret = type(draft).objects.create(
        title="Closed draft", slug="closed", visibility="members", created_by=people["admin"]
    )
    html = client.get("/").content.decode()
    assert draft.title in html and "Closed draft" not in html
    client.force_login(people["moderator"])
    assert "Closed draft" not in client.get("/").content.decode()
    DraftMembership.objects.create(draft=secret, user=people["moderator"], role="observer")
    assert "Closed draft" in client.get("/").content.decode()


def test_draft_page_shows_sections_badges_and_brackets(client, draft, section):
    ClauseFactory(section=section, number=1, title="Agreed norm", text="Agreed words.", status="agreed")
    ClauseFactory(section=section, number=2, title="Open norm", text="Proposed words.", status="proposed")
    html = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "Norms" in html and "Agreed norm" in html
    assert '<p><span class="bracket">[</span>Proposed words.<span class="bracket">]</span></p>' in html
    assert "<p>Agreed words.</p>" in html
    assert 'class="badge status-proposed">Proposed<' in html


def test_members_draft_pages_are_404_for_outsiders(client, draft, clause, people):
    draft.visibility = "members"
    draft.save()
    for user in (None, people["non_member"]):
        if user:
            client.force_login(user)
        assert client.get(f"/drafts/{draft.slug}/").status_code == 404
        assert client.get(f"/clauses/{clause.id}/").status_code == 404
    client.force_login(people["observer"])
    assert client.get(f"/clauses/{clause.id}/").status_code == 200


def test_clause_page_shows_history_and_chosen_diff(client, clause, people):
    moderator = people["moderator"]
    services.clause_update(
        clause_id=clause.id, version=1, by=moderator, text="States must not attack.", reason="Firmer"
    )
    services.clause_update(clause_id=clause.id, version=2, by=moderator, title="Renamed")
    html = client.get(f"/clauses/{clause.id}/?from=1&to=2").content.decode()
    assert "Firmer" in html and html.count('data-testid="history-row"') == 3
    assert (
        "<span>States </span><del>should</del><ins>must</ins><span> not </span>"
        "<del>knowingly allow their territory to be used for wrongful acts</del><ins>attack</ins>"
    ) in html
    assert "Edit (moderator)" not in html  # anonymous readers get no edit form
    missing = client.get(f"/clauses/{clause.id}/?from=1&to=99").content.decode()
    assert "Choose two versions that exist." in missing


def test_edit_on_page_and_conflict_keeps_typed_text(client, clause, people):
    client.force_login(people["moderator"])
    ok = client.post(
        f"/clauses/{clause.id}/edit/",
        {"version": 1, "title": clause.title, "text": "Edited on the page", "status": "agreed", "reason": "Typo"},
        follow=True,
    )
    assert "Saved as a new version." in ok.content.decode()
    stale = client.post(
        f"/clauses/{clause.id}/edit/",
        {"version": 1, "title": clause.title, "text": "My careful wording", "status": "agreed", "reason": ""},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "was changed by someone else" in html and "My careful wording" in html
    assert re.search(r'name="version" value="2"', html)
    clause.refresh_from_db()
    assert clause.text == "Edited on the page"


def test_oversized_text_on_page_is_413_and_kept(client, clause, people):
    client.force_login(people["moderator"])
    text = "x" * (settings.MAX_CLAUSE_TEXT + 1)
    response = client.post(
        f"/clauses/{clause.id}/edit/", {"version": 1, "title": "T", "text": text, "status": "agreed"}
    )
    assert response.status_code == 413
    assert "the limit is 20,000" in response.content.decode() and text in response.content.decode()


def test_participants_cannot_edit_on_page(client, clause, people):
    client.force_login(people["participant"])
    response = client.post(
        f"/clauses/{clause.id}/edit/", {"version": 1, "title": "T", "text": "hijack", "status": "agreed"}
    )
    assert response.status_code == 403
    clause.refresh_from_db()
    assert clause.text != "hijack"


def test_revert_on_page(client, clause, people):
    client.force_login(people["moderator"])
    original = clause.text
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Changed")
    response = client.post(f"/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "Back"}, follow=True)
    assert "Reverted: now version 3." in response.content.decode()
    clause.refresh_from_db()
    assert clause.text == original
    missing = client.post(f"/clauses/{clause.id}/revert/", {"to_version": 99, "reason": "x"})
    assert missing.status_code == 404 and "has no version 99" in missing.content.decode()


def test_manage_page_adds_section_clause_and_member(client, draft, section, people):
    client.force_login(people["participant"])
    assert client.get(f"/drafts/{draft.slug}/manage/").status_code == 403
    client.force_login(people["moderator"])
    client.post(f"/drafts/{draft.slug}/manage/", {"action": "section", "section-title": "Capacity building"})
    assert Section.objects.filter(draft=draft, title="Capacity building").exists()
    created = client.post(
        f"/drafts/{draft.slug}/manage/",
        {
            "action": "clause",
            "clause-section": section.id,
            "clause-title": "Digital divide",
            "clause-text": "Support *capacity*.",
        },
        follow=True,
    )
    assert "Clause 1 added." in created.content.decode()
    assert Clause.objects.get(title="Digital divide").text_html == "<p>Support <em>capacity</em>.</p>\n"
    UserFactory(username="newcomer")
    client.post(
        f"/drafts/{draft.slug}/manage/", {"action": "member", "member-user": "newcomer", "member-role": "observer"}
    )
    assert DraftMembership.objects.get(draft=draft, user__username="newcomer").role == "observer"
    empty = client.post(
        f"/drafts/{draft.slug}/manage/",
        {"action": "clause", "clause-section": section.id, "clause-title": "Kept title", "clause-text": "   "},
    )
    assert empty.status_code == 400 and 'value="Kept title"' in empty.content.decode()


def test_admin_creates_draft_on_page(client, people):
    client.force_login(people["moderator"])
    assert client.get("/drafts/new/").status_code == 403
    client.force_login(people["admin"])
    response = client.post(
        "/drafts/new/", {"title": "Second code", "summary": "", "visibility": "members"}, follow=True
    )
    assert response.status_code == 200 and "Manage" in response.content.decode()


def test_user_html_is_escaped_in_titles_history_and_diff(client, clause, people):
    moderator = people["moderator"]
    services.clause_update(
        clause_id=clause.id,
        version=1,
        by=moderator,
        title="<script>alert(1)</script>",
        text="<img src=x onerror=alert(2)>",
        reason="<b>why</b>",
    )
    html = client.get(f"/clauses/{clause.id}/?from=1&to=2").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>why</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_send_a_strict_content_security_policy(client, draft):
    policy = client.get(f"/drafts/{draft.slug}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_templates_have_no_inline_scripts_handlers_or_styles():
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if path.parent.name in ("exports", "email"):
            continue  # standalone files and emails travel without our stylesheet; no CSP applies to them
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "style=" not in text and "<style" not in text, path
