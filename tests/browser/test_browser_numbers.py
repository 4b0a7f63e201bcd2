"""Numbers as voted, in Chromium at desktop width and at 390 px (issue 23).

The round of ``tests/drafting/test_numbers_as_voted.py``: OP2 bis adopted and now OP3, OP2 ter
rejected, an amendment to OP3 (now OP4) accepted. The working text reads OP1..OP5 with no gap, the
rejected paragraph is listed apart under its number, and the results and the ballot cite each item
as voted with its number now.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser_foundation import log_in
from tests.drafting.test_numbers_as_voted import voted  # noqa: F401 - the round, as a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("size", WIDTHS, ids=["desktop", "phone"])
def test_the_record_cites_each_item_as_voted_and_the_text_reads_without_gaps(page, voted, draft, size):  # noqa: F811
    page.set_viewport_size(size)
    page.goto(f"/drafts/{draft.slug}/")
    expect(page.locator("[data-testid=clause] [data-testid=paragraph-ref]")).to_have_text(
        ["OP1", "OP2", "OP3", "OP4", "OP5"]
    )
    expect(page.locator("[data-testid=clause]", has_text="Sanctions")).to_have_count(0)
    left = page.locator("[data-testid=left-the-text]")
    left.locator("summary").click()
    expect(left).to_contain_text("OP2 ter Sanctions")
    expect(left.get_by_role("link", name="OP2 ter Sanctions")).to_be_visible()

    page.goto(f"/rounds/{voted['round'].id}/results/")
    expect(page.locator("[data-testid=result-row]", has_text="Early warning")).to_contain_text(
        "Clause OP2 bis, now OP3: Early warning"
    )
    expect(page.locator("[data-testid=result-row]", has_text="Sanctions")).to_contain_text("Clause OP2 ter: Sanctions")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    log_in(page, voted["voters"]["government"][0].username)
    page.goto(f"/rounds/{voted['round'].id}/ballot/")
    expect(page.locator("[data-testid=ballot-number]")).to_contain_text(["OP2 bis, now OP3", "OP2 ter", "OP3, now OP4"])
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert page.problems == [], page.problems
