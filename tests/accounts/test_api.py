import pytest

from accounts.models import ApiToken, Membership, Organization, User
from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


def test_register_with_existing_organization_starts_pending(api):
    org = OrganizationFactory(name="Kenya ICT Authority", stakeholder_group="government", country="KE")
    response = api.post(
        REGISTER,
        {"username": "wanjiru", "email": "w@example.org", "password": "correct horse battery", "organization": org.id},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"id": response.json()["id"], "username": "wanjiru"}
    membership = Membership.objects.get(user__username="wanjiru")
    assert membership.organization == org
    assert membership.status == "pending"
    assert User.objects.get(username="wanjiru").check_password("correct horse battery")


def test_register_with_new_organization_creates_it(api):
    response = api.post(
        REGISTER,
        {
            "username": "lena",
            "email": "lena@example.org",
            "password": "correct horse battery",
            "organization": {"name": "Digital Rights Watch", "stakeholder_group": "civil_society", "country": "de"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    org = Organization.objects.get(name="Digital Rights Watch")
    assert (org.stakeholder_group, org.country) == ("civil_society", "DE")
    assert org.memberships.get().status == "pending"


@pytest.mark.parametrize(
    "organization, field",
    [
        ({"name": "X", "stakeholder_group": "government", "country": "XX"}, "organization"),
        ({"name": "X", "stakeholder_group": "military", "country": "FR"}, "organization"),
        (999999, "organization"),
        ("not-an-id", "organization"),
    ],
)
def test_register_refuses_bad_organization_and_creates_nothing(api, organization, field):
    response = api.post(
        REGISTER,
        {"username": "x", "email": "x@example.org", "password": "correct horse battery", "organization": organization},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(username="x").exists()
    assert not Organization.objects.filter(name="X").exists()


def test_register_refuses_weak_password_and_taken_name(api):
    org = OrganizationFactory()
    UserFactory(username="taken")
    weak = api.post(
        REGISTER,
        {"username": "new", "email": "n@example.org", "password": "123", "organization": org.id},
        format="json",
    )
    assert weak.status_code == 400 and "password" in weak.json()
    taken = api.post(
        REGISTER,
        {"username": "Taken", "email": "t@example.org", "password": "correct horse battery", "organization": org.id},
        format="json",
    )
    assert taken.status_code == 400 and "username" in taken.json()


def test_token_for_good_credentials_works_as_auth(api):
    user = UserFactory(username="ana")
    response = api.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=user).name == "API token"  # only its hash is kept
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "ana"


def test_token_refuses_bad_credentials(api):
    UserFactory(username="ana")
    response = api.post("/api/v1/auth/token/", {"username": "ana", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_me_lists_memberships(api):
    membership = MembershipFactory(
        organization__name="Global Cloud Alliance",
        organization__stakeholder_group="industry",
        organization__country="US",
        status="pending",
    )
    response = client_for(membership.user).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["memberships"] == [
        {
            "organization": {
                "id": membership.organization.id,
                "name": "Global Cloud Alliance",
                "stakeholder_group": "industry",
                "country": "US",
            },
            "status": "pending",
        }
    ]


def test_me_and_organizations_need_sign_in(api):
    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/v1/organizations/").status_code == 401
    assert api.post("/api/v1/organizations/", {}, format="json").status_code == 401


def test_organizations_list_and_create(api):
    user = UserFactory()
    OrganizationFactory(name="Alpha")
    client = client_for(user)
    created = client.post(
        "/api/v1/organizations/",
        {"name": "Beta Institute", "stakeholder_group": "academia", "country": "CH"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["country"] == "CH"
    names = [o["name"] for o in client.get("/api/v1/organizations/").json()["results"]]
    assert names == ["Alpha", "Beta Institute"]
    bad = client.post(
        "/api/v1/organizations/", {"name": "Gamma", "stakeholder_group": "academia", "country": "ZZ"}, format="json"
    )
    assert bad.status_code == 400 and "country" in bad.json()
    duplicate = client.post(
        "/api/v1/organizations/", {"name": "alpha", "stakeholder_group": "academia", "country": "CH"}, format="json"
    )
    assert duplicate.status_code == 400 and "name" in duplicate.json()


def test_only_admin_verifies_membership_and_history_names_them(api):
    admin = UserFactory(is_superuser=True)
    membership = MembershipFactory(status="pending")
    url = f"/api/v1/organizations/{membership.organization_id}/members/{membership.user_id}/verify/"
    assert client_for(membership.user).post(url).status_code == 403
    assert client_for(UserFactory()).post(url).status_code == 403
    membership.refresh_from_db()
    assert membership.status == "pending"

    response = client_for(admin).post(url)
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "verified" and membership.verified_by == admin
    last = membership.history.first()
    assert last.history_user == admin and last.history_change_reason == "Membership verified"


def test_verify_unknown_membership_is_404(api):
    admin = UserFactory(is_superuser=True)
    org = OrganizationFactory()
    assert client_for(admin).post(f"/api/v1/organizations/{org.id}/members/424242/verify/").status_code == 404
