"""A whole round as delegates and a moderator run it in the browser: the ballot, the competing
amendments side by side, and the preview before closing, at a desk's width and a phone's."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from drafting import services
from drafting.models import Amendment, Clause, Snapshot
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.test_browser_foundation import log_in
from tests.drafting.factories import ClauseFactory, DraftMembershipFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "negotiation"
WIDTHS = {"desk": (1280, 900), "phone": (390, 844)}
BASE = "States should not conduct or knowingly support activity that damages critical infrastructure."
FIRST = "States should not conduct or intentionally support activity that damages critical infrastructure."
SECOND = "States should not conduct or support activity that damages critical infrastructure."  # competes


def delegate(draft, name, organization, group):
    user = UserFactory(username=name)
    MembershipFactory(user=user, organization__name=organization, organization__stakeholder_group=group)
    DraftMembershipFactory(draft=draft, user=user, role="participant")
    return user


def looked_at(page, name):
    """Screenshot the page at both widths; at each, nothing may stick out sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow} px wide at {width} px"
        shot = SHOTS / f"{name}-{width_name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    page.set_viewport_size({"width": 1280, "height": 900})


def vote_on(page, item, choice):
    row = page.locator(f"[data-item='{item}']")
    row.get_by_role("button", name=choice, exact=True).click()
    expect(row.locator("[data-testid=my-vote]")).to_contain_text(f"Your delegation voted {choice.lower()}")


