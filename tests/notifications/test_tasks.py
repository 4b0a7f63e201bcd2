"""The worker's side: fan-out once, the sweep that recovers lost messages, and beat's schedule."""

import pytest
from django.core import mail
from django.utils import timezone

from codeofconduct.celery import app
from drafting import services
from notifications import services as notifications
from notifications.models import Event, Notification
from notifications.tasks import fan_out_event, sweep_pending_notifications
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_request_writes_one_event_and_the_worker_fans_out(clause, people, django_capture_on_commit_callbacks):
    followers = [UserFactory() for _ in range(30)]
    for person in followers:
        services.draft_member_set(draft=clause.draft, user_id=person.id, role="observer", by=people["admin"])
        notifications.follow(user=person, clause=clause)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_post(by=people["participant"], clause_id=clause.id, body="Agreed.", stance="support")
    assert Event.objects.count() == 1 and Notification.objects.count() == 0 and len(callbacks) == 1
    event = Event.objects.get()
    fan_out_event(event.id)
    assert Notification.objects.filter(event=event).count() == 31  # 30 followers and the moderator
    fan_out_event(event.id)  # a task run twice
    assert Notification.objects.filter(event=event).count() == 31


def test_the_sweep_delivers_what_a_lost_message_left_behind_once(
    clause, people, settings, django_capture_on_commit_callbacks
):
    settings.SWEEP_GRACE_SECONDS = 30
    notifications.follow(user=people["observer"], clause=clause)
    with django_capture_on_commit_callbacks(execute=False):  # the fan-out message never reaches a worker
        services.comment_post(by=people["participant"], clause_id=clause.id, body="Lost?", stance="support")
    assert Event.objects.filter(fanned_out_at__isnull=True).count() == 1 and Notification.objects.count() == 0
    sweep_pending_notifications()
    assert Notification.objects.count() == 0  # too recent: the normal path may still deliver it
    Event.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    sweep_pending_notifications()  # tasks run in-process here, as the worker would run them
    sweep_pending_notifications()  # the next run finds nothing left
    observer_mail = [m for m in mail.outbox if m.to == [people["observer"].email]]
    assert len(observer_mail) == 1 and "commented on clause OP1" in observer_mail[0].subject
    assert Notification.objects.get(recipient=people["observer"]).email_status == "sent"


def test_the_sweep_sends_an_email_whose_task_was_lost(clause, people, settings):
    settings.SWEEP_GRACE_SECONDS = 30
    event = Event.objects.create(kind="comment_posted", draft=clause.draft, message="Lost email.", url="/")
    waiting = Notification.objects.create(
        recipient=people["observer"], event=event, kind=event.kind, message=event.message, url="/"
    )
    sweep_pending_notifications()
    assert mail.outbox == []  # too recent: the normal path may still deliver it
    Notification.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    sweep_pending_notifications()
    assert [m.subject for m in mail.outbox] == ["Lost email."]


def test_beat_runs_the_sweeps_and_digests_under_their_old_keys():
    schedule = app.conf.beat_schedule
    assert schedule["sweep-pending-notifications"]["task"] == "notifications.tasks.sweep_pending_notifications"
    assert schedule["daily-digests"]["task"] == "notifications.tasks.send_daily_digests"
    assert schedule["retry-export-jobs"]["task"] == "drafting.tasks.retry_export_jobs"
    app.loader.import_default_modules()
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
