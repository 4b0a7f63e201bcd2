"""Quoting in a real browser: words selected across bold text and the drawn brackets post and are
highlighted; a selection that runs out of the clause is refused before anything is posted."""

import pytest
from playwright.sync_api import expect

from drafting.markdown import render_markdown
from drafting.models import Comment
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import ClauseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "States **should not** knowingly allow their territory to be used for wrongful acts."

# The viewport point at one side of the first ``char`` in the clause text's text nodes, from ``start``.
POINT = """([char, side, nth]) => {
  const box = document.querySelector("[data-testid=clause-text]");
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let seen = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    let at = node.data.indexOf(char);
    while (at >= 0) {
      if (seen++ === nth) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const rect = range.getBoundingClientRect();
        return {x: side === "before" ? rect.left + 1 : rect.right - 1, y: rect.top + rect.height / 2};
      }
      at = node.data.indexOf(char, at + 1);
    }
  }
  return null;
}"""


def drag(page, start, end):
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move((start["x"] + end["x"]) / 2, end["y"], steps=4)
    page.mouse.move(end["x"], end["y"], steps=4)
    page.mouse.up()


def point(page, char, side, nth=0):
    spot = page.evaluate(POINT, [char, side, nth])
    assert spot is not None, char
    return spot


@pytest.fixture
def bracketed_clause(section):
    return ClauseFactory(
        section=section, number=4, title="Due diligence", status="bracketed", text=TEXT, text_html=render_markdown(TEXT)
    )


def test_quote_across_bold_text_and_brackets_posts_and_is_highlighted(page, bracketed_clause, people):
    log_in(page, people["observer"].username)
    page.goto(f"/clauses/{bracketed_clause.id}/")
    page.evaluate("window.stillTheSamePage = true")
    text = page.locator("[data-testid=clause-text]")
    expect(text).to_have_text("[States should not knowingly allow their territory to be used for wrongful acts.]")

    # Drag with the mouse from before the drawn "[" across the bold words to the end of "allow".
    drag(page, point(page, "[", "before"), point(page, "w", "after", nth=1))
    preview = page.locator("[data-quote-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("[data-quote-text]")).to_have_text("States should not knowingly allow")
    page.fill("#comment-form textarea[name=body]", "Who decides what is known?")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("[data-testid=comment] blockquote.quote")).to_have_text("States should not knowingly allow")
    first = Comment.objects.get()
    assert first.quote == "States should not knowingly allow"

    # The words are highlighted in the text at once (the thread brings the text back), the bold ones
    # inside the bold text, and lead to the comment.
    marks = text.locator("mark.quoted")
    expect(marks).to_have_count(3)
    expect(text.locator("strong mark.quoted")).to_have_text("should not")
    expect(text.locator(".bracket").first).to_have_text("[")
    expect(text.locator(".bracket mark")).to_have_count(0)
    text.locator(f"a.quote-ref[href='#comment-{first.id}']").click()
    assert page.url.endswith(f"#comment-{first.id}")
    assert page.evaluate("window.stillTheSamePage") is True

    # A selection that runs from the clause's heading into its text is refused before posting.
    page.evaluate("window.scrollTo(0, 0)")
    heading = page.locator("h1").bounding_box()
    drag(page, {"x": heading["x"] + 2, "y": heading["y"] + heading["height"] / 2}, point(page, "k", "after"))
    refused = page.locator("[data-quote-refused]")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Select words within the text only")
    expect(preview).to_be_hidden()
    assert page.input_value("#comment-form input[name=quote]") == ""

    # A new selection inside the text, set as a range up to the closing "]", is taken again.
    page.evaluate("""() => {
      const box = document.querySelector("[data-testid=clause-text]");
      const brackets = box.querySelectorAll(".bracket");
      const closing = brackets[brackets.length - 1].firstChild;
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      let start = null;
      while (walker.nextNode()) {
        const at = walker.currentNode.data.indexOf("wrongful");
        if (at >= 0) { start = [walker.currentNode, at]; break; }
      }
      const range = document.createRange();
      range.setStart(start[0], start[1]);
      range.setEnd(closing, 1);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }""")
    expect(refused).to_be_hidden()
    expect(preview.locator("[data-quote-text]")).to_have_text("wrongful acts.")
    page.fill("#comment-form textarea[name=body]", "Which acts?")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("[data-testid=comment]")).to_have_count(2)
    second = Comment.objects.exclude(pk=first.pk).get()
    assert second.quote == "wrongful acts."
    expect(text.locator(f"a.quote-ref[href='#comment-{second.id}']")).to_have_count(1)
    assert page.problems == [], page.problems
