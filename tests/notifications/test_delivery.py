"""Email: each notification once, the daily digest, retries, one-click unsubscribe.

The first tests run the tasks in-process; the last ones use the real parts: a Celery worker
process, a broker, and an SMTP server on loopback.
"""

import shutil
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail

from drafting import services
from notifications import services as notifications
from notifications.models import Event, Notification
from notifications.tasks import send_daily_digests, send_notification_email
from tests.conftest import client_for, need
from tests.notifications.test_services import speaks
from tests.support import SMTPServer, celery_worker, free_port, publishing, redis_server, wait_for


@pytest.mark.django_db
def test_each_email_goes_once_with_both_parts_and_a_working_unsubscribe(clause, people, deliver, client):
    notifications.follow(user=people["observer"], clause=clause)
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="Support.", stance="support")
    )
    to_observer = [m for m in mail.outbox if m.to == [people["observer"].email]]
    assert len(to_observer) == 1
    email = to_observer[0]
    assert f"{speaks(people['participant'])} commented on clause OP1" in email.subject
    assert email.alternatives[0].mimetype == "text/html" and "<a href=" in email.alternatives[0].content
    unsubscribe_url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert (
        unsubscribe_url in email.body and email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    # The same send task again (a retry, a duplicate message) sends nothing more.
    notification = Notification.objects.get(recipient=people["observer"], kind="comment_posted")
    send_notification_email(notification.id)
    assert len([m for m in mail.outbox if m.to == [people["observer"].email]]) == 1
    # One click, no log-in.
    path = unsubscribe_url.split("8000", 1)[1]
    assert client.post(path).status_code == 200
    people["observer"].refresh_from_db()
    assert people["observer"].email_preference == "off"
    forged = client.get(path[:-3] + "abc/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()


@pytest.mark.django_db
def test_daily_digest_goes_at_the_fixed_hour_grouped_by_draft(clause, people, deliver, settings):
    reader = people["observer"]
    reader.email_preference = "daily"
    reader.save()
    notifications.follow(user=reader, clause=clause)
    with time_machine.travel("2030-12-01 15:00Z", tick=False):
        deliver(lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="One"))
        deliver(lambda: services.comment_post(by=people["moderator"], clause_id=clause.id, body="Two"))
    assert [m for m in mail.outbox if m.to == [reader.email]] == []
    from codeofconduct.celery import app

    schedule = app.conf.beat_schedule["daily-digests"]["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0}
    with time_machine.travel("2030-12-02 07:00Z", tick=False):
        send_daily_digests()
        send_daily_digests()  # a doubled run
    digests = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(digests) == 1
    assert "2 updates" in digests[0].subject
    assert clause.draft.title in digests[0].body and "The Chair commented" in digests[0].body


@pytest.mark.django_db
def test_failed_sends_retry_and_the_last_failure_is_visible(clause, people, deliver, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there: a real refusal
    settings.EMAIL_MAX_ATTEMPTS = 3
    notifications.follow(user=people["observer"], clause=clause)
    deliver(lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="x"))
    notification = Notification.objects.get(recipient=people["observer"], kind="comment_posted")
    assert (notification.email_status, notification.email_attempts) == ("failed", 3)
    assert "Connection refused" in notification.email_error or "Errno" in notification.email_error


# With the real worker, broker and SMTP server ----------------------------------------------------


def smtp_env(smtp: SMTPServer) -> dict:
    return {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "SWEEP_SECONDS": "1",
        "SWEEP_GRACE_SECONDS": "1",
    }


@pytest.mark.django_db(transaction=True)
def test_a_comment_reaches_a_follower_by_email_through_the_worker(tmp_path, clause, people):
    notifications.follow(user=people["observer"], clause=clause)
    with SMTPServer() as smtp, celery_worker(tmp_path, **smtp_env(smtp)) as worker, publishing(tmp_path):
        response = client_for(people["participant"]).post(
            "/api/v1/comments/", {"clause": clause.id, "body": "We support this.", "stance": "support"}, format="json"
        )
        assert response.status_code == 201
        assert wait_for(lambda: smtp.to(people["observer"].email), timeout=60, process=worker)
        time.sleep(2)  # nothing more is coming
        received = smtp.to(people["observer"].email)
        assert len(received) == 1
        email = received[0]
        assert f"{speaks(people['participant'])} commented on clause OP1" in " ".join(email["Subject"].split())
        assert str(email["List-Unsubscribe"]).strip().startswith("<http") and email.is_multipart()
        assert {part.get_content_type() for part in email.walk()} >= {"text/plain", "text/html"}


@pytest.mark.django_db(transaction=True)
def test_redis_down_during_a_write_then_back_the_email_arrives_once(tmp_path, clause, people):
    need(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    notifications.follow(user=people["observer"], clause=clause)
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with SMTPServer() as smtp:
        env = {**smtp_env(smtp), "REDIS_URL": broker}
        with (
            redis_server(tmp_path, port) as redis,
            celery_worker(tmp_path, **env) as worker,
            publishing(tmp_path, broker),
        ):
            from codeofconduct.models import Heartbeat

            assert wait_for(lambda: Heartbeat.objects.exists(), timeout=60, process=worker)
            redis.terminate()
            redis.wait(timeout=10)

            started = time.monotonic()
            response = client_for(people["participant"]).post(
                "/api/v1/comments/",
                {"clause": clause.id, "body": "Written while Redis is down.", "stance": "neutral"},
                format="json",
            )
            elapsed = time.monotonic() - started
            assert response.status_code == 201 and elapsed < 2.0, elapsed
            assert Event.objects.filter(fanned_out_at__isnull=True).exists()  # recorded, waiting
            assert smtp.to(people["observer"].email) == []

            with redis_server(tmp_path, port):
                assert wait_for(lambda: smtp.to(people["observer"].email), timeout=120, process=worker)
                time.sleep(3)  # the sweep keeps running: still only one
                assert len(smtp.to(people["observer"].email)) == 1
    assert django_settings.REDIS_URL != broker  # the shared Redis was never touched


@pytest.mark.django_db
def test_a_title_saved_with_a_line_break_still_reaches_people_by_email(clause, people, deliver):
    from drafting.models import Clause

    Clause.objects.filter(pk=clause.pk).update(title="Saved before\nthe rule")
    notifications.follow(user=people["observer"], clause=clause)
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="Support.", stance="support")
    )
    sent = [m for m in mail.outbox if m.to == [people["observer"].email]]
    assert len(sent) == 1 and "\n" not in sent[0].subject
    assert sent[0].message()  # builds its headers without BadHeaderError


@pytest.mark.django_db
def test_a_notice_longer_than_a_subject_is_cut_at_a_word_with_an_ellipsis(draft, people, deliver):
    from datetime import timedelta

    from django.utils import timezone

    draft.title = (
        "Code of conduct for responsible behaviour in cyberspace and the protection of critical infrastructure"
    )
    draft.save()
    round_ = services.round_create(
        draft=draft, by=people["moderator"], title="First reading", closes_at=timezone.now() + timedelta(days=3)
    )
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    notice = Notification.objects.get(recipient=people["observer"], kind="round_opened").message
    (email,) = [m for m in mail.outbox if m.to == [people["observer"].email]]
    assert len(notice) > 150 and notice in email.body  # the body says it whole
    assert email.subject.endswith("…") and len(email.subject) <= 150
    head = email.subject[:-1]
    assert notice.startswith(head) and notice[len(head)] in " ,.", email.subject  # "It closes…", never "It clos"


@pytest.mark.django_db
def test_each_email_says_why_its_reader_gets_it(draft, clause, people, deliver, admin_user):
    from accounts import services as account_services
    from tests.accounts.factories import MembershipFactory

    def why(person) -> str:
        (email,) = [m for m in mail.outbox if m.to == [person.email]]
        mail.outbox.remove(email)
        return email.body.split("because ", 1)[1].split("\n")[0]

    notifications.follow(user=people["observer"], clause=clause)
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    assert why(people["participant"]) == f"it concerns you in “{draft.title}”."  # a member, following nothing
    assert why(people["observer"]) == f"it concerns you in “{draft.title}”."  # the clause they follow is not it
    deliver(
        lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New.")
    )
    assert why(people["observer"]) == f"you follow clause OP1 “{clause.title}”."
    assert why(people["moderator"]) == f"you follow “{draft.title}”."  # moderators follow their drafts
    membership = MembershipFactory(status="pending")
    deliver(
        lambda: account_services.membership_verify(
            organization_id=membership.organization_id, user_id=membership.user_id, by=admin_user
        )
    )
    assert why(membership.user) == "it concerns your account."
