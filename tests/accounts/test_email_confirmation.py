"""Sign-up never says whether an address is registered (issue 10, point 4): the answer is the same,
and the address itself is told — with a link to confirm it, or, if it has an account, a word to its
owner. An account signs in only once its address is confirmed."""

import re

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from accounts import services
from accounts.models import User
from accounts.tasks import sweep_signup_emails
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def register(api, username, email, organization):
    body = {"username": username, "email": email, "password": PASSWORD, "organization": organization.id}
    return api.post("/api/v1/auth/register/", body, format="json")


def link_in(message) -> str:
    return re.search(r"http://[^/]+/accounts/confirm/(\S+)/", message.body).group(1)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    api, client, django_capture_on_commit_callbacks
):
    UserFactory(username="ana", email="ana@example.org")
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = register(api, "newcomer", "new@example.org", organization)
        taken = register(api, "impostor", "ANA@example.org", organization)
    assert fresh.status_code == taken.status_code == 201
    assert set(fresh.json()) == set(taken.json()) == {"id", "username"}
    pages = []
    for username, email in (("page1", "other@example.org"), ("page2", "ana@example.org")):
        form = {"username": username, "email": email, "password": PASSWORD, "organization": organization.id}
        with django_capture_on_commit_callbacks(execute=True):
            pages.append(client.post("/accounts/signup/", form))
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].content.decode().replace("other@example.org", "X") == pages[1].content.decode().replace(
        "ana@example.org", "X"
    )
    to_ana = [m for m in mail.outbox if m.to == ["ANA@example.org"] or m.to == ["ana@example.org"]]
    assert len(to_ana) == 2 and all('already belongs to your account "ana"' in m.body for m in to_ana)
    assert all("/accounts/confirm/" not in m.body for m in to_ana)
    to_new = [m for m in mail.outbox if m.to == ["new@example.org"]]
    assert len(to_new) == 1 and "/accounts/confirm/" in to_new[0].body


def test_an_unconfirmed_account_cannot_sign_in_and_the_link_confirms_it(
    api, client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(api, "newcomer", "new@example.org", organization)
    token_answer = api.post("/api/v1/auth/token/", {"username": "newcomer", "password": PASSWORD}, format="json")
    assert token_answer.status_code == 400
    token = link_in(mail.outbox[-1])
    confirmed = api.post("/api/v1/auth/confirm/", {"token": token}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["username"] == "newcomer"
    user = User.objects.get(username="newcomer")
    assert (user.email, user.pending_email, user.is_active) == ("new@example.org", "", True)
    again = api.post("/api/v1/auth/confirm/", {"token": token}, format="json")
    assert again.status_code == 400 and "used already" in again.json()["token"][0]  # a link works once
    assert (
        api.post("/api/v1/auth/token/", {"username": "newcomer", "password": PASSWORD}, format="json").status_code
        == 200
    )


def test_forged_expired_and_overtaken_links_are_refused(api, client, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    forged = api.post("/api/v1/auth/confirm/", {"token": "not-a-token"}, format="json")
    assert forged.status_code == 400 and "not valid" in forged.json()["token"][0]
    assert client.get("/accounts/confirm/not-a-token/").status_code == 400
    with time_machine.travel("2026-11-27 10:00", tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            register(api, "late", "late@example.org", organization)
            register(api, "racer", "race@example.org", organization)
        late, race = (link_in(m) for m in mail.outbox[-2:])
        # Someone else confirms race@example.org first (an admin-made account, say).
        services.user_register(
            username="first",
            email="race@example.org",
            password=PASSWORD,
            organization_id=organization.id,
            confirmed=True,
        )
        overtaken = api.post("/api/v1/auth/confirm/", {"token": race}, format="json")
        assert overtaken.status_code == 400 and "another account" in overtaken.json()["token"][0]
        clock.shift(3 * 24 * 3600 + 1)
        expired = client.post(f"/accounts/confirm/{late}/")
        assert expired.status_code == 400 and "expired" in expired.content.decode()
        assert not User.objects.get(username="late").is_active
        # The name of a sign-up never confirmed is free again.
        assert register(api, "late", "late2@example.org", organization).status_code == 201
    assert User.objects.filter(username="late").count() == 1


@override_settings(SWEEP_GRACE_SECONDS=0)
def test_a_sign_up_email_a_lost_message_left_unsent_is_sent_by_the_sweep_once(api, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost it
        register(api, "newcomer", "new@example.org", organization)
    assert mail.outbox == []
    sweep_signup_emails()
    sweep_signup_emails()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]


def test_the_link_works_once_and_never_signs_anyone_in(api, client, django_capture_on_commit_callbacks, draft):
    """Opened by someone else after the address was confirmed (and the account made a moderator with
    no authenticator yet), the link must not be a way in."""
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(api, "newcomer", "new@example.org", organization)
    link = f"/accounts/confirm/{link_in(mail.outbox[-1])}/"
    assert client.get(link).status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed["Location"] == "/accounts/login/"
    assert client.get("/accounts/profile/").status_code == 302  # not signed in by the link

    from drafting import services as drafting

    user = User.objects.get(username="newcomer")
    drafting.draft_member_set(draft=draft, user_id=user.pk, role="moderator", by=draft.created_by)
    stranger = type(client)()
    assert stranger.get(link).status_code == 400
    reopened = stranger.post(link)
    assert reopened.status_code == 400 and "used already" in reopened.content.decode()
    assert stranger.get("/accounts/profile/").status_code == 302
    assert stranger.get("/accounts/two-factor/").status_code == 302  # nobody to enrol an authenticator for
    api_again = api.post("/api/v1/auth/confirm/", {"token": link_in(mail.outbox[-1])}, format="json")
    assert api_again.status_code == 400 and "sessionid" not in api_again.cookies
