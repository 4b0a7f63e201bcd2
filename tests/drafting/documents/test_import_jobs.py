"""A large import is built by the worker on the documents queue, its stage on a page and in the API;
the person is told when the draft is ready or why the file was refused. An administrator's import
naming 9,000 people once held one request for 91 s."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drafting.models import Draft, ImportJob
from notifications.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """Every file counts as large; media in the tests' own folder."""
    settings.IMPORT_IN_WORKER_BYTES = 10
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "var" / "test-media")


def _upload(data, name="draft.json"):
    content = json.dumps(data).encode() if not isinstance(data, bytes) else data
    return SimpleUploadedFile(name, content)


def test_a_large_import_is_built_by_the_worker_and_followed_to_the_draft(
    record, people, large, client, django_capture_on_commit_callbacks
):
    admin = people["admin"]
    api = client_for(admin)
    drafts = Draft.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accepted = api.post("/api/v1/drafts/import/", {"file": _upload(record)}, format="multipart")
    assert accepted.status_code == 202, accepted.content
    job = accepted.json()
    assert (job["status"], job["stage"], job["draft"]) == ("queued", "Waiting for a worker", None)
    assert accepted["Location"] == f"/api/v1/imports/{job['id']}/" and len(callbacks) == 1
    assert Draft.objects.count() == drafts  # nothing built in the request
    client.force_login(admin)
    waiting = client.get(f"/imports/{job['id']}/").content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Waiting for a worker" in waiting
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the worker takes it
    done = api.get(f"/api/v1/imports/{job['id']}/").json()
    assert (done["status"], done["progress"], done["error"]) == ("done", 100, "")
    copy = Draft.objects.get(slug=done["draft"])
    in_file = sum(len(s["clauses"]) for s in record["sections"]) + len(record["record"]["clauses_out_of_text"])
    assert copy.title == record["draft"]["title"] and copy.clauses.count() == in_file
    note = Notification.objects.get(recipient=admin, kind="import_done")
    assert note.url == f"/imports/{job['id']}/" and copy.title in note.message
    page = client.get(f"/imports/{job['id']}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in page and f"/drafts/{copy.slug}/" in page
    assert not ImportJob.objects.get(pk=job["id"]).file  # the uploaded file is not kept
    # Nobody else sees the job.
    assert client_for(people["moderator"]).get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert client_for(None).get(f"/api/v1/imports/{job['id']}/").status_code in (401, 403)


def test_a_large_file_the_worker_refuses_says_why_and_builds_nothing(
    record, people, large, client, django_capture_on_commit_callbacks
):
    admin = people["admin"]
    record["record"]["votes"][0]["created_at"] = "2026-02-30T00:00:00Z"  # no such day
    drafts = Draft.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client_for(admin).post("/api/v1/drafts/import/", {"file": _upload(record)}, format="multipart")
    assert accepted.status_code == 202
    job = client_for(admin).get(f"/api/v1/imports/{accepted.json()['id']}/").json()
    assert job["status"] == "failed" and job["stage"] == "Refused" and "record.votes[0]" in job["error"]
    assert Draft.objects.count() == drafts
    note = Notification.objects.get(recipient=admin, kind="import_done")
    assert "was refused" in note.message and "record.votes[0]" in note.message
    client.force_login(admin)
    page = client.get(f"/imports/{job['id']}/").content.decode()
    assert "record.votes[0]" in page and "import it again" in page


def test_what_needs_no_parsing_is_refused_at_once_and_jobs_per_person_are_bounded(
    record, people, large, settings, django_capture_on_commit_callbacks
):
    admin_api = client_for(people["admin"])
    # Not an administrator, or not UTF-8: told in the request, no job.
    answer = client_for(people["moderator"]).post(
        "/api/v1/drafts/import/", {"file": _upload(record)}, format="multipart"
    )
    assert answer.status_code == 403 and "administrator" in answer.json()["detail"]
    answer = admin_api.post("/api/v1/drafts/import/", {"file": _upload(b"\xff\xfe not text")}, format="multipart")
    assert answer.status_code == 400 and "UTF-8" in answer.json()["file"][0]
    assert not ImportJob.objects.exists()
    settings.IMPORT_JOBS_PER_PERSON = 2
    with django_capture_on_commit_callbacks(execute=False):
        answers = [
            admin_api.post("/api/v1/drafts/import/", {"file": _upload(record)}, format="multipart") for _ in range(3)
        ]
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert "imports being built" in answers[2].json()["detail"] and answers[2]["Retry-After"]
    assert ImportJob.objects.count() == 2


def test_the_sweep_requeues_imports_a_broker_or_worker_lost(people, settings):
    from django.utils import timezone

    from drafting.documents.import_jobs import import_jobs_to_retry

    settings.SWEEP_GRACE_SECONDS = 30
    now = timezone.now()
    admin = people["admin"]
    lost = ImportJob.objects.create(requested_by=admin, filename="a.json")
    fresh = ImportJob.objects.create(requested_by=admin, filename="b.json")
    dead = ImportJob.objects.create(requested_by=admin, filename="c.json", status="running")
    ImportJob.objects.filter(pk__in=[lost.pk, dead.pk]).update(created_at=now - timezone.timedelta(hours=1))
    assert sorted(import_jobs_to_retry(now=now)) == sorted([lost.pk, dead.pk])
    assert fresh.pk not in import_jobs_to_retry(now=now)
    dead.refresh_from_db()
    assert dead.status == "queued"


def test_the_import_task_goes_to_the_documents_queue(settings):
    assert settings.CELERY_TASK_ROUTES["drafting.tasks.run_import"] == {"queue": settings.EXPORT_QUEUE}


def test_a_long_refusal_is_told_in_whole_words_with_an_ellipsis(people):
    from drafting.documents.import_jobs import _finish
    from notifications.models import Event

    job = ImportJob.objects.create(requested_by=people["admin"], filename="draft.json")
    reason = "record.votes[0].created_at: " + "this date is not one the calendar holds " * 40
    _finish(job, ImportJob.Status.FAILED, "Refused", error=reason)
    message = Event.objects.get(kind="import_done").message  # what the person is told
    assert len(message) <= 1000 and message.endswith("…") and "record.votes[0]" in message
    whole = f"Your import of draft.json was refused: {reason}"
    assert whole.startswith(message[:-1]) and whole[len(message) - 1] == " "
