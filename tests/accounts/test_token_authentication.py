"""API tokens (accounts/authentication.py): the right person, and DRF's refusals kept word for word."""

import pytest
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def token_for(*, user) -> str:
    return token_issue(user=user)[1]


def _me(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/")


def test_a_token_signs_in_its_own_person():
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
    assert _me(token_for(user=ada)).json()["username"] == "ada"
    assert _me(token_for(user=bob)).json()["username"] == "bob"


def test_an_unknown_token_is_refused():
    response = _me("0" * 40)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_the_token_of_a_deactivated_person_is_refused():
    user = UserFactory()
    key = token_for(user=user)
    user.is_active = False
    user.save()
    response = _me(key)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."
