"""Irreversible moves ask first, in a real browser: closing shows its preview, and withdrawing,
reverting and hiding each show what they will do, with JavaScript and without it."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Amendment, Clause, Comment, Round
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import cast, make_voters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_moderator_reads_the_preview_cancels_then_closes(page, draft, clause, people):
    moderator = people["moderator"]
    # Tallies shown as votes come in: a round that hides them previews participation only.
    round_ = services.round_create(
        draft=draft, by=moderator, title="First reading", voting_rule="consensus", hide_tallies_until_close=False
    )
    services.round_open(round_id=round_.id, by=moderator)
    must = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    shall = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "shall")
    )
    voters = make_voters(draft, government=1, industry=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    for amendment in (must, shall):
        cast(voters, amendment, {"government": "y", "industry": "y"})

    log_in(page, moderator.username)
    page.goto(f"/rounds/{round_.id}/console/")
    page.click("#move-link")  # Close now…
    expect(page.locator("h1")).to_have_text("Close “First reading”?")
    expect(page.locator("[data-testid=preview-row]")).to_have_count(2)
    expect(page.locator("[data-testid=preview-merge] [data-testid=merge-redline] ins")).to_have_text("must")
    # The two rivals, tied, as a set: the one submitted first is accepted, the other superseded.
    expect(page.locator("[data-testid=rival-set] [data-testid=rival-outcome]")).to_have_text(["Accepted", "Superseded"])
    expect(page.locator("[data-testid=preview-compare-row]")).to_have_count(1)  # the first snapshot adds it
    page.click("#close [data-testid=cancel]")
    expect(page.locator("[data-testid=phase]")).to_have_text("Voting")
    assert Round.objects.get(pk=round_.id).phase == "voting"

    page.click("#move-link")
    page.click("#close button")
    expect(page.locator(".messages")).to_contain_text("is now closed")
    assert Clause.objects.get(pk=clause.pk).text == must.text
    assert Amendment.objects.get(pk=shall.pk).status == "superseded"
    assert page.problems == [], page.problems


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_withdraw_revert_and_hide_ask_first_without_javascript(no_js_page, draft, clause, people):
    page = no_js_page
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="Other words.")
    remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="Nonsense!", stance="oppose")

    log_in(page, participant.username)
    page.goto(f"/amendments/{amendment.id}/")
    page.click("#withdraw-link")
    expect(page.locator("[data-testid=happens]")).to_contain_text("can never be submitted again")
    page.click("[data-testid=cancel]")
    assert Amendment.objects.get(pk=amendment.pk).status == "submitted"
    page.click("#withdraw-link")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Amendment withdrawn.")
    assert Amendment.objects.get(pk=amendment.pk).status == "withdrawn"

    page.context.clear_cookies()
    log_in(page, moderator.username)
    services.clause_update(
        clause_id=clause.id, version=1, by=moderator, title=clause.title, text="Rewritten.", status=None, reason="Draft"
    )
    page.goto(f"/clauses/{clause.id}/")
    revert = page.locator("#revert-form")
    revert.locator("input[name=to_version]").fill("1")
    revert.locator("input[name=reason]").fill("Back to what was agreed")
    revert.locator("button").click()
    expect(page.locator("h1")).to_contain_text("to version 1?")
    expect(page.locator("[data-testid=redline] del")).to_have_text("Rewritten")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Reverted: now version 3.")
    assert Clause.objects.get(pk=clause.pk).text == clause.text

    hide = page.locator(f"#comment-{remark.id} form[action$='/hide/']")
    page.locator(f"#comment-{remark.id} summary", has_text="Hide").click()
    hide.locator("input[name=reason]").fill("Abusive")
    hide.locator("button").click()
    expect(page.locator("blockquote.quote")).to_have_text("Nonsense!")
    expect(page.locator("#confirm-form input[name=reason]")).to_have_value("Abusive")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(f"#comment-{remark.id} .moderation-note")).to_contain_text("Abusive")
    assert Comment.objects.get(pk=remark.pk).hidden
