"""A moderator runs a round from the console in a real browser, then everyone reads the results."""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import CommentDisposition, Snapshot
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import cast, make_voters, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_runs_a_round_from_the_console_and_results_show_each_group(page, draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="Keep it short.", stance="concern")
    voters = make_voters(draft, government=2, industry=2)

    log_in(page, moderator.username)
    page.goto(f"/rounds/{round_.id}/console/")
    expect(page.locator("[data-testid=phase]")).to_have_text("Open")
    expect(page.locator("[data-testid=queue-row]")).to_contain_text("Keep it short.")
    page.click("#move-link")  # Start voting now…: asks first
    expect(page.locator("h1")).to_contain_text("Start voting in")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("is now voting")

    cast(voters, proposal, {"government": "yy", "industry": "yn"})
    page.goto(f"/rounds/{round_.id}/console/")
    expect(page.locator("[data-testid=participation]")).to_contain_text("Industry")
    row = page.locator("[data-testid=participation] tr", has_text="Industry")
    expect(row.locator("td").nth(2)).to_have_text("2")  # both industry voters voted

    disposition = page.locator("[data-testid=queue-row]").first.locator(".disposition-form")
    disposition.locator("select[name=disposition]").select_option("partly_accepted")
    disposition.locator("input[name=reason]").fill("Shortened in Rev.1")
    disposition.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("Disposition recorded")
    assert CommentDisposition.objects.get(comment=remark).disposition == "partly_accepted"

    page.click("#move-link")  # Close now…: the preview, then its button
    expect(page.locator("[data-testid=preview-row]")).to_have_count(1)
    page.click("#close button")
    expect(page.locator(".messages")).to_contain_text("is now closed")
    assert Snapshot.objects.get(round=round_).label == "Rev.1"

    # Anyone reads the results: 3 yes to 1 no overall, industry split 1-1 so no majority there.
    page.goto(f"/rounds/{round_.id}/results/")
    results = page.locator("[data-testid=result-row]")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("rejected", ignore_case=True)
    expect(page.locator("[data-testid=group-row]")).to_have_count(2)
    expect(page.locator("[data-testid=group-row]", has_text="industry").locator("svg")).to_have_attribute(
        "aria-label", "1 yes, 1 no, 0 abstain"
    )
    expect(page.locator("[data-testid=dispositions]")).to_contain_text("Shortened in Rev.1")
    page.click("text=Rev.1")
    expect(page.locator("h1")).to_contain_text("Rev.1")
    assert page.problems == [], page.problems
