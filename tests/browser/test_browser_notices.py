"""Notices that are right, in a real browser at desktop and phone widths: Open is offered only when a
round may open (else shown disabled with the reason) and asks first; reading the notifications page
marks what it showed read; whoever cannot vote is told who they are and how to take part."""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from drafting import services
from drafting.models import Round
from notifications.models import Notification
from tests.browser.test_browser_foundation import log_in
from tests.browser.test_browser_narrow import OVERFLOWING, PHONE
from tests.drafting.factories import propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _fits(page) -> None:
    """Nothing sticks out of the screen sideways (tables scroll in their own box)."""
    assert page.evaluate(OVERFLOWING) == [], page.url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_open_asks_first_the_notifications_page_marks_read_and_an_observer_is_told_why(
    page, draft, clause, people, viewport
):
    page.set_viewport_size(viewport)
    moderator, observer = people["moderator"], people["observer"]
    first = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=first.id, by=moderator)
    second = services.round_create(draft=draft, by=moderator, title="Second reading", voting_rule="consensus")

    # While the first reading is open, the second cannot open: Open is there, disabled, with the reason.
    log_in(page, moderator.username)
    page.goto(f"/drafts/{draft.slug}/rounds/")
    row = page.locator("[data-testid=round]", has_text="Second reading")
    expect(row.get_by_role("button", name="Open…")).to_be_disabled()
    expect(row.locator("[data-testid=move-refused]")).to_have_text(
        "Another round of this draft, “First reading”, is open or voting: close it before opening “Second reading”."
    )
    expect(row.get_by_role("link", name="Open…")).to_have_count(0)
    _fits(page)
    page.goto(f"/rounds/{second.id}/console/")
    expect(page.locator("#move-link")).to_be_disabled()
    expect(page.locator("[data-testid=move-refused]")).to_contain_text("“First reading”, is open or voting")

    # Once it closed, Open asks first; Cancel changes nothing, the button opens the round.
    services.round_start_voting(round_id=first.id, by=moderator)
    services.round_close(round_id=first.id, by=moderator)
    page.goto(f"/drafts/{draft.slug}/rounds/")
    row = page.locator("[data-testid=round]", has_text="Second reading")
    expect(row.locator("[data-testid=move-refused]")).to_have_count(0)
    row.get_by_role("link", name="Open…").click()
    expect(page.locator("h1")).to_have_text("Open “Second reading”?")
    happens = page.locator("[data-testid=happens]")
    expect(happens).to_contain_text("Proposals open: participants may propose clauses and submit amendments")
    expect(happens).to_contain_text("When it votes: Consensus, quorum 0")
    expect(happens).to_contain_text("2 people are told it is open")  # the observer and the participant
    _fits(page)
    page.click("[data-testid=cancel]")
    expect(page.locator("h1")).to_have_text("Consultation rounds")
    assert Round.objects.get(pk=second.pk).phase == "scheduled"
    page.locator("[data-testid=round]", has_text="Second reading").get_by_role("link", name="Open…").click()
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("“Second reading” is now open.")
    assert Round.objects.get(pk=second.pk).phase == "open"
    proposal = propose(draft, clause, people)
    services.round_start_voting(round_id=second.id, by=moderator)
    page.context.clear_cookies()

    # The observer reads their notifications: the page shows them new once, and the count is gone.
    log_in(page, observer.username)
    unread = Notification.objects.filter(recipient=observer, read_at__isnull=True).count()
    assert unread >= 4  # the first reading opened, voting, closed; the second opened, voting
    expect(page.locator("[data-testid=unread-count]")).to_have_text(str(unread))
    page.click("[data-testid=notifications-link]")
    expect(page.locator("[data-testid=notification]")).to_have_count(unread)
    expect(page.locator("[data-testid=notification].unread")).to_have_count(unread)  # shown as they came
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)
    assert not Notification.objects.filter(recipient=observer, read_at__isnull=True).exists()
    _fits(page)
    page.reload()
    expect(page.locator("[data-testid=notification].unread")).to_have_count(0)

    # On the ballot and the clause page: their role, their verified membership, and the way to take part.
    organization = Membership.objects.get(user=observer).organization.name
    page.goto(f"/rounds/{second.id}/ballot/")
    expect(page.locator("[data-testid=ballot-reason]")).to_have_text(
        "Only participants of this draft vote. You observe this draft. "
        f"You are a verified member of {organization} (Government). Ask to take part as a participant."
    )
    _fits(page)
    page.goto(f"/clauses/{proposal.id}/")
    expect(page.locator("[data-testid=vote-refused]")).to_contain_text("You observe this draft.")
    page.click("[data-testid=vote-refused] [data-testid=ask-to-join]")
    expect(page.locator("h1")).to_contain_text("Join")
    expect(page.locator("#id_role option")).to_have_count(1)
    expect(page.locator("#id_role")).to_have_value("participant")
    page.fill("#id_message", "Ministry of ICT, Kenya.")
    page.click("#join-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Your request was sent to the draft's moderators")
    _fits(page)
    assert page.problems == [], page.problems
