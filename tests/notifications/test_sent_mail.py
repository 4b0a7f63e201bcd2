"""Sent mail: where no SMTP server is named, every email is kept as a file of its own, and
administrators read it on a page and through the API (``notifications/sent_mail.py``)."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from codeofconduct.errors import InvalidInput, NotFound
from drafting import services
from notifications import sent_mail
from notifications import services as notifications
from tests.accounts.factories import UserFactory
from tests.accounts.test_two_factor import log_in, set_up
from tests.conftest import client_for
from tests.notifications.test_services import speaks
from tests.support import ROOT, celery_worker, publishing, wait_for

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"
SUMMARY = {"id", "date", "sender", "to", "subject"}


def send(to: str, subject: str, text: str = "Hello.", html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_notification_email_is_kept_whole_in_a_file_of_its_own(mail_kept, clause, people, deliver):
    observer = people["observer"]
    notifications.follow(user=observer, clause=clause)
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="Support.", stance="support")
    )
    assert sorted(p.name for p in mail_kept.iterdir()) == sorted(f"{i}.eml" for i in sent_mail.message_ids())
    [message_id] = sent_mail.message_ids(to=observer.email)
    kept = sent_mail.message(message_id)
    assert kept.to == [observer.email] and kept.sender == settings.DEFAULT_FROM_EMAIL
    assert f"{speaks(people['participant'])} commented on clause OP1" in kept.subject
    assert kept.date is not None and abs(kept.date - timezone.now()) < timedelta(minutes=1)
    headers = dict(kept.headers)
    unsubscribe = headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http") and headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe from all email: {unsubscribe}" in kept.text
    assert "Open it on the platform</a>" in kept.html and unsubscribe in kept.html


def test_each_message_is_a_file_read_whole_whatever_its_text_holds(mail_kept):
    """Django's own file backend puts a connection's messages in one file between lines of 79
    dashes; here a text holding such a line still comes back whole, and each message is its own."""
    dashes = "-" * 79
    with mail.get_connection() as connection_:
        connection_.send_messages(
            [
                EmailMessage("First", f"Above\n{dashes}\nBelow", to=["ada@example.org"]),
                EmailMessage("Second", "Two", to=["bo@example.org"], cc=["cy@example.org"]),
                EmailMessage("Nobody", "No recipient: not sent, as over SMTP"),
            ]
        )
    assert [p.suffix for p in mail_kept.iterdir()] == [".eml", ".eml"]
    newest, oldest = sent_mail.summaries(sent_mail.message_ids())
    assert (newest.subject, oldest.subject) == ("Second", "First")
    assert sent_mail.message(oldest.id).text.strip() == f"Above\n{dashes}\nBelow"
    assert sent_mail.message(newest.id).cc == ["cy@example.org"]
    assert sent_mail.message(newest.id).html == ""
    assert [s.subject for s in sent_mail.summaries(sent_mail.message_ids(to="CY@example"))] == ["Second"]


def _email_backend(module: str, **env: str) -> str:
    """The email backend settings ``module`` chooses in a process whose environment is only ``env``
    (a database URL that is never connected to, and no SMTP server unless ``env`` names one)."""
    environment = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DJANGO_SECRET_KEY": "not-a-secret-" * 5,
        "DJANGO_EMAIL_HOST": "",  # over whatever a developer's .env says
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.EMAIL_BACKEND)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_embedded_default_keeps_mail_and_an_smtp_server_named_gets_it():
    assert _email_backend("codeofconduct.settings.local") == sent_mail.BACKEND
    assert _email_backend("codeofconduct.settings.local", DJANGO_EMAIL_HOST="mail.example.org") == SMTP
    assert _email_backend("codeofconduct.settings.production", DJANGO_EMAIL_HOST="mailpit") == SMTP
    # Production keeps nothing in files: web nodes are interchangeable, and it has no mail to show.
    assert _email_backend("codeofconduct.settings.production") != sent_mail.BACKEND


@pytest.mark.django_db(transaction=True)
def test_an_email_the_worker_sends_is_listed_and_read_by_an_administrator(tmp_path, mail_kept, clause, people):
    """The real path: a comment posted through the API, the notification's email sent by a Celery
    worker process over the filesystem broker into the folder the administrator's page reads."""
    observer = people["observer"]
    notifications.follow(user=observer, clause=clause)
    env = {"DJANGO_EMAIL_BACKEND": sent_mail.BACKEND, "DJANGO_EMAIL_FILE_PATH": str(mail_kept)}
    with celery_worker(tmp_path, **env) as worker, publishing(tmp_path):
        posted = client_for(people["participant"]).post(
            "/api/v1/comments/", {"clause": clause.id, "body": "We support this.", "stance": "support"}, format="json"
        )
        assert posted.status_code == 201
        assert wait_for(lambda: sent_mail.message_ids(to=observer.email), timeout=60, process=worker)
    [message_id] = sent_mail.message_ids(to=observer.email)
    admin = signed_in(people["admin"])
    listed = admin.get("/mail/").content.decode()
    assert f'href="/mail/{message_id}/"' in listed and observer.email in listed
    shown = admin.get(f"/mail/{message_id}/").content.decode()
    assert "commented on clause OP1" in shown and "Unsubscribe from all email" in shown
    assert 'sandbox srcdoc="&lt;!doctype html&gt;' in shown
    answer = client_for(people["admin"]).get(f"/api/v1/mail/{message_id}/").json()
    assert answer["to"] == [observer.email] and "commented on clause OP1" in answer["subject"]
    assert "We support this." not in answer["subject"] and "Open it on the platform" in answer["html"]
    assert {"name": "List-Unsubscribe-Post", "value": "List-Unsubscribe=One-Click"} in answer["headers"]


