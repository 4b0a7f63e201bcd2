"""A delegate back after a week sees what changed since their last visit, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from drafting import services
from drafting.models import DraftVisit
from tests.browser.test_browser_foundation import log_in
from tests.drafting.test_changes import backdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_back_after_a_week_the_delegate_catches_up_and_marks_it_seen(page, draft, clause, people):
    delegate = people["participant"]
    backdate(draft, 30)  # the draft as it stood a month ago
    log_in(page, delegate.username)
    page.goto(f"/drafts/{draft.slug}/")
    expect(page.locator("[data-testid=catch-up]")).to_have_count(0)

    # A week of capital consultations passes; meanwhile the chair rewords the clause.
    DraftVisit.objects.filter(user=delegate, draft=draft).update(seen_at=timezone.now() - timedelta(days=7))
    services.clause_update(
        clause_id=clause.id,
        version=1,
        by=people["moderator"],
        text="States should not knowingly allow their territory to be used for malicious acts.",
        reason="Chair's proposal",
    )

    page.goto(f"/drafts/{draft.slug}/")
    banner = page.locator("[data-testid=catch-up]")
    expect(banner).to_contain_text("1 clause changed since your last visit")
    banner.locator("a").click()
    page.wait_for_url(f"**/drafts/{draft.slug}/changes/")
    change = page.locator("[data-testid=clause-change]")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("OP1. Critical infrastructure")
    expect(change).to_contain_text("Chair's proposal")
    redline = change.locator("[data-testid=changes-redline]")
    expect(redline.locator("del")).to_have_text("wrongful")
    expect(redline.locator("ins")).to_have_text("malicious")

    page.click("[data-testid=mark-seen]")
    page.wait_for_url(f"**/drafts/{draft.slug}/")
    expect(page.locator(".messages")).to_contain_text("marked as seen")
    expect(page.locator("[data-testid=catch-up]")).to_have_count(0)
    page.reload()
    expect(page.locator("[data-testid=catch-up]")).to_have_count(0)
    assert page.problems == [], page.problems
