"""Following, the unread count in the header and reading a notification, in a real browser."""

import pytest
from playwright.sync_api import expect

from drafting import services
from notifications.models import Notification
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_a_clause_see_the_unread_count_and_open_the_notification(page, clause, people):
    observer = people["observer"]
    log_in(page, observer.username)
    page.goto(f"/clauses/{clause.id}/")
    page.click("[data-testid=follow]")
    expect(page.locator("[data-testid=follow]")).to_contain_text("Following")
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)

    services.comment_post(
        by=people["participant"], clause_id=clause.id, body="We propose a stronger verb.", stance="concern"
    )

    page.goto("/")
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")
    page.click("[data-testid=notifications-link]")
    item = page.locator("[data-testid=notification]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("a_participant (")  # named with the organization and group they speak for
    expect(item).to_contain_text(", Government) commented on clause OP1")
    item.locator("button").click()
    page.wait_for_url(f"**/clauses/{clause.id}/**")
    expect(page.locator("[data-testid=comment-body]")).to_have_text("We propose a stronger verb.")
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)
    assert Notification.objects.get(recipient=observer).read_at is not None

    page.goto("/notifications/")
    page.check("input[name=email][value=daily]")
    page.click("#preferences-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Email preference saved.")
    observer.refresh_from_db()
    assert observer.email_preference == "daily"
    assert page.problems == [], page.problems