@pytest.mark.parametrize("who", ["anonymous", "participant", "moderator", "staff"])
def test_only_administrators_read_the_sent_mail(mail_kept, people, who):
    """It holds everyone's sign-up and password-reset links: staff who are not administrators are
    refused too."""
    send("ada@example.org", "Reset your password", text="https://example.org/reset/secret-token/")
    [message_id] = sent_mail.message_ids()
    user = UserFactory(username="staff_only", is_staff=True) if who == "staff" else people[who]
    page, api = (signed_in(user) if user else Client()), client_for(user)
    for path in ("/mail/", f"/mail/{message_id}/"):
        response = page.get(path)
        if user is None:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403
            assert "secret-token" not in response.content.decode()
        answer = api.get(f"/api/v1{path}")
        assert answer.status_code == (401 if user is None else 403)
        assert "detail" in answer.json() and "secret-token" not in answer.content.decode()
    if user is not None:
        assert 'data-testid="sent-mail-link"' not in page.get("/").content.decode()
    assert 'data-testid="sent-mail-link"' in signed_in(people["admin"]).get("/").content.decode()


def test_an_administrator_reads_it_only_after_the_second_factor(mail_kept, settings, people):
    settings.TWO_FACTOR_REQUIRED = True
    send("ada@example.org", "Reset your password", text="https://example.org/reset/secret-token/")
    client = Client()
    log_in(client, people["admin"])
    page = client.get("/mail/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/?next=")
    api = client.get("/api/v1/mail/")
    assert api.status_code == 403 and "second factor" in api.json()["detail"]
    set_up(client, people["admin"])
    assert "Reset your password" in client.get("/mail/").content.decode()
    assert client.get("/api/v1/mail/").json()["count"] == 1


SUBJECT_LINKS = re.compile(r'<a href="/mail/[^"]+/">([^<]+)</a>')


def test_an_administrator_lists_the_mail_newest_first_by_recipient_and_page(mail_kept, people):
    for n in range(40):
        send(f"bo{n}@example.org" if n % 8 == 0 else f"Ada {n} <ada{n}@example.org>", f"Message {n}")
    page = signed_in(people["admin"])
    first = page.get("/mail/").content.decode()
    assert SUBJECT_LINKS.findall(first) == [f"Message {n}" for n in range(39, 9, -1)]
    assert "Ada 39 &lt;ada39@example.org&gt;" in first and "Page 1 of 2 (40 messages)" in first
    assert SUBJECT_LINKS.findall(page.get("/mail/?page=2").content.decode()) == [
        f"Message {n}" for n in range(9, -1, -1)
    ]
    to_ada = page.get("/mail/?to=ADA").content.decode()
    assert SUBJECT_LINKS.findall(to_ada) == [f"Message {n}" for n in range(39, 0, -1) if n % 8][:30]
    assert 'href="?to=ADA&amp;page=2"' in to_ada  # the filter is kept from page to page
    assert "No message to “nobody”" in page.get("/mail/?to=nobody").content.decode()

    api = client_for(people["admin"])
    answer = api.get("/api/v1/mail/?page_size=10").json()
    assert answer["count"] == 40 and answer["kept"] is True and "kept as files" in answer["delivery"]
    assert [m["subject"] for m in answer["results"]] == [f"Message {n}" for n in range(39, 29, -1)]
    assert set(answer["results"][0]) == SUMMARY and answer["results"][0]["to"] == ["Ada 39 <ada39@example.org>"]
    assert api.get("/api/v1/mail/?to=bo").json()["count"] == 5
    assert api.get("/api/v1/mail/?page=9").status_code == 404


def test_an_administrator_reads_one_message(mail_kept, people):
    send(
        "Ada <ada@example.org>",
        "Your membership of Example CERT is verified",
        text="You may now vote: https://example.org/drafts/x/?a=1&b=2",
        html="<p>You may now <strong>vote</strong>.</p>",
    )
    [message_id] = sent_mail.message_ids()
    shown = signed_in(people["admin"]).get(f"/mail/{message_id}/").content.decode()
    assert '<h1 data-testid="mail-subject">Your membership of Example CERT is verified</h1>' in shown
    assert f'data-testid="mail-from">{settings.DEFAULT_FROM_EMAIL.replace("<", "&lt;").replace(">", "&gt;")}<' in shown
    assert 'data-testid="mail-to">Ada &lt;ada@example.org&gt;<' in shown
    assert '<a href="https://example.org/drafts/x/?a=1&amp;b=2" rel="nofollow">' in shown  # its links work
    answer = client_for(people["admin"]).get(f"/api/v1/mail/{message_id}/").json()
    assert set(answer) == SUMMARY | {"cc", "text", "html", "headers"}
    assert answer["id"] == message_id and answer["to"] == ["Ada <ada@example.org>"] and answer["cc"] == []
    assert answer["text"].strip() == "You may now vote: https://example.org/drafts/x/?a=1&b=2"
    assert answer["html"].strip() == "<p>You may now <strong>vote</strong>.</p>"
    assert answer["date"].endswith("Z") or answer["date"].endswith("+00:00")


