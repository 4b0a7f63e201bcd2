"""The whole path of a participant in a real browser: propose, amend, comment, reply, vote, change the vote."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Amendment, Clause, Comment, Vote
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_amend_comment_reply_vote_and_change_the_vote(page, draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)

    log_in(page, participant.username)
    page.goto(f"/drafts/{draft.slug}/")
    expect(page.locator("[data-testid=round-box]")).to_contain_text("First reading")

    # Propose a clause; a refusal keeps the text.
    page.click("text=Propose a clause")
    page.select_option("select[name=section]", str(clause.section_id))
    page.fill("input[name=title]", "Points of contact")
    page.fill("textarea[name=text]", "States should name a point of contact for ICT incidents.")
    page.click("#propose-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("proposed")
    expect(page.locator("[data-testid=clause-text]")).to_have_text(
        "[States should name a point of contact for ICT incidents.]"
    )
    proposed = Clause.objects.get(title="Points of contact")

    # Amend the agreed clause and read the redline.
    page.goto(f"/clauses/{clause.id}/")
    page.click("text=Amend this clause")
    page.fill("textarea[name=text]", "States must not knowingly allow their territory to be used for wrongful acts.")
    page.fill("textarea[name=rationale]", "A firmer commitment.")
    page.click("#amend-form button[type=submit]")
    expect(page.locator("[data-testid=redline] del")).to_have_text("should")
    expect(page.locator("[data-testid=redline] ins")).to_have_text("must")
    assert Amendment.objects.get().author == participant

    # Comment on selected words of the clause, without a page reload.
    page.goto(f"/clauses/{clause.id}/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("[data-testid=clause-text] p").click(click_count=3)
    expect(page.locator("[data-quote-preview]")).to_be_visible()
    page.fill("#comment-form textarea[name=body]", "Who decides what is known?")
    page.select_option("#comment-form select[name=stance]", "question")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("[data-testid=comment]")).to_have_count(1)
    expect(page.locator("[data-testid=comment] blockquote.quote")).to_contain_text("knowingly allow")
    assert page.evaluate("window.stillTheSamePage") is True

    # Reply in the thread.
    page.click("[data-testid=comment] summary:has-text('Reply')")
    page.fill(".reply-form textarea[name=body]", "The State itself, in good faith.")
    page.click(".reply-form button[type=submit]")
    expect(page.locator(".replies [data-testid=comment-body]")).to_have_text("The State itself, in good faith.")
    assert page.evaluate("window.stillTheSamePage") is True
    assert Comment.objects.filter(parent__isnull=False).count() == 1

    # Voting opens: vote on the proposed clause, then change the vote.
    services.round_start_voting(round_id=round_.id, by=moderator)
    page.goto(f"/clauses/{proposed.id}/")
    page.evaluate("window.stillTheSamePage = true")
    page.click("#vote button[value=yes]")
    expect(page.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted yes")
    page.click("#vote button[value=no]")
    expect(page.locator("[data-testid=my-vote]")).to_contain_text("Your delegation voted no")
    expect(page.locator("#vote button[value=no]")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.stillTheSamePage") is True
    vote = Vote.objects.get()
    assert (vote.choice, vote.stakeholder_group, vote.clause_id) == ("no", "government", proposed.id)
    assert page.problems == [], page.problems
