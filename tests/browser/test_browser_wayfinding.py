"""In a real browser: the draft page's clause cards fill in with counts and one's own vote (htmx,
out of band into the cached text), and the comment filter narrows the thread in place."""

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clause_cards_and_comment_filter(page, draft, clause, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    proposal = propose(draft, clause, people)
    services.comment_post(by=people["observer"], clause_id=clause.id, body="We support it.", stance="support")
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Why now?", stance="question")
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    services.vote_cast(by=people["participant"], choice="no", clause_id=proposal.id)
    log_in(page, people["participant"].username)

    page.goto(f"/drafts/{draft.slug}/")
    card = page.locator(f"#clause-summary-{clause.id}")
    expect(card).to_contain_text("No amendments · 2 comments")
    expect(page.locator(f"#clause-summary-{proposal.id}")).to_contain_text("Your vote: No")

    page.goto(f"/clauses/{clause.id}/")
    page.select_option("[data-testid=comment-filter] select[name=stance]", "question")
    page.click("[data-testid=comment-filter] button[type=submit]")
    expect(page.locator("[data-testid=comment-body]")).to_have_count(1)
    expect(page.locator("[data-testid=comment-body]")).to_have_text("Why now?")
    assert "stance=question" in page.url  # the filtered thread has its own address
    assert not page.problems, page.problems
