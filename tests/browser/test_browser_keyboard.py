"""One whole round with the keyboard alone, in a real browser: a moderator creates and opens a round,
a participant amends a clause and comments, the moderator starts voting, the participant votes, the
moderator closes the round and the results show. No mouse and no filling of fields: Tab, Shift+Tab,
Enter, Space, arrows and typing, as someone who cannot use a pointer works.

On every page visited the whole tab sequence is walked: the focus is always visible (an outline or
a shadow), it goes through the controls in reading order, and Tab always moves on (no trap), also in
the parts htmx redraws and inside an opened <details>."""

import pytest
from playwright.sync_api import expect

from drafting.models import Amendment, Comment, Round, Snapshot, Vote
from tests.accounts.factories import PASSWORD
from tests.drafting.factories import show_tallies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a sighted keyboard user and a test need to know of the element that has the focus.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name"),
    value: el.getAttribute("value"),
    type: el.getAttribute("type"),
    text: (el.tagName === "INPUT" || el.tagName === "TEXTAREA" ? el.value : el.innerText || "").trim().slice(0, 80),
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : el.getAttribute("aria-label"),
    order: Array.prototype.indexOf.call(document.getElementsByTagName("*"), el),
    visible: ring || style.boxShadow !== "none",
    invalid: el.getAttribute("aria-invalid"),
    describedby: el.getAttribute("aria-describedby"),
  };
}"""
# A control whose parts each take a Tab of their own (day, month, year, hour...) while it keeps the focus.
SEGMENTED = {"date", "time", "datetime-local", "month", "week"}


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def _must_show(info: dict) -> dict:
    assert info["visible"], f"the focus is not visible on {info}"
    return info


def tab(page, back: bool = False) -> dict | None:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    info = focused(page)
    return info and _must_show(info)


def tab_to(page, match, limit: int = 200) -> dict:
    """Press Tab until the focused element matches ``match(info)``; every stop must show its focus."""
    for _ in range(limit):
        info = tab(page)
        if info and match(info):
            return info
    raise AssertionError(f"Tab never reached the control within {limit} presses")


def button(text):
    return lambda info: info["tag"] == "button" and info["text"] == text


def link(text):
    return lambda info: info["tag"] == "a" and info["text"] == text


def field(name):
    return lambda info: info["name"] == name


def walk_the_page(page, limit: int = 300) -> list[dict]:
    """Tab from the top of the page to its end: each stop shows its focus and comes after the one
    before in reading order, and the walk ends (focus leaves the page or comes round to the first
    control again), so no control keeps the focus; Shift+Tab goes back the same way."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    stops: list[dict] = []
    for _ in range(limit):
        info = tab(page)
        if info is None or (stops and info["order"] == stops[0]["order"]):
            break
        if stops and info["order"] == stops[-1]["order"]:
            assert info["type"] in SEGMENTED, f"Tab did not move on from {info}"
            continue
        if stops:
            assert info["order"] > stops[-1]["order"], f"{info} comes before {stops[-1]} in the page"
        stops.append(info)
        if len(stops) % 4 == 0:  # now and then, Shift+Tab goes back one control and Tab forward again
            back = tab(page, back=True)
            assert back and back["order"] == stops[-2]["order"], (back, stops[-2])
            assert tab(page)["order"] == info["order"]
    else:
        raise AssertionError(f"Tab went round more than {limit} times without leaving the page")
    assert len(stops) > 2, stops
    return stops


def log_in(page, username):
    page.goto("/accounts/login/")
    tab_to(page, field("username"))
    page.keyboard.type(username)
    assert tab(page)["name"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=profile-link]")).to_have_text(username)


