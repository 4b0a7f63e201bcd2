"""A translator in Chromium, at desktop width and on a 390 px phone: they translate a paragraph into
Arabic beside the original, see it current, see it outdated with the original's changes once the
Chair edits it, and bring it up to date; the page passes axe-core, fits the phone and marks the
Arabic text right to left."""

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.test_accessibility import AXE, NARROW, PHONE, _axe
from tests.browser.test_browser_foundation import log_in
from tests.conftest import need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_translation_goes_current_outdated_and_current_again(browser, live_server, draft, clause, people, viewport):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    translator = people["observer"]
    services.translator_appoint(draft=draft, user_id=translator.id, language="ar", by=people["moderator"])
    context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, translator.username)

    page.goto(f"/clauses/{clause.id}/")
    expect(page.get_by_test_id("translation-ar")).to_contain_text("Not translated yet")
    page.get_by_test_id("translation-ar").get_by_role("link", name="Arabic").click()
    expect(page.get_by_test_id("votes-on-original")).to_contain_text("Votes are always on the original text")
    page.fill("input[name=title]", "البنية التحتية الحيوية")
    page.fill("textarea[name=text]", "تحمي الدول الشبكات الحيوية.")
    page.click("text=Save the translation")
    expect(page.get_by_test_id("translation-standing")).to_contain_text("Current (translates version 1)")
    arabic = page.get_by_test_id("translated").locator("[lang=ar]")
    expect(arabic).to_contain_text("تحمي الدول الشبكات الحيوية.")
    assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert _axe(page) == []
    narrow = page.evaluate(NARROW)
    assert narrow["scrollWidth"] <= narrow["innerWidth"], narrow["wide"]

    # The Chair changes the original: the translation says since when it lags, and what changed.
    services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=clause.text + " Including hospitals."
    )
    page.reload()
    expect(page.get_by_test_id("translation-standing")).to_contain_text("Outdated since version 2")
    expect(page.get_by_test_id("changes-since")).to_contain_text("hospitals")
    page.fill("textarea[name=text]", "تحمي الدول الشبكات الحيوية، بما فيها المستشفيات.")
    page.click("text=Save the translation")
    expect(page.get_by_test_id("translation-standing")).to_contain_text("Current (translates version 2)")
    expect(page.get_by_test_id("changes-since")).to_have_count(0)
    page.goto(f"/clauses/{clause.id}/")
    expect(page.get_by_test_id("translation-ar")).to_contain_text("Current (translates version 2)")
    context.close()
