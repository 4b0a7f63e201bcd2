"""Sent mail in a real browser: an administrator reads the email a comment sent, at desktop width
and on a 390 px phone, its HTML part in a frame where no script runs."""

import pytest
from django.core.mail import EmailMultiAlternatives
from playwright.sync_api import expect

from drafting import services
from notifications import sent_mail
from notifications import services as notifications
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = "() => document.documentElement.scrollWidth"
SANDBOX_REFUSAL = "Blocked script execution in 'about:srcdoc'"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_administrator_reads_the_email_a_comment_sent(browser, live_server, mail_kept, clause, people, width):
    observer = people["observer"]
    notifications.follow(user=observer, clause=clause)
    services.comment_post(by=people["participant"], clause_id=clause.id, body="We support this.", stance="support")
    [message_id] = sent_mail.message_ids(to=observer.email)

    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    log_in(page, people["admin"].username)
    page.click("[data-testid=sent-mail-link]")
    expect(page.locator("h1")).to_have_text("Sent mail")
    expect(page.locator("[data-testid=mail-delivery]")).to_contain_text("kept as files")
    row = page.locator("[data-testid=sent-message]", has_text=observer.email)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("commented on clause OP1")
    assert page.evaluate(WIDE) <= width

    page.fill("#mail-to", observer.email.upper())
    page.click("[data-testid=mail-filter] button[type=submit]")
    expect(page.locator("[data-testid=sent-message]")).to_have_count(1)
    page.locator("[data-testid=sent-message] a").click()
    page.wait_for_url(f"**/mail/{message_id}/")
    expect(page.locator("[data-testid=mail-subject]")).to_contain_text("commented on clause OP1")
    expect(page.locator("[data-testid=mail-to]")).to_have_text(observer.email)
    expect(page.locator("[data-testid=mail-from]")).to_contain_text("noreply@")
    expect(page.locator("[data-testid=mail-date]")).not_to_be_empty()
    expect(page.locator("[data-testid=mail-text]")).to_contain_text("Unsubscribe from all email: http")
    # The HTML part as a mail program shows it, inside its sandboxed frame.
    frame = page.frame_locator("[data-testid=mail-html]")
    expect(frame.locator("a", has_text="Open it on the platform")).to_be_visible()
    expect(frame.locator("a", has_text="Unsubscribe from all email")).to_be_visible()
    box = page.locator("[data-testid=mail-html]").bounding_box()
    assert box["width"] > 300 and box["x"] + box["width"] <= width
    assert page.evaluate(WIDE) <= width
    # Nothing refused by the Content-Security-Policy, no script error. Chromium reports each script it
    # refuses to run in the sandboxed frame (Playwright tries its own there too): that is the sandbox.
    assert [p for p in problems if not p.startswith(SANDBOX_REFUSAL)] == [], problems
    context.close()


def test_a_script_in_a_kept_message_does_not_run(page, live_server, mail_kept, people):
    message = EmailMultiAlternatives(subject="Hostile", body="Plain.", to=["ada@example.org"])
    message.attach_alternative(
        "<p id=shown>Shown</p><script>parent.document.body.dataset.owned = 'yes';"
        " document.getElementById('shown').textContent = 'Ran';</script>",
        "text/html",
    )
    message.send()
    [message_id] = sent_mail.message_ids()
    log_in(page, people["admin"].username)
    page.goto(f"/mail/{message_id}/")
    expect(page.frame_locator("[data-testid=mail-html]").locator("#shown")).to_have_text("Shown")
    assert page.evaluate("() => document.body.dataset.owned") is None
    # The browser says it blocked the script (the frame is sandboxed); nothing else went wrong.
    assert all(p.startswith(SANDBOX_REFUSAL) for p in page.problems), page.problems
