"""Secure headers on every answer (OWASP Secure Headers Project); personal API answers never cached."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.tokens import token_issue
from codeofconduct.headers import SecureHeadersMiddleware

FIXED = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"]


def permissions(response) -> dict:
    return dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))


def cache_control(response) -> set:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # a page
        ("/api/v1/drafts/", 200),  # an API answer
        ("/no-such-page/", 404),
        ("/api/v1/no-such-thing/", 404),
    ],
)
def test_every_answer_carries_the_secure_headers(client, draft, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, name
    denied = permissions(response)
    assert all(denied.get(feature) == "()" for feature in DENIED_FEATURES), denied
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_static_files_are_for_this_site_only_and_never_sniffed(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_api_answer_to_a_token_is_kept_out_of_every_cache(api, admin_user, draft):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=admin_user)[1]}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "root"
    assert {"private", "no-store"} <= cache_control(me)
    assert {"private", "no-store"} <= cache_control(api.get(f"/api/v1/drafts/{draft.slug}/"))


def test_a_refused_token_is_not_cached_either(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert {"private", "no-store"} <= cache_control(response)


def test_an_api_answer_to_a_session_is_kept_out_of_every_cache(client, admin_user, draft):
    client.force_login(admin_user)
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "root"
    assert {"private", "no-store"} <= cache_control(me)
    assert {"private", "no-store"} <= cache_control(client.get(f"/api/v1/drafts/{draft.slug}/"))


def test_an_anonymous_read_of_a_public_draft_stays_cacheable(api, draft):
    response = api.get(f"/api/v1/drafts/{draft.slug}/")
    assert response.status_code == 200
    assert not {"private", "no-store"} & cache_control(response)


def test_an_explicit_cache_control_is_kept_for_anonymous_readers_only(admin_user):
    def download(request):
        response = HttpResponse("export")
        response["Cache-Control"] = "public, max-age=300"
        return response

    middleware = SecureHeadersMiddleware(download)
    anonymous = RequestFactory().get("/api/v1/exports/1/download/")
    anonymous.user = AnonymousUser()
    assert cache_control(middleware(anonymous)) == {"public", "max-age=300"}

    signed_in = RequestFactory().get("/api/v1/exports/1/download/")
    signed_in.user = admin_user
    kept_private = cache_control(middleware(signed_in))
    assert {"private", "no-store"} <= kept_private and "public" not in kept_private


def test_every_answer_to_a_signed_in_person_is_kept_out_of_caches_pages_and_files_too(client, people, draft):
    """Notifications, the profile, a members-only draft's page and its export are personal."""
    draft.visibility = "members"
    draft.save()
    client.force_login(people["participant"])
    for path in (
        "/notifications/",
        "/accounts/profile/",
        "/accounts/tokens/",
        f"/drafts/{draft.slug}/",
        f"/api/v1/drafts/{draft.slug}/export/?format=md",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= cache_control(response), path
    client.logout()
    assert client.get(f"/drafts/{draft.slug}/").status_code == 404


@pytest.mark.parametrize("host", ["evil.example", "bad host", ""])
def test_a_host_no_setting_allows_is_a_400_and_one_log_line_without_a_traceback(client, db, host):
    """A hostile pass found each such request logged with its traceback, which buries real errors."""
    import io
    import logging

    console = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    kept = console.setStream(io.StringIO())
    try:
        answer = client.get("/", HTTP_HOST=host)
        written = console.stream.getvalue()
    finally:
        console.setStream(kept)
    assert answer.status_code == 400
    assert "Invalid HTTP_HOST" in written and "Traceback" not in written, written
