"""A moderator sets up two-factor authentication in Chromium, as they would with their phone."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_sets_up_an_authenticator_then_manages_the_draft(page, draft, people, settings):
    settings.TWO_FACTOR_REQUIRED = True
    page.goto(f"/drafts/{draft.slug}/manage/")
    page.fill("input[name=username]", people["moderator"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    # Sent to set up the second factor first, with a QR code and the key typed out.
    expect(page.locator("h1")).to_have_text("Two-factor authentication")
    expect(page.locator("img[alt^='QR code']")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text()
    page.fill("input[name=code]", "000000")
    page.click("main form.stacked button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("does not match")
    page.fill("input[name=code]", f"{totp(base64.b32decode(secret)):06d}")
    page.click("main form.stacked button[type=submit]")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.click("text=Continue")
    expect(page).to_have_url(f"{page.url.split('/drafts/')[0]}/drafts/{draft.slug}/manage/")
    assert [p for p in page.problems if "status of 400" not in p] == []  # the wrong code was a 400
