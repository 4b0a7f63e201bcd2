"""API tokens (accounts/tokens.py, accounts/authentication.py): hashed at rest, named, expiring,
listed and revoked by their owner, ended by a new password and at log-out, and never acting for an
administrator or moderator without a second factor confirmed since they became one."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import services, tokens
from accounts.models import ApiToken, User
from drafting import services as drafting
from drafting.models import Draft, Round, Section
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def as_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ask_token(username: str, **extra):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}, format="json")


def confirmed_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def moderator_acts(key: str, draft) -> dict:
    """What a moderator's token tries: the answer to each act, by name."""
    client = as_token(key)
    return {
        "section": client.post(f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Sneaked in"}, format="json"),
        "round": client.post(
            f"/api/v1/drafts/{draft.slug}/rounds/",
            {"title": "Sneaked round", "voting_rule": "simple_majority", "quorum": 1},
            format="json",
        ),
        "visibility": client.patch(f"/api/v1/drafts/{draft.slug}/", {"visibility": "members"}, format="json"),
    }


def test_a_token_from_before_a_promotion_acts_for_the_moderator_in_nothing(two_factor_on, draft, people):
    participant = people["participant"]
    old = ask_token(participant.username)
    assert old.status_code == 200
    key = old.json()["token"]
    assert as_token(key).get("/api/v1/me/").status_code == 200
    drafting.draft_member_set(draft=draft, user_id=participant.pk, role="moderator", by=people["admin"])

    answers = moderator_acts(key, draft)
    assert {name: a.status_code for name, a in answers.items()} == {"section": 401, "round": 401, "visibility": 401}
    assert not Section.objects.filter(title="Sneaked in").exists()
    assert not Round.objects.filter(title="Sneaked round").exists()
    assert Draft.objects.get(pk=draft.pk).visibility == "public"
    assert not ApiToken.objects.filter(user=participant).exists()  # promotion revoked it

    # A new token asks for the second factor, and then acts.
    assert ask_token(participant.username).status_code == 403  # no authenticator yet
    device = confirmed_authenticator(participant)
    assert ask_token(participant.username).status_code == 400  # no code
    fresh = ask_token(participant.username, otp=f"{totp(device.bin_key):06d}")
    assert fresh.status_code == 200 and fresh.json()["second_factor"] is True
    made = as_token(fresh.json()["token"]).post(
        f"/api/v1/drafts/{draft.slug}/sections/", {"title": "Allowed"}, format="json"
    )
    assert made.status_code == 201


def test_a_token_is_checked_against_the_role_when_used_not_when_issued(two_factor_on, draft, people):
    """Whatever revoked or did not revoke it, a token with no second factor, or one confirmed before
    the person last became privileged, never acts for an administrator or moderator."""
    participant = people["participant"]
    _, plain = tokens.token_issue(user=participant)
    # Made a moderator by a path that revokes nothing (a direct write, as a shell or a script might).
    participant.draft_memberships.filter(draft=draft).update(role="moderator")
    refused = moderator_acts(plain, draft)["section"]
    assert refused.status_code == 403 and "second factor" in refused.json()["detail"]
    # Confirmed with a second factor before the latest promotion: refused too.
    moderator = people["moderator"]
    _, earlier = tokens.token_issue(user=moderator, second_factor_at=timezone.now() - timedelta(hours=1))
    moderator.privileged_since = timezone.now() - timedelta(minutes=5)
    moderator.save(update_fields=["privileged_since"])
    assert moderator_acts(earlier, draft)["section"].status_code == 403
    _, since = tokens.token_issue(user=moderator, second_factor_at=timezone.now())
    assert moderator_acts(since, draft)["section"].status_code == 201
    # An administrator made in the admin is promoted the same way.
    staff = people["observer"]
    _, staff_key = tokens.token_issue(user=staff)
    staff.is_staff = True
    staff.save()
    assert as_token(staff_key).get("/api/v1/me/").status_code == 403


@pytest.mark.parametrize("who", ["observer", "moderator"])
def test_the_admin_making_an_administrator_revokes_their_tokens(client, people, who):
    """A moderator is privileged already; made an administrator, their token confirmed for moderating
    once created drafts as an administrator."""
    person = people[who]
    _, key = tokens.token_issue(user=person, second_factor_at=timezone.now())
    assert as_token(key).post("/api/v1/drafts/", {"title": "Before"}, format="json").status_code == 403
    client.force_login(people["admin"])
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    form = {
        key: value
        for key, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.content.decode())
        if key not in {"csrfmiddlewaretoken"}
    }
    form.update({"username": person.username, "is_staff": "on", "is_superuser": "on", "is_active": "on"})
    saved = client.post(f"/admin/accounts/user/{person.pk}/change/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_superuser and person.privileged_since is not None
    assert not ApiToken.objects.filter(user=person).exists()
    assert as_token(key).post("/api/v1/drafts/", {"title": "After"}, format="json").status_code == 401
    assert not Draft.objects.filter(title__in=["Before", "After"]).exists()


def test_only_a_hash_of_the_key_is_kept(people):
    token, key = tokens.token_issue(user=people["participant"], name="laptop")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in row.values()}
    assert row["digest"] != key and len(row["digest"]) == 128
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert all(key not in str(value) for record in cursor.fetchall() for value in record)
    assert as_token(key).get("/api/v1/me/").json()["username"] == people["participant"].username


