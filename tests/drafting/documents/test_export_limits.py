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


def test_a_signed_in_person_has_a_few_export_jobs_in_flight_and_a_rendered_file_is_served_not_remade(
    draft, section, people, settings, renders, django_capture_on_commit_callbacks, client
):
    """A self-registered account once started 20 PDF jobs of one text in half a second."""
    from drafting.models import ExportJob

    for n in range(1, 4):
        ClauseFactory(section=section, number=n)
    settings.EXPORT_ASYNC_CLAUSES = 2
    settings.EXPORT_JOBS_PER_PERSON = 3
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "var" / "test-media")
    member = client_for(people["participant"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs_made = [member.get(url(draft, fmt)) for fmt in ("pdf", "docx", "html")]
        again = member.get(url(draft, "pdf"))
        over = member.get(url(draft, "md"))
    assert [r.status_code for r in jobs_made] == [202, 202, 202]
    assert again.status_code == 202 and again.json()["id"] == jobs_made[0].json()["id"]  # the same job
    assert over.status_code == 429 and int(over["Retry-After"]) > 0 and "3 exports" in over.json()["detail"]
    client.force_login(people["participant"])
    page = client.get(f"/drafts/{draft.slug}/export/?format=md")
    assert page.status_code == 429 and "3 exports" in page.content.decode()
    assert ExportJob.objects.filter(requested_by=people["participant"]).count() == 3 and len(callbacks) == 3
    assert client_for(people["observer"]).get(url(draft, "md")).status_code == 202  # another person's own count

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the worker makes the PDF, and keeps it for the next reader
    assert renders.count("pdf") == 1
    served = member.get(url(draft, "pdf"))
    assert served.status_code == 200 and served.content.startswith(b"%PDF")
    assert client_for(people["observer"]).get(url(draft, "pdf")).status_code == 200
    assert renders.count("pdf") == 1 and ExportJob.objects.filter(format="pdf").count() == 1


def test_exports_have_a_queue_of_their_own():
    from codeofconduct.celery import app

    def queue(task):
        return app.amqp.router.route({}, task)["queue"].name

    assert queue("drafting.tasks.run_export") == queue("drafting.tasks.prepare_export") == "exports"
    assert queue("drafting.tasks.advance_rounds") == "celery"
    assert queue("notifications.tasks.sweep_pending_notifications") == "celery"


def test_an_export_that_renders_too_long_is_stopped_and_the_job_says_so(draft, clause, people, monkeypatch, caplog):
    """A worker stops a rendering after EXPORT_SECONDS_LIMIT (Celery's soft time limit): the job
    fails with the reason, and the worker is free for the next; no traceback is logged."""
    from celery.exceptions import SoftTimeLimitExceeded

    from drafting import tasks
    from drafting.models import ExportJob

    assert tasks.run_export.soft_time_limit == tasks.prepare_export.soft_time_limit > 0

    def too_long(document, fmt):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "render", too_long)
    job = jobs.export_job_create(draft=draft, by=people["participant"], fmt="pdf")
    jobs.export_job_run(job.id)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "took longer than 10 minutes" in job.error
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    "text, refused",
    [
        ('"*_"' * 5000, True),
        ("*term* and " * 101, True),
        ("[a](https://example.org) " * 101, True),  # a link takes one mark, not two
        ("<https://example.org> " * 101, True),
        ("*term* and " * 100, False),
        ("[a](https://example.org) " * 100, False),
    ],
)
def test_a_text_formatting_thousands_of_passages_is_refused_so_documents_stay_quick(
    draft, section, people, text, refused
):
    """A hostile pass made a PDF of a small draft take minutes with one paragraph of "*_" repeated."""
    from drafting.models import Round

    services.round_open(
        round_id=services.round_create(draft=draft, by=people["moderator"], title="R").id, by=people["moderator"]
    )
    answer = client_for(people["participant"]).post(
        f"/api/v1/drafts/{draft.slug}/clauses/", {"section": section.id, "title": "Flood", "text": text}, format="json"
    )
    if refused:
        assert answer.status_code == 400 and "the limit is 100" in answer.json()["text"][0], answer.content
    else:
        assert answer.status_code == 201, answer.content
    assert Round.objects.filter(draft=draft).count() == 1