def test_three_delegations_and_a_moderator_run_a_round_in_the_browser(browser, live_server, draft, people):
    moderator = people["moderator"]
    norms = SectionFactory(draft=draft, title="Norms", position=1)
    cooperation = SectionFactory(draft=draft, title="Cooperation", position=2)
    target = ClauseFactory(section=norms, number=1, title="Critical infrastructure", text=BASE)
    ClauseFactory(section=cooperation, number=2, title="Assistance", text="States should respond to requests.")
    brazil = delegate(draft, "ana", "Brazil", "government")
    acme = delegate(draft, "ben", "Acme Networks", "industry")
    watch = delegate(draft, "chloe", "Cyber Peace Watch", "civil_society")

    services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    # Tallies shown as votes come in, so the preview can tell the outcomes (tests/browser/test_browser_record.py
    # holds the preview of a round that hides them).
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", hide_tallies_until_close=False)
    services.round_open(round_id=round_.id, by=moderator)
    first = services.amendment_submit(clause_id=target.id, by=brazil, kind="modify", text=FIRST)
    second = services.amendment_submit(clause_id=target.id, by=acme, kind="modify", text=SECOND)
    inserted = services.clause_create(
        draft=draft, section_id=norms.id, title="Due diligence", text="States should act on notice.", by=watch
    )
    assert inserted.label == "1 bis"  # inserted after clause 1: clause 2 keeps its number while cited

    def signed_in(user):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        log_in(page, user.username)
        return page

    # The moderator starts voting from the console, through its confirmation.
    chair = signed_in(moderator)
    chair.goto(f"/rounds/{round_.id}/console/")
    chair.click("#move-link")
    expect(chair.locator("[data-testid=confirm]")).to_be_visible()
    chair.locator("#confirm-form button[type=submit]").click()
    expect(chair.locator(".messages")).to_contain_text("is now voting")

    # Brazil finds the ballot from the draft page and votes on every item in place.
    ana = signed_in(brazil)
    ana.goto(f"/drafts/{draft.slug}/")
    ana.click("[data-testid=ballot-link]")
    progress = ana.locator("[data-testid=ballot-progress]")
    expect(progress).to_contain_text("0 of 3 voted")
    numbers = ana.locator("[data-testid=ballot-number]").all_inner_texts()
    assert numbers == ["OP1", "OP1", "OP1 bis"]  # reading order: clause 1's amendments, then the inserted clause
    expect(ana.locator(f"[data-item='amendment-{first.id}'] [data-testid=ballot-by]")).to_contain_text(
        "Brazil (Government)"
    )
    vote_on(ana, f"amendment-{first.id}", "Yes")
    vote_on(ana, f"amendment-{second.id}", "No")
    vote_on(ana, f"clause-{inserted.id}", "Yes")
    expect(progress).to_contain_text("3 of 3 voted")
    ana.reload()
    expect(progress).to_contain_text("3 of 3 voted")  # the votes were saved, not only drawn
    looked_at(ana, "ballot")

    # Acme weighs the two competing texts side by side and votes from there.
    ben = signed_in(acme)
    ben.goto(f"/rounds/{round_.id}/ballot/")
    ben.locator(f"[data-item='amendment-{second.id}']").get_by_role("link", name="side by side").click()
    expect(ben.locator("[data-testid=base-text]")).to_contain_text("knowingly support")
    columns = ben.locator("[data-testid=amendment-column]")
    expect(columns).to_have_count(2)
    expect(columns.nth(0).locator("ins")).to_have_text("intentionally")
    expect(columns.nth(1).locator("del")).to_contain_text("knowingly")
    expect(columns.nth(1)).to_contain_text("Acme Networks (Industry)")
    looked_at(ben, "side-by-side")
    for column, choice in ((columns.nth(0), "Yes"), (columns.nth(1), "No")):
        column.get_by_role("button", name=choice, exact=True).click()
        expect(column.locator("[data-testid=my-vote]")).to_contain_text(f"Your delegation voted {choice.lower()}")
    ben.goto(f"/rounds/{round_.id}/ballot/")
    expect(ben.locator("[data-testid=ballot-progress]")).to_contain_text("2 of 3 voted")
    vote_on(ben, f"clause-{inserted.id}", "Yes")
    expect(ben.locator("[data-testid=ballot-progress]")).to_contain_text("3 of 3 voted")

    # Civil society changes its mind once: the ballot keeps one vote per item.
    chloe = signed_in(watch)
    chloe.goto(f"/rounds/{round_.id}/ballot/")
    vote_on(chloe, f"amendment-{first.id}", "No")
    vote_on(chloe, f"amendment-{first.id}", "Yes")
    vote_on(chloe, f"amendment-{second.id}", "Yes")
    vote_on(chloe, f"clause-{inserted.id}", "Abstain")
    expect(chloe.locator("[data-testid=ballot-progress]")).to_contain_text("3 of 3 voted")

    # The moderator sees participation per group on the ballot, then previews the close.
    chair.goto(f"/rounds/{round_.id}/ballot/")
    expect(chair.locator("[data-testid=participation]")).to_contain_text("Civil society")
    chair.goto(f"/rounds/{round_.id}/console/")
    chair.click("#move-link")  # "Close now…" leads to the preview, which changes nothing
    rows = chair.locator("[data-testid=preview-row]")
    expect(rows).to_have_count(3)
    outcomes = {
        row.locator("a").first.get_attribute("href"): row.locator("[data-testid=outcome]").inner_text()
        for row in rows.all()
    }
    assert outcomes == {
        f"/amendments/{first.id}/": "Accepted",  # 3 yes
        f"/amendments/{second.id}/": "Rejected",  # 1 yes, 2 no
        f"/clauses/{inserted.id}/": "Accepted",  # 2 yes, 1 abstain
    }
    expect(chair.locator("[data-testid=preview-merge]")).to_contain_text("intentionally")
    compare = chair.locator("[data-testid=preview-compare-row]")
    expect(compare).to_have_count(3)  # clause 1 changed, 1 bis added as 2, clause 2 renumbered 3
    expect(compare.nth(1)).to_contain_text("OP2 (was OP1 bis). Due diligence")
    expect(compare.nth(2)).to_contain_text("OP3 (was OP2). Assistance")
    looked_at(chair, "close-preview")
    assert Clause.objects.get(pk=target.pk).text == BASE  # previewing wrote nothing
    assert not Snapshot.objects.filter(round=round_).exists()

    chair.locator("#close button[type=submit]").click()
    expect(chair.locator(".messages")).to_contain_text("is now closed")

    # What the preview said is what happened, and the record names who changed the text, for whom.
    target.refresh_from_db()
    assert target.text == FIRST
    assert Amendment.objects.get(pk=first.pk).status == "accepted"
    assert Amendment.objects.get(pk=second.pk).status == "rejected"
    merge = target.history.order_by("-history_id").exclude(history_change_reason__startswith="Renumbered").first()
    assert merge.history_user == brazil and "applied by the Chair" in merge.history_change_reason
    rev = Snapshot.objects.get(round=round_)
    assert [(c.label, c.previous_label) for c in rev.clauses.order_by("number")] == [
        ("1", ""),
        ("2", "1 bis"),
        ("3", "2"),
    ]

    chair.goto(f"/rounds/{round_.id}/results/")
    expect(chair.locator("[data-testid=result-row]")).to_have_count(3)
    assert sorted(chair.locator("[data-testid=result-by]").all_inner_texts()) == [
        "ana — Brazil (Government)",
        "ben — Acme Networks (Industry)",
        "chloe — Cyber Peace Watch (Civil society)",
    ]
    looked_at(chair, "results")
    chair.goto(f"/clauses/{target.id}/")
    expect(chair.locator("main")).to_contain_text("Brazil (Government)")  # the merge in the history
    looked_at(chair, "clause")

    for page in (chair, ana, ben, chloe):
        assert page.problems == [], page.problems
        page.context.close()
