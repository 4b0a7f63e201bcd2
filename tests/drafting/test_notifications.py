"""Who hears of what, in the app and by email (tasks run in-process here; see test_delivery for the real worker)."""

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from drafting import services
from drafting.models import Event, Notification, Subscription
from drafting.services import notifications
from drafting.tasks import fan_out_event, send_daily_digests, send_notification_email
from tests.conftest import client_for
from tests.drafting.test_round_close import cast, make_voters
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run what each commit hands to Celery (fan-out, emails) in-process, as the worker would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def round_(draft, people, deliver):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))


def messages_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "message"))


def test_new_amendment_reaches_clause_followers_and_moderators_not_the_author(clause, people, round_, deliver):
    follower = UserFactory(username="follower")
    services.draft_member_set(draft=clause.draft, user_id=follower.id, role="observer", by=people["admin"])
    notifications.follow(user=follower, clause=clause)
    # Moderators follow their draft from the moment they are appointed.
    assert Subscription.objects.filter(user=people["moderator"], draft=clause.draft).exists()
    amendment = deliver(lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete"))
    for person in (follower, people["moderator"]):
        kinds = [k for k, _ in messages_of(person)]
        assert kinds[-1] == "amendment_submitted"
        assert f"a_participant proposed deleting clause {clause.number}" in messages_of(person)[-1][1]
    assert not Notification.objects.filter(recipient=people["participant"], kind="amendment_submitted").exists()
    notification = Notification.objects.filter(recipient=follower).last()
    assert notification.url == f"/amendments/{amendment.id}/"
    # The author now follows the clause they amended.
    assert Subscription.objects.filter(user=people["participant"], clause=clause).exists()


def test_reply_tells_the_parent_author_once(clause, people, deliver):
    root = deliver(
        lambda: services.comment_post(by=people["observer"], clause_id=clause.id, body="Why?", stance="question")
    )
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, parent_id=root.id, body="Because.")
    )
    observer_kinds = [k for k, _ in messages_of(people["observer"])]
    assert observer_kinds == ["comment_reply"]  # not also "comment_posted" for the same reply
    assert "a_participant replied to your comment" in messages_of(people["observer"])[0][1]


def test_chatham_house_notifications_name_the_group_only(draft, clause, people, deliver):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="Closed doors", chatham_house=True)
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    deliver(lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete"))
    message = messages_of(people["moderator"])[-1][1]
    assert "a_participant" not in message and message.startswith("A participant (government) proposed deleting")


def test_outcomes_and_round_events_reach_authors_and_members(draft, clause, people, round_, deliver):
    proposal = deliver(
        lambda: services.clause_create(
            draft=draft, section_id=clause.section_id, title="Contacts", text="Name one.", by=people["participant"]
        )
    )
    amendment = deliver(
        lambda: services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="New.")
    )
    voters = make_voters(draft, government=2)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, proposal, {"government": "yy"})
    cast(voters, amendment, {"government": "nn"})
    deliver(lambda: services.round_close(round_id=round_.id, by=people["moderator"]))
    kinds = [k for k, _ in messages_of(people["participant"])]
    assert "round_opened" in kinds and "clause_accepted" in kinds and "amendment_rejected" in kinds
    assert kinds[-1] == "round_closed"
    summary = messages_of(people["observer"])[-1][1]
    assert "First reading" in summary and "1 accepted, 1 rejected" in summary and "Rev.1 is published" in summary


def test_closing_soon_warns_once(draft, people, deliver):
    round_ = services.round_create(
        draft=draft, by=people["moderator"], title="Short", closes_at=timezone.now() + timezone.timedelta(hours=30)
    )
    deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))
    assert deliver(lambda: services.rounds_warn_closing_soon()) == []
    later = timezone.now() + timezone.timedelta(hours=7)
    assert deliver(lambda: services.rounds_warn_closing_soon(now=later)) == [round_.id]
    assert deliver(lambda: services.rounds_warn_closing_soon(now=later)) == []
    assert Notification.objects.filter(recipient=people["observer"], kind="round_closing").count() == 1


def test_membership_verified_is_notified(people, deliver):
    membership = MembershipFactory(status="pending")
    deliver(
        lambda: account_services.membership_verify(
            organization_id=membership.organization_id, user_id=membership.user_id, by=people["admin"]
        )
    )
    assert messages_of(membership.user)[0][0] == "membership_verified"


def test_a_rolled_back_change_notifies_nobody(clause, people, deliver):
    notifications.follow(user=people["observer"], clause=clause)

    def fail_after_commenting():
        with transaction.atomic():
            services.comment_post(by=people["participant"], clause_id=clause.id, body="Lost words")
            raise RuntimeError("the request failed after the comment was written")

    with pytest.raises(RuntimeError):
        deliver(fail_after_commenting)
    assert not Event.objects.exists() and not Notification.objects.exists() and mail.outbox == []


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


