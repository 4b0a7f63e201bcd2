"""A redline is heard as well as seen: a screen reader is told "deleted: … end of deletion" and
"inserted: … end of insertion" around each change, and those words, hidden from the eye, never
become part of a quote selected from the redline."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Comment
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT_THE_REDLINE = """() => {
  const redline = document.querySelector("#quotable-text");
  const range = document.createRange();
  range.selectNodeContents(redline);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_the_redline_speaks_its_changes_and_a_quote_from_it_keeps_only_the_seen_words(page, draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    log_in(page, people["observer"].username)
    page.goto(f"/amendments/{amendment.id}/")
    redline = page.locator("[data-testid=redline]")
    expect(redline.locator("del")).to_have_text("should")
    expect(redline.locator("ins")).to_have_text("must")
    # What the accessibility tree reads: the change announced, before and after.
    heard = " ".join(redline.evaluate("(p) => p.innerText").split())
    assert "deleted: should end of deletion inserted: must end of insertion" in heard
    # ...and what the eye sees: the announcements take no room on the screen.
    boxes = redline.locator(".visually-hidden").evaluate_all(
        "(spans) => spans.map((s) => s.getBoundingClientRect().width)"
    )
    assert boxes and all(width <= 1 for width in boxes)

    page.evaluate(SELECT_THE_REDLINE)
    seen = "States should must not knowingly allow their territory to be used for wrongful acts."
    expect(page.locator("[data-quote-text]")).to_have_text(seen)
    page.fill("#comment-form textarea[name=body]", "Which verb?")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("[data-testid=comment-body]")).to_have_text("Which verb?")
    assert Comment.objects.get().quote == seen
    assert page.problems == [], page.problems
