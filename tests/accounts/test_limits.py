"""Limits that hold (issue 10, point 3) and names no one can pass off as another's (point 4).

Every log-in door (page, API token, admin) is limited per client address and per account; the
client address is REMOTE_ADDR unless a trusted proxy forwarded the request.
"""

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings

from accounts.models import User
from codeofconduct.limits import client_address
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def token(api, username, password, address="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return api.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


@override_settings(LOGIN_ACCOUNT_RATE="3/10min")
def test_many_addresses_trying_one_name_are_held_back_and_the_right_password_too(api):
    UserFactory(username="ana")
    codes = [token(api, "ana", "guess", address=f"198.51.100.{n}").status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]
    refused = token(api, "ana", PASSWORD, address="198.51.100.77")
    assert refused.status_code == 429
    assert "this account" in refused.json()["detail"] and int(refused["Retry-After"]) > 0
    # Other spellings of the name are the same account.
    assert token(api, "ANA", PASSWORD, address="198.51.100.78").status_code == 429


@override_settings(LOGIN_ACCOUNT_RATE="3/10min")
def test_the_edge_of_a_period_hands_out_no_fresh_allowance(api, monkeypatch):
    """Three guesses in the last seconds of one ten-minute window leave none for the first
    seconds of the next; the allowance comes back as the guesses age out of the period."""
    UserFactory(username="ana")
    clock = {"now": 600 * 100_000 - 2.0}
    monkeypatch.setattr("codeofconduct.limits.time.time", lambda: clock["now"])
    assert [token(api, "ana", "guess").status_code for _ in range(3)] == [400, 400, 400]
    clock["now"] += 4  # two seconds into the next window
    refused = token(api, "ana", PASSWORD)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait < 300  # one of the three guesses ages out a third of the way into the window
    clock["now"] += wait - 2
    assert token(api, "ana", PASSWORD).status_code == 429
    clock["now"] += 2
    assert token(api, "ana", PASSWORD).status_code == 200


@override_settings(LOGIN_ACCOUNT_RATE="3/10min")
def test_the_owner_still_logs_in_from_an_address_they_used_before(api, client):
    UserFactory(username="ana")
    assert token(api, "ana", PASSWORD, address="192.0.2.10").status_code == 200
    for n in range(5):
        token(api, "ana", "guess", address=f"198.51.100.{n}")
    assert token(api, "ana", PASSWORD, address="198.51.100.99").status_code == 429
    assert token(api, "ana", PASSWORD, address="192.0.2.10").status_code == 200
    page = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    assert page.status_code == 302


@override_settings(LOGIN_ADDRESS_RATE="5/10min")
def test_one_address_trying_many_names_is_held_back(api):
    UserFactory(username="ana")
    codes = [token(api, f"name{n}", "guess").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]
    blocked = token(api, "ana", PASSWORD)
    assert blocked.status_code == 429 and "your address" in blocked.json()["detail"]
    assert token(api, "ana", PASSWORD, address="203.0.113.6").status_code == 200


@override_settings(LOGIN_ADDRESS_RATE="5/10min")
def test_a_forwarded_for_header_from_the_client_changes_nothing(api):
    codes = [token(api, f"name{n}", "guess", forwarded=f"10.0.0.{n}").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]


@override_settings(LOGIN_ADDRESS_RATE="5/10min", TRUSTED_PROXIES=["10.1.0.0/16"])
def test_behind_a_trusted_proxy_each_forwarded_client_counts_on_its_own(api):
    proxy = "10.1.2.3"
    for n in range(5):
        token(api, f"name{n}", "guess", address=proxy, forwarded="198.51.100.1, 10.1.9.9")
    assert token(api, "x", "guess", address=proxy, forwarded="198.51.100.1, 10.1.9.9").status_code == 429
    # A spoofed left-most entry does not hide the address the proxy saw.
    spoofed = token(api, "x", "guess", address=proxy, forwarded="192.0.2.200, 198.51.100.1")
    assert spoofed.status_code == 429
    assert token(api, "x", "guess", address=proxy, forwarded="198.51.100.2").status_code == 400


@override_settings(TRUSTED_PROXIES=["10.1.0.0/16"])
def test_client_address_reads_only_what_trusted_proxies_added():
    factory = RequestFactory()

    def address(remote, forwarded=""):
        return client_address(factory.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    assert address("203.0.113.9", "1.2.3.4") == "203.0.113.9"
    assert address("10.1.0.1", "1.2.3.4, 5.6.7.8") == "5.6.7.8"
    assert address("10.1.0.1", "1.2.3.4, 10.1.0.2") == "1.2.3.4"
    assert address("10.1.0.1", "garbage") == "10.1.0.1"
    assert address("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address("::ffff:198.51.100.4") == "198.51.100.4"
    assert address("") == "unknown"


@override_settings(LOGIN_ACCOUNT_RATE="3/10min")
def test_the_login_page_and_the_admin_login_share_the_limit_and_keep_the_name(api, client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(2):
        client.post("/accounts/login/", {"username": "root", "password": "guess"}, REMOTE_ADDR="198.51.100.1")
    client.post("/admin/login/", {"username": "root", "password": "guess"}, REMOTE_ADDR="198.51.100.2")
    page = client.post("/accounts/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="198.51.100.3")
    assert page.status_code == 429
    assert "Too many failed log-in attempts" in page.content.decode()
    assert 'value="root"' in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    admin = client.post("/admin/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    assert admin.status_code == 429 and "Too many failed log-in attempts" in admin.content.decode()
    assert token(api, "root", PASSWORD, address="198.51.100.5").status_code == 429


@override_settings(SIGNUP_ADDRESS_RATE="2/hour")
def test_sign_up_is_limited_per_address_by_either_door(api, client):
    organization = OrganizationFactory()

    def by_api(n):
        body = {"username": f"api{n}", "email": f"api{n}@example.org", "password": PASSWORD}
        return api.post("/api/v1/auth/register/", {**body, "organization": organization.id}, format="json")

    assert by_api(1).status_code == 201
    assert by_api(2).status_code == 201
    assert by_api(3).status_code == 429
    form = {"username": "page1", "email": "page1@example.org", "password": PASSWORD, "organization": organization.id}
    page = client.post("/accounts/signup/", form)
    assert page.status_code == 429 and "Too many sign-ups" in page.content.decode()
    assert 'value="page1@example.org"' in page.content.decode()
    assert not User.objects.filter(username__in=["api3", "page1"]).exists()
    other = client.post("/accounts/signup/", form, REMOTE_ADDR="198.51.100.50")
    assert other.status_code == 200 and "Check your email" in other.content.decode()


@override_settings(PASSWORD_RESET_EMAIL_RATE="2/hour", PASSWORD_RESET_ADDRESS_RATE="4/hour")
def test_password_reset_is_limited_and_says_the_same_for_any_address(client):
    UserFactory(username="ana", email="ana@example.org")
    answers = [
        client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=f"198.51.100.{n}")
        for n, email in enumerate(["ana@example.org", "nobody@example.org"])
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert len(mail.outbox) == 1
    client.post("/accounts/password/reset/", {"email": "ana@example.org"}, REMOTE_ADDR="198.51.100.9")
    held = client.post("/accounts/password/reset/", {"email": "ANA@example.org"}, REMOTE_ADDR="198.51.100.10")
    assert held.status_code == 429 and "Too many password resets" in held.content.decode()
    assert len(mail.outbox) == 2
    for n in range(4):
        client.post("/accounts/password/reset/", {"email": f"x{n}@example.org"}, REMOTE_ADDR="192.0.2.1")
    assert (
        client.post("/accounts/password/reset/", {"email": "y@example.org"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    )


@pytest.mark.parametrize(
    "name, problem",
    [
        ("admin\u200b", "invisible"),
        ("ad\u00admin", "invisible"),
        ("\u202eadmin", "invisible"),
        ("ad min", "invisible"),
        ("аdmin", "one script"),  # Cyrillic а
        ("pаypal", "one script"),
        ("a/b", "Enter a valid username"),
    ],
)
def test_deceptive_user_names_are_refused_by_either_door(api, client, name, problem):
    organization = OrganizationFactory()
    body = {"username": name, "email": "x@example.org", "password": PASSWORD, "organization": organization.id}
    response = api.post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 400
    assert problem in response.json()["username"][0]
    page = client.post("/accounts/signup/", body)
    assert page.status_code == 400 and problem in page.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_names_are_unique_whatever_the_case_or_width_and_log_in_finds_them(api):
    UserFactory(username="admin")
    organization = OrganizationFactory()
    for name in ("Admin", "ADMIN", "ａｄｍｉｎ"):
        body = {"username": name, "email": f"{len(name)}@example.org", "password": PASSWORD}
        response = api.post("/api/v1/auth/register/", {**body, "organization": organization.id}, format="json")
        assert response.status_code == 400 and "taken" in response.json()["username"][0], name
    for name in ("Ada_Lovelace", "Владимир", "李小龍", "山田たろう", "José.María"):
        body = {"username": name, "email": f"{abs(hash(name))}@example.org", "password": PASSWORD}
        response = api.post("/api/v1/auth/register/", {**body, "organization": organization.id}, format="json")
        assert response.status_code == 201, (name, response.content)
    User.objects.filter(username="Ada_Lovelace").update(is_active=True, email="ada@example.org")  # confirmed
    assert token(api, "ADA_LOVELACE", PASSWORD).status_code == 200
    assert token(api, "ａｄｍｉｎ", PASSWORD).status_code == 200
