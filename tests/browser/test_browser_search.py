"""In a real browser: a delegate searches from the header of a draft page, reads the hits grouped
by kind with the words marked, narrows them, and follows a hit; an outsider finds nothing of a
members-only draft."""

import re

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Visibility
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import ClauseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "States should not conduct ICT activity that damages critical infrastructure providing services."


def test_search_from_the_header_and_follow_a_hit(page, draft, section, people):
    norm = ClauseFactory(section=section, number=1, title="Protection of infrastructure", text=TEXT)
    services.comment_post(by=people["observer"], clause_id=norm.id, body="Critical infrastructure needs a definition.")
    log_in(page, people["participant"].username)

    page.goto(f"/drafts/{draft.slug}/")
    box = page.get_by_role("search").get_by_label("Search this draft")
    box.fill('"critical infrastructure"')
    box.press("Enter")

    expect(page.get_by_test_id("search-count")).to_contain_text('2 hits for “"critical infrastructure"”')
    clauses = page.get_by_test_id("hit-group-clause")
    expect(clauses.get_by_role("heading")).to_contain_text("Clauses")
    expect(clauses.get_by_test_id("snippet").locator("mark").first).to_contain_text("critical", ignore_case=True)
    expect(page.get_by_test_id("hit-group-comment")).to_contain_text("needs a definition")
    # The search stays in the draft it started from, and the box keeps the words.
    expect(page.locator("#search-draft")).to_have_value(draft.slug)
    expect(page.locator("#site-search-q")).to_have_value('"critical infrastructure"')

    page.select_option("#search-kind", "comment")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("hit")).to_have_count(1)
    page.get_by_test_id("hit-link").click()
    expect(page).to_have_url(re.compile(rf"/clauses/{norm.id}/#comment-{norm.comments.get().id}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protection of infrastructure")
    assert not page.problems, page.problems


def test_an_empty_search_says_what_to_type_and_an_outsider_finds_no_members_only_text(page, draft, section, people):
    ClauseFactory(section=section, number=1, title="Secret norm", text=TEXT)
    draft.visibility = Visibility.MEMBERS
    draft.save()
    log_in(page, people["non_member"].username)
    page.goto("/search/?q=")
    expect(page.get_by_test_id("search-error")).to_have_text("Type a word or a phrase to search for.")
    expect(page.locator("#search-q")).to_have_attribute("aria-invalid", "true")
    page.locator("#search-q").fill("critical")
    page.locator("#search-q").press("Enter")
    expect(page.get_by_test_id("no-hits")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Secret norm")