def test_each_email_goes_once_with_both_parts_and_a_working_unsubscribe(clause, people, deliver, client):
    notifications.follow(user=people["observer"], clause=clause)
    deliver(
        lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="Support.", stance="support")
    )
    to_observer = [m for m in mail.outbox if m.to == [people["observer"].email]]
    assert len(to_observer) == 1
    email = to_observer[0]
    assert "a_participant commented on clause 1" in email.subject
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


def test_daily_digest_goes_at_the_fixed_hour_grouped_by_draft(clause, people, deliver, settings):
    reader = people["observer"]
    reader.email_preference = "daily"
    reader.save()
    notifications.follow(user=reader, clause=clause)
    with time_machine.travel("2026-12-01 15:00Z", tick=False):
        deliver(lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="One"))
        deliver(lambda: services.comment_post(by=people["moderator"], clause_id=clause.id, body="Two"))
    assert [m for m in mail.outbox if m.to == [reader.email]] == []
    from codeofconduct.celery import app

    schedule = app.conf.beat_schedule["daily-digests"]["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0}
    with time_machine.travel("2026-12-02 07:00Z", tick=False):
        send_daily_digests()
        send_daily_digests()  # a doubled run
    digests = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(digests) == 1
    assert "2 updates" in digests[0].subject
    assert clause.draft.title in digests[0].body and "a_moderator commented" in digests[0].body


def test_failed_sends_retry_and_the_last_failure_is_visible(clause, people, deliver, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there: a real refusal
    settings.EMAIL_MAX_ATTEMPTS = 3
    notifications.follow(user=people["observer"], clause=clause)
    deliver(lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="x"))
    notification = Notification.objects.get(recipient=people["observer"], kind="comment_posted")
    assert (notification.email_status, notification.email_attempts) == ("failed", 3)
    assert "Connection refused" in notification.email_error or "Errno" in notification.email_error


def test_in_app_list_unread_count_and_mark_read(clause, people, deliver, client):
    notifications.follow(user=people["observer"], clause=clause)
    for body in ("a", "b", "c"):
        deliver(lambda body=body: services.comment_post(by=people["participant"], clause_id=clause.id, body=body))
    api = client_for(people["observer"])
    listed = api.get("/api/v1/notifications/").json()
    assert listed["unread"] == 3 and [n["read"] for n in listed["results"]] == [False] * 3
    assert set(listed["results"][0]) == {"id", "kind", "message", "url", "created_at", "read"}
    first = listed["results"][0]["id"]
    assert api.post("/api/v1/notifications/mark-read/", {"ids": [first]}, format="json").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/").json()["unread"] == 2
    assert api.post("/api/v1/notifications/mark-read/", {}, format="json").status_code == 400
    client.force_login(people["observer"])
    header = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in header
    client.post("/notifications/read/", {"all": "1"})
    assert api.get("/api/v1/notifications/").json()["unread"] == 0
    assert client_for(None).get("/api/v1/notifications/").status_code == 401


def test_preferences_and_subscriptions_api(draft, clause, people):
    api = client_for(people["observer"])
    assert api.get("/api/v1/me/preferences/").json() == {"email": "immediate"}
    assert api.put("/api/v1/me/preferences/", {"email": "daily"}, format="json").json() == {"email": "daily"}
    assert api.put("/api/v1/me/preferences/", {"email": "hourly"}, format="json").status_code == 400
    followed = api.post("/api/v1/subscriptions/", {"draft": draft.slug}, format="json")
    assert followed.status_code == 201 and followed.json()["draft"] == draft.slug
    clause_follow = api.post("/api/v1/subscriptions/", {"clause": clause.id}, format="json").json()
    listed = [s["id"] for s in api.get("/api/v1/subscriptions/").json()["results"]]
    assert set(listed) == {followed.json()["id"], clause_follow["id"]}
    assert api.delete(f"/api/v1/subscriptions/{clause_follow['id']}/").status_code == 204
    assert (
        client_for(people["participant"]).delete(f"/api/v1/subscriptions/{followed.json()['id']}/").status_code == 404
    )
    assert api.post("/api/v1/subscriptions/", {}, format="json").status_code == 400
    draft.visibility = "members"
    draft.save()
    outsider = client_for(people["non_member"])
    assert outsider.post("/api/v1/subscriptions/", {"draft": draft.slug}, format="json").status_code == 404


def test_follow_button_on_pages(client, draft, clause, people):
    client.force_login(people["observer"])
    assert "Follow<" in client.get(f"/clauses/{clause.id}/").content.decode()
    client.post("/follow/", {"clause": clause.id, "next": f"/clauses/{clause.id}/"})
    assert "Following · unfollow" in client.get(f"/clauses/{clause.id}/").content.decode()
    client.post("/follow/", {"clause": clause.id})
    assert not Subscription.objects.filter(user=people["observer"], clause=clause).exists()
    client.post("/follow/", {"draft": draft.slug})
    assert Subscription.objects.filter(user=people["observer"], draft=draft).exists()
    page = client.get("/notifications/").content.decode()
    assert draft.title in page and 'value="immediate" checked' in page
    client.post("/notifications/preferences/", {"email": "off"})
    people["observer"].refresh_from_db()
    assert people["observer"].email_preference == "off"
