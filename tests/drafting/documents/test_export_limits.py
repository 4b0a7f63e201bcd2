"""Exports are bounded work (issue 10, point 2): each text is rendered once per format, a large one
an anonymous reader asks for is rendered by a worker, and anonymous exports are rate-limited."""

import pytest

from drafting import services
from drafting.documents import jobs
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every real rendering, by format."""
    made = []
    real = jobs.render

    def counting(document, fmt):
        made.append(fmt)
        return real(document, fmt)

    monkeypatch.setattr(jobs, "render", counting)
    return made


def url(draft, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return f"/api/v1/drafts/{draft.slug}/export/?{query}"


def test_an_unchanged_text_is_rendered_once_per_format(draft, clause, people, renders, client):
    anonymous, member = client_for(None), client_for(people["participant"])
    first = anonymous.get(url(draft, "pdf"))
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert member.get(url(draft, "pdf")).content == first.content
    assert client.get(f"/drafts/{draft.slug}/export/?format=pdf").content == first.content
    assert renders == ["pdf"]
    assert anonymous.get(url(draft, "docx")).status_code == 200
    assert renders == ["pdf", "docx"]
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States shall cooperate.")
    changed = anonymous.get(url(draft, "pdf"))
    assert renders == ["pdf", "docx", "pdf"] and changed.content != first.content
    md = anonymous.get(url(draft, "md")).content.decode()
    assert "States shall cooperate." in md


def test_a_snapshot_and_a_redline_are_their_own_files(draft, clause, people, renders):
    before = services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Changed words.")
    after = services.snapshot_create(draft=draft, label="Rev.2", by=people["moderator"])
    anonymous = client_for(None)
    plain = anonymous.get(url(draft, "md", snapshot=after.id)).content.decode()
    redline = anonymous.get(url(draft, "md", snapshot=after.id, redline=before.id)).content.decode()
    assert plain != redline and anonymous.get(url(draft, "md", snapshot=after.id)).content.decode() == plain
    assert renders == ["md", "md"]


def test_a_large_export_for_an_anonymous_reader_is_rendered_by_a_worker(
    draft, section, settings, client, renders, django_capture_on_commit_callbacks
):
    for n in range(1, 4):
        ClauseFactory(section=section, number=n)
    settings.EXPORT_ASYNC_CLAUSES = 2
    anonymous = client_for(None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = anonymous.get(url(draft, "pdf"))
        again = anonymous.get(url(draft, "pdf"))
    assert first.status_code == again.status_code == 202
    assert first.json()["retry_after"] == int(first["Retry-After"]) > 0
    assert renders == [] and len(callbacks) == 1  # asked twice, prepared once
    page = client.get(f"/drafts/{draft.slug}/export/?format=pdf")
    assert page.status_code == 202 and "Preparing the PDF file" in page.content.decode()
    assert '<meta http-equiv="refresh"' in page.content.decode()
    callbacks[0]()  # the worker renders it into the cache
    assert renders == ["pdf"]
    ready = anonymous.get(url(draft, "pdf"))
    assert ready.status_code == 200 and ready.content.startswith(b"%PDF")
    assert client.get(f"/drafts/{draft.slug}/export/?format=pdf").status_code == 200
    assert renders == ["pdf"]


def test_anonymous_exports_are_limited_per_address(draft, clause, settings, client):
    settings.HEAVY_ANONYMOUS_RATE = "3/min"
    anonymous = client_for(None)
    codes = [anonymous.get(url(draft, "md"), REMOTE_ADDR="198.51.100.1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    page = client.get(f"/drafts/{draft.slug}/export/?format=md", REMOTE_ADDR="198.51.100.1")
    assert page.status_code == 429 and "sign in" in page.content.decode()
    assert anonymous.get(url(draft, "md"), REMOTE_ADDR="198.51.100.2").status_code == 200


def test_signed_in_readers_are_not_held_by_the_anonymous_limit(draft, clause, people, settings):
    settings.HEAVY_ANONYMOUS_RATE = "1/min"
    member = client_for(people["participant"])
    assert [member.get(url(draft, "md")).status_code for _ in range(3)] == [200, 200, 200]
