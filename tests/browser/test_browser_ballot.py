"""The ballot and competing amendments side by side, in a real browser: voting in place, on a phone too."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Vote
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import ClauseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "States should notify " + "cross-border-incident-reporting-obligations " * 6 + "without delay."


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_vote_twice_from_the_ballot_and_compare_amendments_on_a_phone(page, draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = ClauseFactory(section=clause.section, number=2, status="proposed", title="Contacts", text=LONG)
    must = services.amendment_submit(
        clause_id=clause.id, by=participant, kind="modify", text=clause.text.replace("should", "must")
    )
    services.amendment_submit(
        clause_id=clause.id, by=moderator, kind="modify", text=clause.text.replace("should", "shall")
    )
    services.round_start_voting(round_id=round_.id, by=moderator)

    log_in(page, participant.username)
    page.goto(f"/drafts/{draft.slug}/")
    page.click("[data-testid=ballot-link]")
    progress = page.locator("[data-testid=ballot-progress]")
    expect(progress).to_contain_text("0 of 3 voted")
    page.evaluate("window.stillTheSamePage = true")

    row = page.locator(f"#ballot-clause-{proposed.id}")
    row.locator("button[value=yes]").click()
    expect(row.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted yes")
    expect(progress).to_contain_text("1 of 3 voted")
    amendment_row = page.locator(f"#ballot-amendment-{must.id}")
    amendment_row.locator("button[value=no]").click()
    expect(amendment_row.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted no")
    expect(amendment_row.locator("button[value=no]")).to_have_attribute("aria-pressed", "true")
    expect(progress).to_contain_text("2 of 3 voted")
    # Changing a vote does not count twice.
    row.locator("button[value=abstain]").click()
    expect(row.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted abstain")
    expect(progress).to_contain_text("2 of 3 voted")
    assert page.evaluate("window.stillTheSamePage") is True
    assert {(v.clause_id, v.amendment_id, v.choice) for v in Vote.objects.all()} == {
        (proposed.id, None, "abstain"),
        (None, must.id, "no"),
    }

    # The two competing amendments side by side, voted on from there.
    page.goto(f"/clauses/{clause.id}/")
    page.click("[data-testid=compare-amendments]")
    expect(page.locator("[data-testid=amendment-column]")).to_have_count(2)
    column = page.locator(f"#amendment-{must.id}")
    expect(column.locator("[data-testid=redline] ins")).to_have_text("must")
    expect(column.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted no")
    column.locator("button[value=yes]").click()
    expect(column.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted yes")
    assert Vote.objects.get(amendment=must).choice == "yes"

    # On a 390 px phone the columns stack and nothing runs off the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_horizontal_overflow(page)
    boxes = [c.bounding_box() for c in page.locator(".side-column").all()]
    assert len({round(b["x"]) for b in boxes}) == 1  # one above the other
    page.goto(f"/rounds/{round_.id}/ballot/")
    expect(progress).to_contain_text("2 of 3 voted")
    assert _no_horizontal_overflow(page)
    assert page.problems == [], page.problems
