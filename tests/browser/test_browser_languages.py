"""A delegate who reads Arabic, in Chromium at desktop width and on a 390 px phone: they choose
Arabic with the switcher on the page they are reading and come back to it in Arabic, right to left,
with the scripts speaking Arabic too; every page they walk passes axe-core and fits the phone; the
choice is saved, so their next device opens in Arabic; they switch back to English."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, NARROW, PHONE, _axe
from tests.browser.test_browser_foundation import log_in
from tests.conftest import need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


def _arabic(text: str) -> str:
    with translation.override("ar"):
        translated = translation.gettext(text)
    assert translated != text, f"no Arabic for {text!r}"
    return translated


def _holds(page) -> None:
    """Right to left, the page's own words in Arabic, axe-core clean, nothing wider than the screen."""
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.locator("main").evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert _axe(page) == []
    narrow = page.evaluate(NARROW)
    assert narrow["scrollWidth"] <= narrow["innerWidth"], narrow["wide"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_delegate_reads_and_works_in_arabic(browser, live_server, draft, clause, people, viewport):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    delegate = people["participant"]
    context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, delegate.username)

    page.goto(f"/drafts/{draft.slug}/")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    page.select_option("#language-switch-select", "ar")
    page.get_by_test_id("language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.url.endswith(f"/drafts/{draft.slug}/")
    _holds(page)
    expect(page.get_by_role("button", name=_arabic("Change language"))).to_be_visible()
    # The skip link, first stop of the keyboard, sits at the start of the line: the right in Arabic.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link").bounding_box()
    width = page.viewport_size["width"]
    assert width - 40 < skip["x"] + skip["width"] <= width and skip["x"] > 40, skip
    # The scripts speak the page's language (Django's JavaScript catalogue, /jsi18n/).
    assert page.evaluate("window.gettext('Reconnecting…')") == _arabic_js("Reconnecting…")

    for address in (f"/clauses/{clause.id}/", "/accounts/profile/", "/"):
        page.goto(address)
        _holds(page)
    expect(page.locator("#profile-language, #language-switch-select").first).to_have_value("ar")

    delegate.refresh_from_db()
    assert delegate.language == "ar"
    # Another device, with no cookie and a browser asking for English: still Arabic.
    other = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True, locale="en-GB")
    elsewhere = other.new_page()
    log_in(elsewhere, delegate.username)
    elsewhere.goto("/")
    assert elsewhere.evaluate("document.documentElement.dir") == "rtl"
    other.close()

    page.select_option("#language-switch-select", "en")
    page.get_by_test_id("language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name="Change language")).to_be_visible()
    context.close()


def _arabic_js(text: str) -> str:
    import polib

    from codeofconduct import catalogues

    entry = polib.pofile(str(catalogues.catalogue_path("ar", "djangojs"))).find(text)
    assert entry is not None and entry.msgstr not in ("", text), f"no Arabic for {text!r} in the scripts' catalogue"
    return entry.msgstr