def test_a_person_lists_and_revokes_their_own_tokens_through_the_api(people):
    ana, bob = people["participant"], people["observer"]
    first = ask_token(ana.username, name="CI script", days=7).json()
    assert first["name"] == "CI script" and first["second_factor"] is False
    expires = timezone.datetime.fromisoformat(first["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=6, hours=23) < expires - timezone.now() <= timedelta(days=7)
    second = as_token(first["token"]).post("/api/v1/auth/tokens/", {"name": "laptop"}, format="json")
    assert second.status_code == 201 and second.json()["token"] != first["token"]
    # A name that reorders itself on screen ("laptop" drawn from "\u202epotpal") could pass for another.
    reordered = as_token(first["token"]).post("/api/v1/auth/tokens/", {"name": "\u202epotpal"}, format="json")
    assert reordered.status_code == 400 and "U+202E" in reordered.json()["name"][0]

    listed = as_token(first["token"]).get("/api/v1/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["laptop", "CI script"]
    assert all("token" not in t and "digest" not in t for t in listed)

    _, bobs = tokens.token_issue(user=bob)
    bobs_id = ApiToken.objects.get(user=bob).pk
    assert as_token(first["token"]).delete(f"/api/v1/auth/tokens/{bobs_id}/").status_code == 404
    assert as_token(bobs).get("/api/v1/me/").status_code == 200

    assert as_token(first["token"]).delete(f"/api/v1/auth/tokens/{second.json()['id']}/").status_code == 204
    revoked = as_token(second.json()["token"]).get("/api/v1/me/")
    assert revoked.status_code == 401 and revoked.json()["detail"] == "Invalid token."
    assert as_token(first["token"]).post("/api/v1/auth/logout/").status_code == 204
    assert as_token(first["token"]).get("/api/v1/me/").status_code == 401


def test_the_token_page_makes_shows_once_and_revokes(client, people):
    ana = people["participant"]
    client.force_login(ana)
    made = client.post("/accounts/tokens/", {"name": "Analysis notebook", "days": "10"})
    assert made.status_code == 200
    key = re.search(r'id="new-token-key">([0-9a-f]+)<', made.content.decode()).group(1)
    assert as_token(key).get("/api/v1/me/").json()["username"] == ana.username
    again = client.get("/accounts/tokens/").content.decode()
    assert "Analysis notebook" in again and key not in again
    bad = client.post("/accounts/tokens/", {"name": "x" * 50, "days": "0"})
    assert bad.status_code == 400 and 'value="' + "x" * 50 + '"' in bad.content.decode()
    token = ApiToken.objects.get(user=ana)
    assert client.post("/accounts/tokens/", {"action": "revoke", "token": token.pk}).status_code == 302
    assert as_token(key).get("/api/v1/me/").status_code == 401


def test_log_out_revokes_the_tokens_bound_to_that_session_only(client, people):
    ana = people["participant"]
    client.post("/accounts/login/", {"username": ana.username, "password": PASSWORD})
    bound = client.post("/accounts/tokens/", {"name": "this browser", "days": "5", "ends_at_sign_out": "on"})
    bound_key = re.search(r'id="new-token-key">([0-9a-f]+)<', bound.content.decode()).group(1)
    _, standalone = tokens.token_issue(user=ana, name="server script")
    client.post("/accounts/logout/")
    assert as_token(bound_key).get("/api/v1/me/").status_code == 401
    assert as_token(standalone).get("/api/v1/me/").status_code == 200


def test_a_token_bound_to_a_session_ends_when_the_session_ends_without_a_log_out(client, people):
    """The session's age, or another person signing in on the same browser, ends it with no log-out:
    the token made to end with it ends too (the review found it outliving them)."""
    from django.contrib.sessions.models import Session

    ana, ben = people["participant"], people["observer"]
    client.post("/accounts/login/", {"username": ana.username, "password": PASSWORD})
    bound = client.post("/accounts/tokens/", {"name": "this browser", "days": "5", "ends_at_sign_out": "on"})
    key = re.search(r'id="new-token-key">([0-9a-f]+)<', bound.content.decode()).group(1)
    assert as_token(key).get("/api/v1/me/").status_code == 200
    client.post("/accounts/login/", {"username": ben.username, "password": PASSWORD})  # the session is flushed
    assert as_token(key).get("/api/v1/me/").status_code == 401

    client.post("/accounts/login/", {"username": ana.username, "password": PASSWORD})
    bound = client.post("/accounts/tokens/", {"name": "again", "days": "5", "ends_at_sign_out": "on"})
    key = re.search(r'id="new-token-key">([0-9a-f]+)<', bound.content.decode()).group(1)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    from django.conf import settings as django_settings
    from django.core.cache import caches

    caches[django_settings.SESSION_CACHE_ALIAS].clear()  # its copy in the cache has aged out too
    assert as_token(key).get("/api/v1/me/").status_code == 401


def test_a_new_password_by_any_path_ends_every_token(client, people, settings):
    ana = people["participant"]
    _, changed_on_page = tokens.token_issue(user=ana)
    client.post("/accounts/login/", {"username": ana.username, "password": PASSWORD})
    new = "another-long-password-2"
    answer = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert answer.status_code == 302
    assert as_token(changed_on_page).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=ana).exists()
    # The endpoint never hands back an old key: each answer is a new token.
    one, two = (APIClient().post("/api/v1/auth/token/", {"username": ana.username, "password": new}) for _ in "12")
    assert one.json()["token"] != two.json()["token"]

    # Reset by the emailed link: it works once, signs nobody in, and ends every token.
    User.objects.filter(pk=ana.pk).update(email="ana@example.org")
    _, before_reset = tokens.token_issue(user=User.objects.get(pk=ana.pk))
    client.post("/accounts/logout/")
    client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    reset_url = form.redirect_chain[-1][0]
    third = "a-third-long-password-3"
    done = client.post(reset_url, {"new_password1": third, "new_password2": third})
    assert done.status_code == 302
    assert client.get("/accounts/profile/").status_code == 302  # the reset signed nobody in
    assert as_token(before_reset).get("/api/v1/me/").status_code == 401
    reused = client.get(link, follow=True)
    assert "new_password1" not in reused.content.decode()  # the link worked once

    # A password set where no page is involved (the admin, the shell): the token is refused at use.
    ana = User.objects.get(pk=ana.pk)
    _, by_shell = tokens.token_issue(user=ana)
    ana.set_password("set-at-the-shell-4")
    ana.save()
    ended = as_token(by_shell).get("/api/v1/me/")
    assert ended.status_code == 401 and "password changed" in ended.json()["detail"]


def test_a_reset_link_expires(client, people, settings):
    ana = people["participant"]
    link = f"/accounts/password/reset/{urlsafe_base64_encode(force_bytes(ana.pk))}/{default_token_generator.make_token(ana)}/"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        page = client.get(link, follow=True)
    assert "new_password1" not in page.content.decode()


def test_tokens_expire_and_a_privileged_one_lasts_a_day(two_factor_on, people):
    ana = people["participant"]
    token, key = tokens.token_issue(user=ana, days=2)
    with time_machine.travel(token.expiry + timedelta(seconds=1)):
        expired = as_token(key).get("/api/v1/me/")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    moderator_token, _ = tokens.token_issue(user=people["moderator"], days=30, second_factor_at=timezone.now())
    assert moderator_token.expiry - moderator_token.created <= timedelta(hours=24, seconds=1)
    refused = ask_token(ana.username, days=400)
    assert refused.status_code == 400 and "days" in refused.json()


def test_one_person_holds_a_bounded_number_of_live_tokens(people, settings):
    settings.API_TOKENS_PER_PERSON = 3
    ana = people["participant"]
    for _ in range(3):
        assert ask_token(ana.username).status_code == 200
    over = ask_token(ana.username)
    assert over.status_code == 409 and "revoke one" in over.json()["detail"]


def test_an_administrator_revokes_a_persons_tokens_in_the_admin(client, people):
    ana = people["participant"]
    _, key = tokens.token_issue(user=ana)
    client.force_login(people["admin"])
    answer = client.post(
        "/admin/accounts/user/", {"action": "revoke_tokens", "_selected_action": [ana.pk]}, follow=True
    )
    assert "1 API token revoked" in answer.content.decode()
    assert as_token(key).get("/api/v1/me/").status_code == 401
    assert client.get("/admin/accounts/apitoken/").status_code == 200


def test_expired_tokens_are_purged(people):
    token, _ = tokens.token_issue(user=people["participant"], days=1)
    tokens.token_issue(user=people["participant"], days=5)
    with time_machine.travel(token.expiry + timedelta(minutes=1)):
        assert tokens.tokens_purge_expired() == 1
    assert ApiToken.objects.filter(user=people["participant"]).count() == 1


def test_a_token_made_with_a_confirmed_token_keeps_its_confirmation_not_more(two_factor_on, people):
    moderator = people["moderator"]
    confirmed_at = timezone.now()
    _, key = tokens.token_issue(user=moderator, second_factor_at=confirmed_at)
    made = as_token(key).post("/api/v1/auth/tokens/", {"name": "rotated"}, format="json")
    assert made.status_code == 201 and made.json()["second_factor"] is True
    assert ApiToken.objects.get(pk=made.json()["id"]).second_factor_at == confirmed_at


def test_password_set_by_the_service_revokes(people):
    ana = people["participant"]
    tokens.token_issue(user=ana)
    services.password_set(user=ana, password="a-brand-new-password-5")
    assert not ApiToken.objects.filter(user=ana).exists()


def test_the_admin_adds_people_without_an_address_one_after_another(client, people):
    """The admin's add form has no address: the second person added so once met a 500 (two empty
    addresses in a unique column). No address is no address, for as many people as need it."""
    client.force_login(people["admin"])
    for username in ("delegate_a", "delegate_b"):
        form = {"username": username, "password1": "correct horse 93", "password2": "correct horse 93"}
        form["usable_password"] = "true"
        added = client.post("/admin/accounts/user/add/", form)
        assert added.status_code == 302, added.content.decode()[:500]
    assert list(User.objects.filter(username__in=["delegate_a", "delegate_b"]).values_list("email", flat=True)) == [
        None,
        None,
    ]
