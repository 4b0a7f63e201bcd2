"""Rivals settled on purpose, in Chromium at desktop width and at 390 px (issue 23).

Two amendments change "should" in one paragraph and both pass their vote. The moderator opens the
close preview, sees the set with each member's tally, chooses to carry the set over, closes, and the
results show both carried over, neither "Accepted"; side by side still shows them after the close.
"""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Amendment
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import cast, make_voters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
BASE = "States should not knowingly allow their territory to be used for wrongful acts."


@pytest.fixture
def rivals(draft, clause, people):
    clause.text = BASE
    clause.save()
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", hide_tallies_until_close=False)
    services.round_open(round_id=round_.id, by=moderator)

    def amend(word):
        return services.amendment_submit(
            clause_id=clause.id, by=people["participant"], kind="modify", text=BASE.replace("should", word)
        )

    must, shall = amend("must"), amend("shall")
    voters = make_voters(draft, government=3)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, must, {"government": "yyy"})
    cast(voters, shall, {"government": "yyn"})
    return {"round": round_, "clause": clause, "must": must, "shall": shall}


@pytest.mark.parametrize("size", WIDTHS, ids=["desktop", "phone"])
def test_the_chair_carries_a_rival_set_over_from_the_preview(page, rivals, people, size):
    page.set_viewport_size(size)
    log_in(page, people["moderator"].username)
    page.goto(f"/rounds/{rivals['round'].id}/close-preview/")
    rival_set = page.locator("[data-testid=rival-set]")
    expect(rival_set).to_have_count(1)
    members = rival_set.locator("[data-testid=rival-member]")
    expect(members).to_have_count(2)
    expect(members.nth(0).locator("[data-testid=rival-tally]")).to_have_text("3 yes · 0 no · 0 abstain")
    expect(members.nth(1).locator("[data-testid=rival-outcome]")).to_have_text("Superseded")
    rival_set.get_by_label("Carry them all over").check()
    page.get_by_role("button", name="Close now and publish Rev.1").click()
    expect(page.get_by_text("is now closed")).to_be_visible()

    statuses = {a.id: a.status for a in Amendment.objects.filter(round=rivals["round"])}
    assert statuses == {rivals["must"].id: "carried_over", rivals["shall"].id: "carried_over"}
    page.goto(f"/rounds/{rivals['round'].id}/results/")
    for amendment in (rivals["must"], rivals["shall"]):
        row = page.locator("[data-testid=result-row]", has_text=f"Amendment {amendment.id} to clause")
        expect(row.locator("[data-testid=outcome]")).to_have_text("Carried over")
        expect(row).not_to_contain_text("Accepted")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    page.goto(f"/clauses/{rivals['clause'].id}/amendments/compare/")
    expect(page.locator("[data-testid=past-amendment-column]")).to_have_count(2)
    expect(page.locator("[data-testid=past-outcome]").first).to_have_text("Carried over")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert page.problems == [], page.problems
