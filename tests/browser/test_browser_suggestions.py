"""Suggesting on the words in a real browser, at desktop width and at 390 px: a delegate selects three
words with the keyboard alone (Shift and the arrow keys in the paragraph's text), types what replaces
them and sees the suggestion inline; with the mouse, words selected in the paragraph as shown (across
bold text) fill in the form the same way."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.markdown import render_markdown
from drafting.models import Amendment
from tests.browser.test_browser_keyboard import field, focused, log_in, tab, tab_to
from tests.browser.test_browser_quotes import drag, point
from tests.drafting.factories import ClauseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "States should not knowingly allow their territory to be used for wrongful acts."
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def round_(draft, people):
    """An open first reading: amendments may be proposed."""
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


@pytest.mark.parametrize("size", SIZES)
def test_a_delegate_changes_three_words_with_the_keyboard(page, clause, people, round_, size):
    page.set_viewport_size(SIZES[size])
    log_in(page, people["participant"].username)
    page.goto(f"/clauses/{clause.id}/")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, lambda info: info["tag"] == "summary" and info["text"].startswith("Suggest a change to the words"))
    page.keyboard.press("Enter")
    assert tab(page)["id"] == "suggest-text"
    page.keyboard.type("x")  # the paragraph's text is there to select in, not to change
    expect(page.locator("#suggest-text")).to_have_value(TEXT)
    page.keyboard.press("Control+Home")
    for _ in range(len("States should ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("not knowingly allow")):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#suggest-form input[name=quote]")).to_have_value("not knowingly allow")
    expect(page.locator("[data-suggest-chosen]")).to_contain_text("not knowingly allow")
    assert tab_to(page, field("quote"))["text"] == "not knowingly allow"
    assert tab(page)["name"] == "replacement"
    page.keyboard.type("never allow")
    page.keyboard.press("Enter")

    suggestion = page.locator("[data-testid=suggestion]")
    expect(suggestion).to_have_count(1)
    expect(suggestion.locator("del")).to_have_text("not knowingly")
    expect(suggestion.locator("ins")).to_have_text("never")
    expect(suggestion).to_contain_text("suggested by a_participant")
    amendment = Amendment.objects.get()
    assert amendment.text == TEXT.replace("not knowingly allow", "never allow")
    assert page.url.endswith(f"#suggestion-{amendment.id}")
    box = suggestion.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    assert focused(page) is None or focused(page)["visible"]
    assert page.problems == [], page.problems


def test_words_selected_with_the_mouse_across_bold_text_fill_in_the_form(page, section, people, round_):
    text = "States **should not** knowingly allow their territory to be used for wrongful acts."
    clause = ClauseFactory(section=section, number=3, title="Due diligence", text=text, text_html=render_markdown(text))
    log_in(page, people["participant"].username)
    page.goto(f"/clauses/{clause.id}/")
    drag(page, point(page, "n", "before", nth=0), point(page, "w", "after", nth=1))  # "not knowingly allow"
    chosen = page.locator("[data-suggest-chosen]")
    expect(chosen).to_contain_text("not knowingly allow")
    page.locator("#suggest summary").click()
    page.fill("#suggest-form input[name=replacement]", "never allow")
    page.locator("#suggest-form button[type=submit]").click()
    expect(page.locator("[data-testid=suggestion] ins")).to_have_text("never")
    # The bold stays on the word left of it.
    assert Amendment.objects.get().text == "States **should** never allow their territory to be used for wrongful acts."
    assert page.problems == [], page.problems
