"""One voice per delegation and the Chair's reminders, in a real browser, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Round, Vote, VoteReminder
from notifications.models import Notification
from tests.browser.test_browser_foundation import log_in
from tests.drafting.test_one_voice import delegation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_colleagues_share_one_vote_and_the_chair_reminds_those_behind(page, draft, clause, people, size):
    page.set_viewport_size(SIZES[size])
    moderator = people["moderator"]
    log_in(page, moderator.username)
    page.goto(f"/drafts/{draft.slug}/rounds/")
    # A new round counts one voice per delegation unless the Chair chooses otherwise.
    expect(page.locator("input[name=counting][value=per_delegation]")).to_be_checked()
    page.click("#round-form button[type=submit]")
    expect(page.locator("[data-testid=round-counting]").first).to_have_text("One voice per delegation")
    round_ = Round.objects.get(draft=draft)
    assert round_.counting == "per_delegation"
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    first, second = delegation(draft, 2, name="Borduria")
    delegation(draft, 1, "industry", name="Carpathia Telecom")
    services.round_start_voting(round_id=round_.id, by=moderator)

    page.context.clear_cookies()
    log_in(page, first.username)
    page.goto(f"/rounds/{round_.id}/ballot/")
    expect(page.locator("[data-testid=ballot-voice]")).to_contain_text("One voice per delegation")
    row = page.locator(f"#ballot-clause-{proposal.id}")
    row.locator("button[value=yes]").click()
    expect(row.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted yes")
    assert _fits(page)

    page.context.clear_cookies()
    log_in(page, second.username)
    page.goto(f"/rounds/{round_.id}/ballot/")
    row = page.locator(f"#ballot-clause-{proposal.id}")
    expect(row.locator("button[value=yes]")).to_have_attribute("aria-pressed", "true")  # the colleague's vote
    row.locator("button[value=no]").click()
    expect(row.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted no")
    vote = Vote.objects.get(clause=proposal)
    assert (vote.voter_id, vote.choice, vote.history.count()) == (second.id, "no", 2)

    page.context.clear_cookies()
    log_in(page, moderator.username)
    page.goto(f"/rounds/{round_.id}/console/")
    page.click("[data-testid=turnout-link]")
    delegations = page.locator("[data-testid=turnout-delegation]")
    expect(delegations.filter(has_text="Carpathia Telecom")).to_contain_text("0 of 1")
    expect(delegations.filter(has_text="Borduria")).to_contain_text("1 of 1")
    page.locator("[data-testid=turnout-item]").first.get_by_role("link", name="who has not").click()
    expect(page.locator("[data-testid=not-voted]")).to_contain_text("Carpathia Telecom")
    expect(page.locator("[data-testid=not-voted]")).not_to_contain_text("Borduria")
    assert _fits(page)
    page.locator("[data-testid=remind-all] button").click()
    expect(page.locator(".messages")).to_contain_text("delegations reminded")
    expect(page.locator("[data-testid=remind-all] button")).to_be_disabled()
    reminded = set(VoteReminder.objects.filter(round=round_).values_list("organization__name", flat=True))
    assert "Carpathia Telecom" in reminded and "Borduria" not in reminded
    assert (
        Notification.objects.filter(kind="vote_reminder")
        .exclude(recipient__memberships__organization__name="Borduria")
        .exists()
    )
    assert page.problems == []