def test_the_html_part_is_shown_only_inside_a_sandboxed_frame(mail_kept, people):
    hostile = '<p>Hi</p><script>alert(1)</script>"><img src=x onerror=alert(2)>'
    send("ada@example.org", "Hostile", html=hostile)
    [message_id] = sent_mail.message_ids()
    shown = signed_in(people["admin"]).get(f"/mail/{message_id}/").content.decode()
    assert "<script>alert" not in shown and "<img src=x" not in shown
    assert (
        '<iframe class="mail-html" sandbox srcdoc="&lt;p&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
        "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in shown
    )


MALFORMED = [
    "not-an-id",
    "..",
    "...",
    "20261207-093000-123456-0a1b2c3d.eml",
    "%2E%2E",
    "20261207-093000-123456-0A1B2C3D",
]
TRAVERSALS = ["..%2Fsecret", "..%2F..%2Fsecret", "%2E%2E%2Fsecret", "%2Ftmp%2Fsecret"]


def test_a_malformed_id_is_refused_and_nothing_outside_the_folder_is_read(mail_kept, tmp_path, people):
    send("ada@example.org", "Kept")
    (tmp_path / "secret.eml").write_text("Subject: SECRET\n\nSECRET outside the folder\n")
    page, api = signed_in(people["admin"]), client_for(people["admin"])
    for client, prefix in ((page, ""), (api, "/api/v1")):
        for bad in MALFORMED:
            response = client.get(f"{prefix}/mail/{bad}/")
            assert response.status_code == 400, (prefix, bad, response.status_code)
            assert "looks like" in response.content.decode()
        unknown = client.get(f"{prefix}/mail/20200101-000000-000000-00000000/")
        assert unknown.status_code == 404
        for bad in TRAVERSALS:
            response = client.get(f"{prefix}/mail/{bad}/")
            assert response.status_code in (400, 404), (prefix, bad, response.status_code)
            assert "SECRET" not in response.content.decode()
    assert api.get("/api/v1/mail/not-an-id/").json() == {
        "detail": "A message id looks like 20261207-093000-123456-0a1b2c3d."
    }
    assert api.get("/api/v1/mail/20200101-000000-000000-00000000/").json() == {
        "detail": "No such message is kept here."
    }
    for bad in ("../secret", "../../secret", f"{tmp_path}/secret"):
        with pytest.raises(InvalidInput):
            sent_mail.message(bad)


def test_where_mail_goes_by_smtp_the_page_says_so_and_lists_nothing(settings, tmp_path, people):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "mail.example.org", 587
    settings.EMAIL_FILE_PATH = str(tmp_path)
    left = "20261207-093000-123456-0a1b2c3d"  # from a time the files were kept
    (tmp_path / f"{left}.eml").write_text("Subject: Left behind\nTo: ada@example.org\n\nOld.\n")
    shown = signed_in(people["admin"]).get("/mail/").content.decode()
    assert "Mail goes by SMTP to mail.example.org:587; none is kept here." in shown
    assert "Left behind" not in shown and "<table" not in shown
    api = client_for(people["admin"])
    assert api.get("/api/v1/mail/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "kept": False,
        "delivery": "Mail goes by SMTP to mail.example.org:587; none is kept here.",
    }
    assert api.get(f"/api/v1/mail/{left}/").status_code == 404
    with pytest.raises(NotFound):
        sent_mail.message(left)


# A page: the person (its session is cached after the first request) and the header's unread count;
# the mail is read from its files, never from the database. The API: nothing (the person is forced
# here; a token's person is read with it).
PINNED = {"page": 2, "filtered page": 2, "message page": 2, "list API": 0, "message API": 0}


def test_sent_mail_query_counts_are_pinned_at_two_sizes(mail_kept, people):
    page, api = signed_in(people["admin"]), client_for(people["admin"])
    page.get("/")  # the session, cached from here on

    def counts() -> dict[str, int]:
        newest = sent_mail.message_ids()[0]
        found = {}
        for name, client, url in (
            ("page", page, "/mail/"),
            ("filtered page", page, "/mail/?to=ada"),
            ("message page", page, f"/mail/{newest}/"),
            ("list API", api, "/api/v1/mail/"),
            ("message API", api, f"/api/v1/mail/{newest}/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found[name] = len(queries)
        return found

    send("ada@example.org", "One")
    small = counts()
    for n in range(60):
        send(f"ada{n}@example.org", f"Message {n}", html="<p>More</p>")
    assert (small, counts()) == (PINNED, PINNED)
