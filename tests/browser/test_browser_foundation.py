"""A person in a real browser (Debian's Chromium through Playwright), page by page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership
from drafting import services
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.drafting.factories import ClauseFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_sign_up_with_a_new_organization(page):
    OrganizationFactory(name="Kenya ICT Authority")
    page.goto("/")
    page.click("text=Sign up")
    page.fill("input[name=username]", "amara")
    page.fill("input[name=email]", "amara@example.org")
    page.fill("input[name=password]", "correct horse battery")
    page.fill("input[name=new_organization_name]", "Access for All Network")
    page.select_option("select[name=new_organization_group]", "civil_society")
    page.select_option("select[name=new_organization_country]", "IN")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(r"http://[^/]+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.click("text=Confirm my address")
    # The link confirms and signs nobody in: the person logs in with their password.
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.locator("main")).to_contain_text("Your address is confirmed")
    page.fill("input[name=username]", "amara")
    page.fill("input[name=password]", "correct horse battery")
    page.click("main button[type=submit]")
    page.goto("/accounts/profile/")
    expect(page.locator("h1")).to_have_text("amara")
    expect(page.locator("table.memberships")).to_contain_text("Access for All Network")
    expect(page.locator("table.memberships")).to_contain_text("Pending")
    assert Membership.objects.get(user__username="amara").organization.stakeholder_group == "civil_society"
    assert page.problems == []
    # Opened again, the used link says so (a 400) and still signs nobody in.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("[role=alert]")).to_contain_text("used already")
    page.goto("/accounts/profile/")
    expect(page.locator("h1")).to_have_text("Log in")


def test_sign_up_error_keeps_what_was_typed(page):
    UserFactory(username="taken")
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "taken")
    page.fill("input[name=email]", "someone@example.org")
    page.fill("input[name=password]", "correct horse battery")
    page.fill("input[name=new_organization_name]", "Digital Rights Watch")
    page.click("main button[type=submit]")
    expect(page.locator(".errors").first).to_be_visible()
    expect(page.locator("input[name=email]")).to_have_value("someone@example.org")
    expect(page.locator("input[name=new_organization_name]")).to_have_value("Digital Rights Watch")


def test_log_in_open_the_draft_then_a_clause_and_its_diff(page, draft, people):
    section = SectionFactory(draft=draft, title="Voluntary norms", position=1)
    agreed = ClauseFactory(section=section, number=1, title="Supply chain", text="States should take reasonable steps.")
    ClauseFactory(
        section=section, number=2, title="Vulnerabilities", text="States should report flaws.", status="proposed"
    )
    moderator = people["moderator"]
    services.clause_update(
        clause_id=agreed.id, version=1, by=moderator, text="States shall take reasonable steps.", reason="Firmer"
    )
    services.clause_update(clause_id=agreed.id, version=2, by=moderator, text="States shall take all reasonable steps.")

    log_in(page, people["participant"].username)
    expect(page.locator("[data-testid=profile-link]")).to_have_text(people["participant"].username)
    page.click(f"text={draft.title}")
    expect(page.locator("h1")).to_have_text(draft.title)
    clauses = page.locator("[data-testid=clause]")
    expect(clauses).to_have_count(2)
    # Proposed text is in square brackets; agreed text is not.
    expect(clauses.nth(1).locator(".clause-text")).to_have_text("[States should report flaws.]")
    expect(clauses.nth(0).locator(".clause-text")).to_have_text("States shall take all reasonable steps.")

    page.click("text=1. Supply chain")
    expect(page.locator("[data-testid=history-row]")).to_have_count(3)
    expect(page.locator("[data-testid=redline] ins")).to_have_text("all ")
    # Choosing other versions shows their changes at once (app.js submits the form).
    page.select_option("select[name=from]", "1")
    page.wait_for_url("**from=1**")
    page.select_option("select[name=to]", "2")
    page.wait_for_url("**to=2**")
    expect(page.locator("[data-testid=redline] del")).to_have_text("should")
    expect(page.locator("[data-testid=redline] ins")).to_have_text("shall")
    assert page.problems == [], page.problems  # no CSP violation, no script error


def test_moderator_edits_a_clause_and_a_stale_edit_is_refused_with_text_kept(page, draft, clause, people):
    log_in(page, people["moderator"].username)
    page.goto(f"/clauses/{clause.id}/")
    # Someone else saves first.
    services.clause_update(clause_id=clause.id, version=1, by=people["admin"], text="The admin's wording.")
    page.fill("#edit-form textarea[name=text]", "My own careful wording.")
    page.click("#edit-form button[type=submit]")
    expect(page.locator("#edit-form .errors")).to_contain_text("changed by someone else")
    expect(page.locator("#edit-form textarea[name=text]")).to_have_value("My own careful wording.")
    # Having seen it, saving again goes through as version 3.
    page.click("#edit-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Saved as a new version.")
    expect(page.locator("[data-testid=clause-text]")).to_have_text("My own careful wording.")
    clause.refresh_from_db()
    assert clause.version == 3


def test_a_long_draft_arrives_compressed_and_whole(page, draft):
    """The draft page's text is sent inside a gzip stream assembled from pieces
    (codeofconduct/fragments.py); Chromium must read every clause of it."""
    section = SectionFactory(draft=draft, title="Voluntary norms", position=1)
    for number in range(1, 61):
        ClauseFactory(section=section, number=number, title=f"Norm {number}", text="States should cooperate. " * 30)
    encodings = []
    page.on("response", lambda r: encodings.append(r.headers.get("content-encoding")) if "/drafts/" in r.url else None)
    page.goto(f"/drafts/{draft.slug}/")
    assert encodings == ["gzip"]
    expect(page.locator("[data-testid=clause]")).to_have_count(60)
    expect(page.locator("#clause-op60")).to_contain_text("OP60. Norm 60")
    expect(page.locator("footer")).to_be_visible()
    assert not page.problems
