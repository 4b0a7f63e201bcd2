"""An administrator imports a large file in Chromium: the page follows the worker to the draft, or
says why the file was refused and keeps the way back to try again."""

import re

import pytest
from playwright.sync_api import expect

from drafting.models import Draft, ImportJob
from tests.accounts.factories import UserFactory
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKDOWN = """# Guidelines on supply-chain security

## Commitments

### 1. Integrity of updates

Vendors should sign their software updates.
"""


@pytest.fixture
def admin(settings):
    settings.IMPORT_IN_WORKER_BYTES = 10  # every file is built by the worker
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "var" / "test-media")
    return UserFactory(username="secretariat", is_staff=True, is_superuser=True)


def _send(page, name: str, content: str) -> None:
    page.goto("/drafts/import/")
    page.set_input_files("#import-file", files=[{"name": name, "mimeType": "text/plain", "buffer": content.encode()}])
    page.click("#import-form button[type=submit]")


def test_a_large_import_is_followed_to_the_draft(page, admin):
    log_in(page, admin.username)
    _send(page, "guidelines.md", MARKDOWN)
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    job = ImportJob.objects.get()
    expect(page.get_by_test_id("import-stage")).to_have_text("Done")
    page.get_by_test_id("import-draft").click()
    draft = Draft.objects.get(title="Guidelines on supply-chain security")
    job.refresh_from_db()
    assert job.draft_id == draft.pk
    expect(page).to_have_url(re.compile(rf"/drafts/{draft.slug}/$"))
    expect(page.locator("main")).to_contain_text("Vendors should sign their software updates.")
    assert page.problems == []


def test_a_refused_large_file_says_why_and_leads_back(page, admin):
    log_in(page, admin.username)
    _send(page, "notes.md", "Minutes of the meeting, no title line\n" * 3)
    expect(page.get_by_test_id("import-error")).to_contain_text("Line 1: the file must start with the draft's title")
    page.get_by_role("link", name="Correct the file and import it again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a draft")
    assert not Draft.objects.filter(title__startswith="Minutes").exists()
