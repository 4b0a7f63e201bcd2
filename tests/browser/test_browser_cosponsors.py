"""Co-sponsoring in Chromium, at desktop width and on a 390 px phone: a delegation co-sponsors a
proposal from its page, another asks where the proponent accepts each, the proponent accepts, and
the first withdraws; each page passes axe-core and fits the phone's screen."""

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.test_accessibility import AXE, NARROW, PHONE, _axe
from tests.browser.test_browser_foundation import log_in
from tests.conftest import need
from tests.drafting.factories import cosponsor_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


def _as(browser, live_server, username, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, username)
    return context, page


def _fits_and_passes(page):
    assert _axe(page) == []
    narrow = page.evaluate(NARROW)
    assert narrow["scrollWidth"] <= narrow["innerWidth"], narrow["wide"]


def test_co_sponsor_ask_accept_and_withdraw_at_both_widths(browser, live_server, draft, clause, people, admin_user):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    d = cosponsor_scene(draft, clause, round_, admin_user)
    proposal = f"/clauses/{d['proposal'].id}/"

    # Kenya co-sponsors on a desktop screen: at once, the proposal being open to co-sponsors.
    context, page = _as(browser, live_server, "kofi", DESKTOP)
    page.goto(proposal)
    _fits_and_passes(page)
    page.click("text=Co-sponsor for Kenya")
    expect(page.locator(".messages")).to_contain_text("Co-sponsored.")
    expect(page.locator("article > p.meta")).to_contain_text("proposed by ana")
    expect(page.locator("article > p.meta")).to_contain_text(", co-sponsored by Kenya (Government)")
    expect(page.locator("[data-testid=my-cosponsorship]")).to_contain_text("Kenya co-sponsors this proposal.")
    context.close()

    # The proponent, on a phone, asks to accept each co-sponsor from now on.
    context, ana = _as(browser, live_server, "ana", PHONE)
    ana.goto(proposal)
    expect(ana.locator("[data-testid=cosponsor-button]")).to_have_count(0)  # not for its own proposal
    ana.check("input[value=on_acceptance]")
    ana.click("text=Save the setting")
    expect(ana.locator(".messages")).to_contain_text("Setting saved.")
    _fits_and_passes(ana)

    # Open Net, on a phone, asks; the proponent accepts it.
    other, nia = _as(browser, live_server, "nia", PHONE)
    nia.goto(proposal)
    expect(nia.locator("[data-testid=cosponsored-by]")).to_contain_text("The proponent accepts each co-sponsor.")
    nia.click("text=Ask to co-sponsor for Open Net")
    expect(nia.locator(".messages")).to_contain_text("the proponent decides")
    expect(nia.locator("[data-testid=my-cosponsorship]")).to_contain_text("has asked to co-sponsor")
    _fits_and_passes(nia)

    ana.goto(proposal)
    expect(ana.locator("[data-testid=cosponsor-requests]")).to_contain_text("Open Net (Civil society)")
    _fits_and_passes(ana)
    ana.click("button[aria-label='Accept Open Net (Civil society) as a co-sponsor']")
    expect(ana.locator(".messages")).to_contain_text("Co-sponsor accepted.")
    expect(ana.locator("article > p.meta")).to_contain_text(
        ", co-sponsored by Kenya (Government), Open Net (Civil society)"
    )
    context.close()

    # Open Net withdraws; the proposal's page no longer names it.
    nia.goto(proposal)
    nia.click("text=Withdraw co-sponsorship")
    expect(nia.locator(".messages")).to_contain_text("Co-sponsorship withdrawn.")
    expect(nia.locator("article > p.meta")).not_to_contain_text("Open Net")
    expect(nia.locator("[data-testid=cosponsor-button]")).to_be_visible()
    other.close()
