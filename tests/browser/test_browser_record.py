"""The record tells the truth, in Chromium at desktop width and at 390 px (issue 23).

A multistakeholder round run by a moderator who also belongs to a government: the Chair's zero-draft
paragraph, a proposal one group blocks 3 to 1, an item everybody abstained on, and a paragraph adopted
with brackets left. The results draw every bar to scale and say why; the moderator speaks as the
Chair unless they choose their delegation; the preview of a round that hides its tallies shows
participation only.
"""

import pytest
from playwright.sync_api import expect

from drafting import services
from drafting.models import Clause
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import cast, make_voters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.fixture
def decided(draft, clause, people):
    moderator, author = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder")
    services.round_open(round_id=round_.id, by=moderator)

    def proposed(title, text, by=author):
        return services.clause_create(draft=draft, section_id=clause.section_id, title=title, text=text, by=by)

    items = {
        "chairs": proposed("Zero draft", "States should cooperate.", by=moderator),
        "blocked": proposed("Due diligence", "States should take all feasible measures."),
        "abstained": proposed("Capacity", "Participants should build capacity."),
        "review": proposed("Review", "The participants shall review this code every [two] [three] years."),
    }
    voters = make_voters(draft, government=1, industry=2, academia=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, items["chairs"], {"government": "y", "industry": "yy", "academia": "y"})
    cast(voters, items["blocked"], {"government": "n", "industry": "yy", "academia": "y"})
    cast(voters, items["abstained"], {"government": "a", "industry": "aa", "academia": "a"})
    cast(voters, items["review"], {"government": "y", "industry": "yy", "academia": "y"})
    services.round_close(round_id=round_.id, by=moderator)
    return {"round": round_, **items}


@pytest.mark.parametrize("size", WIDTHS, ids=["desktop", "phone"])
def test_results_draw_each_vote_to_scale_and_say_why(page, decided, size):
    page.set_viewport_size(size)
    page.goto(f"/rounds/{decided['round'].id}/results/")
    blocked = page.locator("[data-testid=result-row]", has_text="Due diligence")
    expect(blocked.locator("[data-testid=outcome-reason]")).to_have_text(
        "Government 0-1; the multistakeholder rule needs a majority in every group that voted."
    )
    expect(page.locator("[data-testid=result-row]", has_text="Capacity")).to_contain_text(
        "No votes for or against (4 abstained)."
    )
    expect(page.locator("[data-testid=result-row]", has_text="Review")).to_contain_text("stays bracketed")
    expect(page.locator("[data-testid=result-row]", has_text="Zero draft").locator(".meta").first).to_have_text(
        "the Chair"
    )
    # 3 yes to 1 no: the red part is a quarter of the drawn bar, inside its box, at this width too.
    bar = blocked.locator("svg.tally-bar")
    box = bar.bounding_box()
    yes = bar.locator("rect.bar-yes").bounding_box()
    no = bar.locator("rect.bar-no").bounding_box()
    assert no["width"] > 0 and abs(yes["width"] - 3 * no["width"]) < 2, (yes, no)
    assert no["x"] + no["width"] <= box["x"] + box["width"] + 1, (no, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert page.problems == [], page.problems


def test_a_moderator_chooses_whom_a_proposal_speaks_for(page, draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    page.set_viewport_size(WIDTHS[1])
    log_in(page, moderator.username)
    page.goto(f"/drafts/{draft.slug}/propose/")
    chair = page.get_by_label("As the Chair")
    expect(chair).to_be_checked()
    page.select_option("select[name=section]", str(clause.section_id))
    page.fill("input[name=title]", "For my country")
    page.fill("textarea[name=text]", "States should meet twice a year.")
    page.get_by_label("For my delegation", exact=False).check()
    page.click("#propose-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("proposed")
    assert not Clause.objects.get(title="For my country").proposed_as_chair
    page.goto(f"/drafts/{draft.slug}/propose/")
    page.select_option("select[name=section]", str(clause.section_id))
    page.fill("input[name=title]", "As Chair")
    page.fill("textarea[name=text]", "States should meet yearly.")
    page.click("#propose-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("the Chair")
    assert Clause.objects.get(title="As Chair").proposed_as_chair
    assert page.problems == [], page.problems


def test_a_round_hiding_its_tallies_previews_participation_only(page, draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Due diligence", text="Words.", by=people["participant"]
    )
    voters = make_voters(draft, government=2)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, proposal, {"government": "yn"})
    log_in(page, moderator.username)
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.goto(f"/rounds/{round_.id}/close-preview/")
        expect(page.locator("[data-testid=preview-notice]")).to_contain_text("from you too")
        expect(page.locator("[data-testid=preview-row]")).to_contain_text("Due diligence")
        expect(page.locator("main")).not_to_contain_text("1 yes")
        expect(page.locator(".tally-bar")).to_have_count(0)
    page.click("#close button")
    expect(page.locator(".messages")).to_contain_text("is now closed")
    assert page.problems == [], page.problems
