"""Administrators and moderators use a second factor, and their sessions end when idle (issue 10, point 5)."""

import re

import pytest
import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from drafting.models import Section
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def log_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client, user) -> list[str]:
    """Go through the set-up page as a person would; the recovery codes it shows."""
    page = client.get("/accounts/two-factor/")
    secret = re.search(r'id="otp-secret">([A-Z2-7=]+)<', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.rstrip("=") and 'src="data:image/svg+xml;base64,' in page.content.decode()
    shown = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/"})
    assert shown.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", shown.content.decode())


def test_a_moderator_does_nothing_before_setting_up_a_second_factor(client, draft, people):
    moderator = people["moderator"]
    log_in(client, moderator)
    page = client.get(f"/drafts/{draft.slug}/manage/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/?next=")
    refused = client.post(f"/drafts/{draft.slug}/manage/", {"action": "section", "title": "Sneaked in"})
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/two-factor/")
    api = client.post(
        f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Sneaked in"}, content_type="application/json"
    )
    assert api.status_code == 403 and "second factor" in api.json()["detail"]
    assert not Section.objects.filter(title="Sneaked in").exists()
    # The setup page itself works in the person's language: its scripts' words and the switcher.
    words = client.get("/jsi18n/")
    assert words.status_code == 200 and "javascript" in words["Content-Type"]
    switched = client.post("/language/", {"language": "fr", "next": "/accounts/two-factor/"})
    assert switched.status_code == 302 and switched["Location"] == "/accounts/two-factor/"
    assert '<html lang="fr"' in client.get("/accounts/two-factor/").content.decode()
    moderator.refresh_from_db()
    assert moderator.language == "fr"

    codes = set_up(client, moderator)
    assert len(codes) == 10 and len(set(codes)) == 10
    made = client.post(
        f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Now allowed"}, content_type="application/json"
    )
    assert made.status_code == 201


def test_a_wrong_code_sets_up_nothing(client, people):
    log_in(client, people["moderator"])
    client.get("/accounts/two-factor/")
    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=people["moderator"], confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_the_next_session_asks_for_a_code_and_a_recovery_code_works_once(client, people):
    admin = people["admin"]
    with time_machine.travel("2026-11-27 10:00", tick=False) as clock:
        log_in(client, admin)
        codes = set_up(client, admin)
        client.post("/accounts/logout/")

        log_in(client, admin)
        assert client.get("/admin/").status_code == 302
        page = client.get("/accounts/two-factor/")
        assert "Type the 6-digit code" in page.content.decode() and "otp-secret" not in page.content.decode()
        assert client.post("/accounts/two-factor/", {"code": "123456"}).status_code == 400
        clock.shift(5)  # django-otp makes a guesser wait longer after each wrong code
        assert client.post("/accounts/two-factor/", {"code": codes[0], "next": "/admin/"})["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
        client.post("/accounts/logout/")

        log_in(client, admin)
        reused = client.post("/accounts/two-factor/", {"code": codes[0]})
        assert reused.status_code == 400 and "works once" in reused.content.decode()
        clock.shift(60)
        device = TOTPDevice.objects.get(user=admin, confirmed=True)
        assert client.post("/accounts/two-factor/", {"code": code_for(device)}).status_code == 302
        assert client.get("/admin/").status_code == 200


def test_participants_and_observers_are_not_asked(client, draft, people):
    for standing in ("participant", "observer", "non_member"):
        log_in(client, people[standing])
        assert client.get(f"/drafts/{draft.slug}/").status_code == 200
        client.post("/accounts/logout/")


def test_the_token_endpoint_asks_privileged_people_for_a_code(api, client, people):
    moderator = people["moderator"]

    def token(**extra):
        return api.post(
            "/api/v1/auth/token/", {"username": moderator.username, "password": PASSWORD, **extra}, format="json"
        )

    with time_machine.travel("2026-11-27 10:00", tick=False) as clock:
        not_set_up = token()
        assert not_set_up.status_code == 403 and "/accounts/two-factor/" in not_set_up.json()["detail"]
        log_in(client, moderator)
        codes = set_up(client, moderator)
        assert token().status_code == 400 and "otp" in token().json()
        clock.shift(60)
        assert token(otp="000000").status_code == 400
        clock.shift(60)
        device = TOTPDevice.objects.get(user=moderator, confirmed=True)
        assert token(otp=code_for(device)).status_code == 200
        assert token(otp=code_for(device)).status_code == 400  # a code is good once
        clock.shift(10)
        assert token(otp=codes[1]).status_code == 200
    assert (
        api.post(
            "/api/v1/auth/token/", {"username": people["participant"].username, "password": PASSWORD}, format="json"
        ).status_code
        == 200
    )


@override_settings(PRIVILEGED_IDLE_SECONDS=600)
def test_a_privileged_session_ends_after_idle_time(client, people):
    admin = people["admin"]
    with time_machine.travel("2026-11-27 10:00", tick=False) as clock:
        log_in(client, admin)
        set_up(client, admin)
        assert client.get("/admin/").status_code == 200
        clock.shift(540)
        assert client.get("/admin/").status_code == 200  # activity keeps it alive
        clock.shift(540)
        assert client.get("/admin/").status_code == 200
        clock.shift(601)
        gone = client.get("/admin/", follow=True)
        assert "signed out after 10 minutes" in gone.content.decode()
        assert not gone.wsgi_request.user.is_authenticated


@override_settings(PRIVILEGED_IDLE_SECONDS=600)
def test_a_token_made_to_end_with_a_session_ends_when_it_times_out(client, people):
    """Any sign-out ends the tokens bound to the session, the idle time-out's as the log-out page's."""
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.test import APIClient

    moderator = people["moderator"]  # made one just now: the clock goes on from there
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False) as clock:
        log_in(client, moderator)
        set_up(client, moderator)
        made = client.post("/accounts/tokens/", {"name": "this laptop", "days": "1", "ends_at_sign_out": "on"})
        key = re.search(r'id="new-token-key">([0-9a-f]+)<', made.content.decode()).group(1)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get("/api/v1/me/").status_code == 200
        clock.shift(601)
        assert "signed out after 10 minutes" in client.get("/accounts/profile/", follow=True).content.decode()
        assert api.get("/api/v1/me/").status_code == 401


@override_settings(PRIVILEGED_IDLE_SECONDS=600)
def test_participants_sessions_do_not_time_out(client, people):
    with time_machine.travel("2026-11-27 10:00", tick=False) as clock:
        log_in(client, people["participant"])
        clock.shift(3600)
        assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.parametrize("role", [None, "observer", "participant", "moderator"])
def test_moderating_a_draft_is_one_rule_read_with_the_person_or_alone(role, draft, admin_user):
    """The person of every request carries whether they moderate a draft (accounts.backends); a
    person read otherwise is asked the same SQL. Both give the same answer for every role."""
    from accounts.backends import GuardedModelBackend
    from accounts.twofactor import is_privileged
    from drafting import services
    from tests.accounts.factories import UserFactory

    person = UserFactory(username="delegate")
    if role is not None:
        services.draft_member_set(draft=draft, user_id=person.id, role=role, by=admin_user)
    with_the_request = GuardedModelBackend().get_user(person.pk)
    assert with_the_request.moderates_a_draft is (role == "moderator")
    assert (
        is_privileged(with_the_request)
        is is_privileged(type(person).objects.get(pk=person.pk))
        is (role == "moderator")
    )