def log_out(page):
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, button("Log out"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_a_whole_round_with_the_keyboard_alone(page, draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]

    # The moderator creates a round; a title of spaces is refused and the focus goes to that field.
    log_in(page, moderator.username)
    page.goto(f"/drafts/{draft.slug}/rounds/")
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, field("title"))
    page.keyboard.press("Control+A")
    page.keyboard.type("   ")
    assert tab(page)["name"] == "voting_rule"
    assert tab(page)["name"] == "counting"  # one stop for the radio group; arrows choose within it
    page.keyboard.press("ArrowDown")
    assert tab(page)["name"] == "quorum"
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")  # submits the form from a text field
    expect(page.locator("#round-form .errors")).to_contain_text("This field is required")
    expect(page.locator("#id_title")).to_be_focused()  # static/js/focus.js: to the first field in error
    now = focused(page)
    assert now["invalid"] == "true" and "id_title_error" in now["describedby"].split()
    expect(page.locator("#id_quorum")).to_have_value("1")  # what was typed is kept
    page.keyboard.press("Control+A")
    page.keyboard.type("Keyboard reading")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("“Keyboard reading” created")
    round_ = Round.objects.get(draft=draft, title="Keyboard reading")
    # Its tallies shown as votes come in, so the close preview shows outcomes and its link to the button
    # (a round hiding them, as the form proposes, previews participation only).
    show_tallies(round_)
    assert round_.quorum == 1 and round_.counting == "per_person"

    tab_to(page, link("Open…"))  # asks first, as every move that cannot be taken back
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Open “Keyboard reading”?")
    tab_to(page, button("Open the round"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("is now open")
    log_out(page)

    # The participant amends the clause: the kind is a group of radio buttons, the text is typed anew.
    log_in(page, participant.username)
    page.goto(f"/clauses/{clause.id}/")
    tab_to(page, link("Amend this clause"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Amend clause")
    stops = walk_the_page(page)
    radios = [s for s in stops if s["type"] == "radio"]
    assert len(radios) == 1 and radios[0]["value"] == "modify"  # one stop for the group, on its choice
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, field("text"))
    page.keyboard.press("Control+A")
    page.keyboard.type("States must cooperate.")
    tab_to(page, field("rationale"))
    page.keyboard.type("Firmer")
    tab_to(page, button("Submit amendment"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Amendment submitted")
    amendment = Amendment.objects.get(author=participant)
    assert amendment.new_text == "States must cooperate."

    # A comment posted with htmx: the focus stays on the form's button, and Tab goes on from there.
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, lambda info: info["tag"] == "textarea" and info["label"].startswith("Comment"))
    page.keyboard.type("Clearer now.")
    tab_to(page, button("Post comment"))
    page.evaluate("window.stillTheSamePage = true")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=comment-body]")).to_have_text("Clearer now.")
    expect(page.locator("#comment-form button[type=submit]")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    assert tab(page) is not None  # Tab moves on from the redrawn part
    # The reply opens from its <summary> with Enter; Tab goes into it and on out of it again.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, lambda info: info["tag"] == "summary" and info["text"] == "Reply")
    page.keyboard.press("Enter")
    reply = tab(page)
    assert reply["tag"] == "textarea" and reply["label"] == "Reply"
    walk_the_page(page)  # with the reply open, the walk still comes to the end
    assert Comment.objects.get(author=participant).body == "Clearer now."
    log_out(page)

    # The moderator starts voting from the console, through the page that asks first.
    log_in(page, moderator.username)
    page.goto(f"/rounds/{round_.id}/console/")
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, link("Start voting now…"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Start voting")
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, lambda info: info["tag"] == "button" and info["type"] == "submit" and "voting" in info["text"].lower())
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("is now voting")
    log_out(page)

    # The participant votes on the ballot; the vote is redrawn in place and the focus stays on it.
    log_in(page, participant.username)
    page.goto(f"/rounds/{round_.id}/ballot/")
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    item = page.locator(f"#ballot-amendment-{amendment.id}")
    tab_to(page, lambda info: info["tag"] == "button" and info["value"] == "yes")
    page.keyboard.press("Space")
    expect(item.locator("[data-testid=my-vote]")).to_contain_text("You voted yes")  # this round counts each person
    expect(item.locator("button[value=yes]")).to_have_attribute("aria-pressed", "true")
    tick = item.locator("button[value=yes]").evaluate("(b) => getComputedStyle(b, '::before').content")
    assert "✓" in tick  # the vote cast is marked by more than its colour
    expect(item.locator("button[value=yes]")).to_be_focused()
    assert tab(page)["value"] == "no"  # on from the redrawn vote to the next choice
    assert tab(page, back=True)["value"] == "yes"
    walk_the_page(page)
    assert Vote.objects.get(amendment=amendment, voter=participant).choice == "yes"
    log_out(page)

    # The moderator closes the round from the preview, skipping to its button by the page's own link.
    log_in(page, moderator.username)
    page.goto(f"/rounds/{round_.id}/console/")
    tab_to(page, link("Close now…"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Close")
    walk_the_page(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, link("Go to the close button"))
    page.keyboard.press("Enter")
    closing = tab(page)
    assert closing["tag"] == "button" and closing["text"].startswith("Close now and publish")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("is now closed")
    assert Snapshot.objects.filter(round=round_).exists()

    # The results, reached from the round list: the outcome and its figures are words, not colours.
    tab_to(page, link("results"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Keyboard reading: results")
    row = page.locator("[data-testid=result-row]")
    expect(row.locator("[data-testid=outcome]")).to_have_text("Accepted")
    expect(row).to_contain_text("1 yes · 0 no · 0 abstain")
    walk_the_page(page)
    refused_form = "the server responded with a status of 400"  # the title of spaces, on purpose
    assert [p for p in page.problems if refused_form not in p] == [], page.problems


def test_a_comment_refused_after_htmx_redraws_it_takes_the_focus_to_its_error(page, clause, people):
    """The thread comes back from the server in place (htmx); its error is where the focus goes,
    and the words typed are still in the form."""
    log_in(page, people["participant"].username)
    page.goto(f"/clauses/{clause.id}/")
    # A quote the text no longer shows (as when the clause changed since the words were selected).
    page.evaluate("document.querySelector('#comment-form input[name=quote]').value = 'words long gone'")
    tab_to(page, lambda info: info["tag"] == "textarea" and info["label"].startswith("Comment"))
    page.keyboard.type("As quoted.")
    tab_to(page, button("Post comment"))
    page.keyboard.press("Enter")
    summary = page.locator("#comment-form [data-error-summary]")
    expect(summary).to_contain_text("The quoted words are not in the text.")
    expect(summary).to_be_focused()
    assert _must_show(focused(page))["text"].startswith("The quoted words")
    expect(page.locator("#comment-form textarea[name=body]")).to_have_value("As quoted.")
    assert tab(page) is not None  # and Tab goes on into the form from the error
