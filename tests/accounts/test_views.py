import re

import pytest
from django.core import mail

from accounts.models import Membership, User
from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_page_creates_pending_member_who_confirms_by_the_emailed_link_then_logs_in(
    client, django_capture_on_commit_callbacks
):
    org = OrganizationFactory(name="Kenya ICT Authority")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "username": "wanjiru",
                "email": "w@example.org",
                "password": "correct horse battery",
                "organization": org.id,
            },
        )
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    link = re.search(r"http://[^/]+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    confirmed = client.post(link, follow=True)
    assert not confirmed.wsgi_request.user.is_authenticated  # a link is not a password
    assert "Your address is confirmed" in confirmed.content.decode()
    client.post("/accounts/login/", {"username": "wanjiru", "password": "correct horse battery"})
    profile = client.get("/accounts/profile/")
    assert "Kenya ICT Authority" in profile.content.decode() and "Pending" in profile.content.decode()
    assert Membership.objects.get(user__username="wanjiru").status == "pending"


def test_signup_errors_keep_what_was_typed(client):
    UserFactory(username="taken")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "taken",
            "email": "me@example.org",
            "password": "correct horse battery",
            "new_organization_name": "Access for All Network",
            "new_organization_group": "civil_society",
            "new_organization_country": "IN",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This user name is taken." in html
    assert 'value="me@example.org"' in html and 'value="Access for All Network"' in html
    assert not User.objects.filter(email="me@example.org").exists()


def test_signup_needs_an_organization(client):
    response = client.post(
        "/accounts/signup/", {"username": "x", "email": "x@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "Choose your organization above, or fill this in to add it." in response.content.decode()


def test_login_and_logout(client):
    UserFactory(username="ana")
    bad = client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert bad.status_code == 200 and "Please enter a correct username and password" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, follow=True)
    assert good.wsgi_request.user.username == "ana"
    out = client.post("/accounts/logout/", follow=True)
    assert not out.wsgi_request.user.is_authenticated


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "an even longer passphrase",
            "new_password2": "an even longer passphrase",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("an even longer passphrase")


def test_password_reset_by_email(client):
    user = UserFactory(email="ana@example.org")
    client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url, {"new_password1": "brand new passphrase", "new_password2": "brand new passphrase"}, follow=True
    )
    assert "Password set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("brand new passphrase")


def test_profile_shows_memberships_and_needs_login(client):
    assert client.get("/accounts/profile/").status_code == 302
    membership = MembershipFactory(organization__name="Digital Rights Watch", status="pending")
    client.force_login(membership.user)
    html = client.get("/accounts/profile/").content.decode()
    assert "Digital Rights Watch" in html and "Pending" in html


def test_admin_verifies_membership_on_page(client):
    membership = MembershipFactory(status="pending", organization__name="Tokyo Telecom Group")
    client.force_login(membership.user)
    assert client.get("/accounts/memberships/pending/").status_code == 403
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "Tokyo Telecom Group" in client.get("/accounts/memberships/pending/").content.decode()
    response = client.post(
        "/accounts/memberships/pending/",
        {"organization": membership.organization_id, "user": membership.user_id},
        follow=True,
    )
    assert "is now a verified member" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "verified"
