"""Numbers as voted, in Chromium at desktop width and at 390 px (issue 23).

The round of ``tests/drafting/test_numbers_as_voted.py``: OP2 bis adopted and now OP3, OP2 ter
rejected, an amendment to OP3 (now OP4) accepted. The working text reads OP1..OP5 with no gap, the
rejected paragraph is listed apart under its number, and the results and the ballot cite each item
as voted with its number now.
"""

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import ClauseFactory, SectionFactory
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


@pytest.mark.parametrize("size", WIDTHS, ids=["desktop", "phone"])
def test_a_paragraph_is_placed_after_the_one_chosen_and_a_refused_place_keeps_the_words(page, draft, people, size):
    """Norms holds OP1, OP1 A and OP2, Cooperation OP3. The position offers the chosen section's
    paragraphs only; right after OP1 no number fits (OP1 A follows it), which the form says beside
    the position, keeping the words; after OP1 A the paragraph is OP1 bis and reads there."""
    # The round opens first: opening the first one numbers the original text 1, 2, 3.
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    norms = SectionFactory(draft=draft, title="Norms", position=1)
    cooperation = SectionFactory(draft=draft, title="Cooperation", position=2)
    ClauseFactory(section=norms, number=1, title="Critical infrastructure")
    ClauseFactory(section=norms, number=1, number_suffix=1, title="Supply chains")
    ClauseFactory(section=norms, number=2, title="Vulnerabilities")
    ClauseFactory(section=cooperation, number=3, title="Assistance")

    page.set_viewport_size(size)
    log_in(page, people["participant"].username)
    page.goto(f"/drafts/{draft.slug}/propose/")
    place = page.get_by_label("Position")
    expect(place).to_have_value("")  # the end of the section unless chosen
    section = page.locator("#id_section")
    section.select_option(label="Cooperation")
    expect(place.locator("option", has_text="After OP1: Critical infrastructure")).to_be_disabled()
    expect(place.locator("option", has_text="After OP3: Assistance")).to_be_enabled()
    section.select_option(label="Norms")
    section.focus()
    page.keyboard.press("Tab")  # the position comes next, for the keyboard too
    expect(place).to_be_focused()
    expect(place.locator("option", has_text="After OP3: Assistance")).to_be_disabled()
    place.select_option(label="After OP1: Critical infrastructure")
    page.locator("#id_title").fill("Early warning")
    page.locator("#id_text").fill("States should warn one another early.")
    page.click("#propose-form button[type=submit]")

    field = page.locator(".field.has-error", has=page.locator("#id_after"))
    expect(field).to_contain_text("No number fits between OP1 and OP1 A until a revision renumbers the text")
    expect(place).to_have_attribute("aria-invalid", "true")
    expect(place).to_have_value(str(draft.clauses.get(title="Critical infrastructure").id))
    expect(page.locator("#id_title")).to_have_value("Early warning")
    expect(page.locator("#id_text")).to_have_value("States should warn one another early.")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    place.select_option(label="After OP1 A: Supply chains")
    page.click("#propose-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Clause OP1 bis proposed.")
    page.goto(f"/drafts/{draft.slug}/")
    expect(page.locator("[data-testid=clause] [data-testid=paragraph-ref]")).to_have_text(
        ["OP1", "OP1 A", "OP1 bis", "OP2", "OP3"]
    )
    expect(page.locator("[data-testid=clause]", has_text="OP1 bis")).to_contain_text("Early warning")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    # The refused form's own answer is a 400, which Chromium logs; nothing else went wrong.
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert page.problems == [refused], page.problems


def test_the_manage_page_places_a_moderators_clause_as_the_propose_page_does(page, draft, people):
    """The Manage page's "Add a clause" offers the chosen section's paragraphs as positions, and the
    clause added after OP1 reads as OP1 bis in a round."""
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    norms = SectionFactory(draft=draft, title="Norms", position=1)
    cooperation = SectionFactory(draft=draft, title="Cooperation", position=2)
    ClauseFactory(section=norms, number=1, title="Critical infrastructure")
    ClauseFactory(section=norms, number=2, title="Vulnerabilities")
    ClauseFactory(section=cooperation, number=3, title="Assistance")

    log_in(page, people["moderator"].username)
    page.goto(f"/drafts/{draft.slug}/manage/")
    form = page.locator("#clause-form")
    place = form.get_by_label("Position")
    form.get_by_label("Section").select_option(label="Norms")
    expect(place.locator("option", has_text="After OP3: Assistance")).to_be_disabled()
    place.select_option(label="After OP1: Critical infrastructure")
    form.get_by_label("Title").fill("Early warning")
    form.get_by_label("Text").fill("States should warn one another early.")
    form.get_by_role("button", name="Add clause").click()
    expect(page.locator(".messages")).to_contain_text("Clause OP1 bis added.")
    page.goto(f"/drafts/{draft.slug}/")
    expect(page.locator("[data-testid=clause] [data-testid=paragraph-ref]")).to_have_text(
        ["OP1", "OP1 bis", "OP2", "OP3"]
    )
    assert page.problems == [], page.problems
