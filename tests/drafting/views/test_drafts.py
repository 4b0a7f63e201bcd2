"""The home, draft and manage pages, and what every page sends."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from drafting.models import Clause, DraftMembership, Section
from tests.accounts.factories import UserFactory
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


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
    assert "Clause OP1 added." in created.content.decode()
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


def test_manage_page_places_a_new_clause_where_the_moderator_chose(client, draft, section, people):
    first = ClauseFactory(section=section, number=1, title="First norm")
    ClauseFactory(section=section, number=2, title="Second norm")
    client.force_login(people["moderator"])
    page = client.get(f"/drafts/{draft.slug}/manage/").content.decode()
    assert 'name="clause-after"' in page and "After OP1: First norm" in page
    placed = client.post(
        f"/drafts/{draft.slug}/manage/",
        {
            "action": "clause",
            "clause-section": section.id,
            "clause-after": first.id,
            "clause-title": "Between the two",
            "clause-text": "Inserted words.",
        },
        follow=True,
    )
    assert "Clause OP1 bis added." in placed.content.decode()
    refused = client.post(
        f"/drafts/{draft.slug}/manage/",
        {
            "action": "clause",
            "clause-section": section.id,
            "clause-after": "999999",
            "clause-title": "Kept title",
            "clause-text": "Kept words.",
        },
    )
    assert refused.status_code == 400 and 'value="Kept title"' in refused.content.decode()


def test_admin_creates_draft_on_page(client, people):
    client.force_login(people["moderator"])
    assert client.get("/drafts/new/").status_code == 403
    client.force_login(people["admin"])
    response = client.post(
        "/drafts/new/", {"title": "Second code", "summary": "", "visibility": "members"}, follow=True
    )
    assert response.status_code == 200 and "Manage" in response.content.decode()


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


def test_draft_page_shows_the_round_and_propose_link(client, draft, section, people, round_):
    client.force_login(people["participant"])
    html = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "First reading" in html and "Propose a clause" in html
