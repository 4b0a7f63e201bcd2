"""What a hostile client sends is answered with a clear 400 or 413, never a 500 (issue 10, point 1).

Each test sends what was seen to break the platform, and others of the same kind, to every door
that reads such input: the JSON parser, the query string, forms, paths and uploaded files.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from codeofconduct.inputs import local_address, whole_number
from drafting.models import Comment, Draft
from tests.conftest import client_for
from tests.drafting.factories import CommentFactory

pytestmark = pytest.mark.django_db

ODD_NUMBERS = ["²", "١٢", "1e3", "-1", " 1", "99999999999999999999", "9223372036854775808", "0x10", ""]
CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\x85"]


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "1", "true", "[{}]"])
@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/auth/register/", "/api/v1/drafts/"])
def test_a_json_body_that_is_not_an_object_is_a_400(api, admin_user, path, body):
    api.force_authenticate(admin_user)
    response = api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON object" in response.json()["detail"]


def test_json_nested_past_the_limit_is_a_400_even_far_past_it(api):
    for depth in (33, 1_000, 100_000):
        body = '{"username": ' + "[" * depth + "]" * depth + ', "password": "x"}'
        response = api.post("/api/v1/auth/token/", body, content_type="application/json")
        assert response.status_code == 400, depth
        assert "nested more than 32" in response.json()["detail"]
    shallow = '{"username": ' + "[" * 20 + "]" * 20 + ', "password": "x"}'
    assert api.post("/api/v1/auth/token/", shallow, content_type="application/json").status_code == 400
    # Brackets inside strings are text, not nesting.
    text = json.dumps({"username": "[" * 5_000, "password": "x"})
    assert "Wrong user name" in api.post("/api/v1/auth/token/", text, content_type="application/json").json()["detail"]


@pytest.mark.parametrize("bad", [*CONTROL, "\ud800"])
def test_control_characters_in_any_json_string_are_a_400_naming_the_field(clause, people, bad):
    moderator = client_for(people["moderator"])
    comment = CommentFactory(clause=clause, author=people["participant"])
    body = json.dumps({"reason": f"Off{bad}topic"})
    hidden = moderator.post(f"/api/v1/comments/{comment.id}/hide/", body, content_type="application/json")
    assert hidden.status_code == 400
    assert "reason holds a control character" in hidden.json()["detail"]
    comment.refresh_from_db()
    assert not comment.hidden
    nested = json.dumps({"section": clause.section_id, "title": "T", "text": "ok", "extra": {"deep": [f"a{bad}"]}})
    created = moderator.post(f"/api/v1/drafts/{clause.draft.slug}/clauses/", nested, content_type="application/json")
    assert created.status_code == 400 and "extra.deep[0]" in created.json()["detail"]


def test_line_breaks_and_tabs_stay_allowed_in_text(clause, people):
    moderator = client_for(people["moderator"])
    body = {"section": clause.section_id, "title": "Reporting", "text": "First line\n\tSecond line\r\n"}
    created = moderator.post(f"/api/v1/drafts/{clause.draft.slug}/clauses/", body, format="json")
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("bad", CONTROL)
def test_control_characters_in_form_fields_and_queries_are_a_400_page(client, clause, people, bad):
    comment = CommentFactory(clause=clause, author=people["participant"])
    client.force_login(people["moderator"])
    response = client.post(f"/comments/{comment.id}/hide/", {"reason": f"spam{bad}"})
    assert response.status_code == 400
    assert "holds a control character" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.hidden
    assert client.get(f"/clauses/{clause.id}/", {"from": f"1{bad}"}).status_code == 400
    api = client_for(people["moderator"]).get(f"/api/v1/comments/?clause={clause.id}&q=a{bad}")
    assert api.status_code == 400 and "control character" in api.json()["detail"]


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_odd_numbers_in_query_strings_never_break_a_page_or_the_api(client, clause, people, raw):
    draft = clause.draft
    client.force_login(people["moderator"])
    for url in (
        f"/clauses/{clause.id}/?from={raw}&to={raw}",
        f"/drafts/{draft.slug}/compare/?from={raw}&to={raw}",
        f"/drafts/{draft.slug}/?page={raw}",
        f"/notifications/?page={raw}",
    ):
        assert client.get(url).status_code in (200, 400, 404), url
    api = client_for(people["moderator"])
    for url in (
        f"/api/v1/clauses/{clause.id}/diff/?from={raw}&to={raw}",
        f"/api/v1/comments/?clause={raw}",
        f"/api/v1/comments/?amendment={raw}",
        f"/api/v1/drafts/{draft.slug}/compare/?from={raw}&to={raw}",
        f"/api/v1/drafts/{draft.slug}/export/?format=md&snapshot={raw}",
        f"/api/v1/drafts/?page={raw}",
    ):
        response = api.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert response["Content-Type"].startswith("application/json") or response.status_code == 200


@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775808"])
def test_ids_past_what_a_column_holds_are_not_found(client, clause, people, number):
    client.force_login(people["moderator"])
    assert client.get(f"/clauses/{number}/").status_code == 404
    assert client_for(people["moderator"]).get(f"/api/v1/clauses/{number}/").status_code == 404
    posted = client.post("/comments/new/", {"target_kind": "clause", "target_id": number, "body": "x"})
    assert posted.status_code in (400, 404)


def test_whole_number_reads_ascii_digits_a_column_can_hold():
    assert whole_number("42") == 42
    assert whole_number("9223372036854775807") == 2**63 - 1
    for raw in ODD_NUMBERS + [None, "4.2"]:
        assert whole_number(raw, default="none") == "none", raw


def test_unknown_api_addresses_answer_json(api):
    for path in ("/api/v1/nothing-here/", "/api/v2/drafts/", "/api/", "/api/v1/drafts/x/y/z/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "no API endpoint" in response.json()["detail"]
    hint = api.post("/api/v1/drafts", {}, format="json")
    assert hint.status_code == 404 and "did you mean /api/v1/drafts/" in hint.json()["detail"]
    assert api.delete("/api/v1/drafts/").status_code == 405
    assert api.delete("/api/v1/drafts/").json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_json_body_over_the_limit_is_a_json_413(api, admin_user):
    api.force_authenticate(admin_user)
    body = json.dumps({"title": "Big", "summary": "x" * 20_000})
    response = api.post("/api/v1/drafts/", body, content_type="application/json")
    assert response.status_code == 413
    assert f"{len(body):,} bytes, larger than 9 KiB" in response.json()["detail"]
    assert not Draft.objects.filter(title="Big").exists()


@override_settings(MAX_REQUEST_BYTES=50_000)
def test_any_request_over_the_size_limit_is_a_413_before_it_is_read(client, api, admin_user):
    big = SimpleUploadedFile("big.md", b"# T\n" + b"x" * 60_000)
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/drafts/import/", {"file": big}, format="multipart")
    assert response.status_code == 413 and "larger than 48 KiB" in response.json()["detail"]
    assert f"{int(response.wsgi_request.META['CONTENT_LENGTH']):,} bytes" in response.json()["detail"]
    client.force_login(admin_user)
    big.seek(0)
    page = client.post("/drafts/import/", {"file": big})
    assert page.status_code == 413 and "Too large" in page.content.decode()


def test_imports_refuse_control_characters_with_the_line(api, admin_user):
    api.force_authenticate(admin_user)
    markdown = "# Title\n\n## Norms\n\n1. Fine text.\n2. Bad \x00 text.\n"
    response = api.post(
        "/api/v1/drafts/import/", {"file": SimpleUploadedFile("d.md", markdown.encode())}, format="multipart"
    )
    assert response.status_code == 400
    assert "Line 6: a control character (U+0000)" in response.json()["file"][0]
    escaped = json.dumps({"format": "codeofconduct-draft", "draft": {"title": "T\u0000"}, "sections": []})
    response = api.post(
        "/api/v1/drafts/import/", {"file": SimpleUploadedFile("d.json", escaped.encode())}, format="multipart"
    )
    assert response.status_code == 400 and "draft.title holds a control character" in response.json()["file"][0]
    deep = '{"format": "codeofconduct-draft", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = api.post(
        "/api/v1/drafts/import/", {"file": SimpleUploadedFile("d.json", deep.encode())}, format="multipart"
    )
    assert response.status_code == 400 and "nested more than 32" in response.json()["file"][0]
    assert not Draft.objects.exists()


def test_imports_refuse_too_many_clauses_before_creating_anything(api, admin_user):
    api.force_authenticate(admin_user)
    markdown = "# Many\n\n## Norms\n\n" + "".join(f"{n}. Clause {n}.\n" for n in range(1, 2002))
    response = api.post(
        "/api/v1/drafts/import/", {"file": SimpleUploadedFile("d.md", markdown.encode())}, format="multipart"
    )
    assert response.status_code == 413
    assert "2,001 clauses; one import takes at most 2,000" in response.json()["file"][0]
    many_versions = {
        "format": "codeofconduct-draft",
        "draft": {"title": "Versions"},
        "sections": [
            {
                "title": "S",
                "clauses": [{"history": [{"title": "t", "text": f"v{n}"} for n in range(100)]} for _ in range(101)],
            }
        ],
    }
    response = api.post(
        "/api/v1/drafts/import/",
        {"file": SimpleUploadedFile("d.json", json.dumps(many_versions).encode())},
        format="multipart",
    )
    assert response.status_code == 413 and "10,100 clause versions" in response.json()["file"][0]
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "target", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)", "/a\x00b", ""]
)
def test_next_addresses_never_lead_off_the_site(target):
    assert local_address(target, "/fallback/") == "/fallback/"


def test_next_addresses_on_the_site_are_kept():
    assert local_address("/clauses/4/?from=1#c2", "/fallback/") == "/clauses/4/?from=1#c2"


@pytest.mark.parametrize("title", ["Two\nlines", "Carriage\rreturn", "Line\u2028separator", "Paragraph\u2029separator"])
def test_single_line_fields_refuse_line_breaks_by_every_door(client, clause, people, admin_user, title):
    moderator = client_for(people["moderator"])
    draft = clause.draft
    made = moderator.post(
        f"/api/v1/drafts/{draft.slug}/clauses/",
        {"section": clause.section_id, "title": title, "text": "x"},
        format="json",
    )
    assert made.status_code == 400 and "one line" in json.dumps(made.json())
    section = moderator.post(f"/api/v1/drafts/{draft.slug}/sections/", {"title": title}, format="json")
    assert section.status_code == 400 and "one line" in json.dumps(section.json())
    label = moderator.post(f"/api/v1/drafts/{draft.slug}/snapshots/", {"label": title}, format="json")
    assert label.status_code == 400 and "one line" in json.dumps(label.json())
    new_draft = client_for(admin_user).post("/api/v1/drafts/", {"title": title}, format="json")
    assert new_draft.status_code == 400 and "one line" in json.dumps(new_draft.json())
    organization = moderator.post(
        "/api/v1/organizations/", {"name": title, "stakeholder_group": "academia", "country": "FR"}, format="json"
    )
    assert organization.status_code == 400 and "one line" in json.dumps(organization.json())
    client.force_login(people["moderator"])
    page = client.post(f"/clauses/{clause.id}/edit/", {"title": title, "text": clause.text, "version": 1})
    assert page.status_code in (400, 409) and "one line" in page.content.decode()
    clause.refresh_from_db()
    assert clause.title == "Critical infrastructure"


def test_a_body_django_cannot_parse_is_a_json_400_under_the_api(api, client, admin_user, caplog):
    """The fuzz pass found multipart without a boundary answered with Django's HTML 400 page; a
    hostile pass then found each one logged with a traceback, which buries real errors."""
    caplog.set_level("INFO")
    api.force_authenticate(admin_user)
    response = api.generic("POST", "/api/v1/drafts/import/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    page = client.generic("POST", "/accounts/login/", b"x", content_type="multipart/form-data")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    patched = api.generic("PATCH", "/api/v1/drafts/nothing/", b"x", content_type="multipart/form-data")
    assert patched.status_code in (400, 404)
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_a_post_to_no_api_endpoint_is_a_json_404_not_a_csrf_page(db):
    response = APIClient(enforce_csrf_checks=True).post("/api/v1/nothing-here/", {}, format="json")
    assert response.status_code == 404 and "no API endpoint" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\ufdd0"])
def test_characters_xml_cannot_hold_are_refused_so_every_export_still_opens(clause, people, bad):
    """U+FFFE and U+FFFF cannot be written in XML: one in a proposal once made the DOCX and Akoma
    Ntoso exports of the whole draft a 500 for every reader."""
    participant = client_for(people["participant"])
    body = {"section": clause.section_id, "title": "Reporting", "text": f"New clause {bad} text"}
    proposed = participant.post(f"/api/v1/drafts/{clause.draft.slug}/clauses/", body, format="json")
    assert proposed.status_code == 400 and "control character" in proposed.json()["detail"]
    moderator = client_for(people["moderator"])
    renamed = moderator.patch(f"/api/v1/drafts/{clause.draft.slug}/", {"issuing_body": f"I{bad}X"}, format="json")
    assert renamed.status_code == 400
    for fmt in ("docx", "akn"):
        assert moderator.get(f"/api/v1/drafts/{clause.draft.slug}/export/?format={fmt}").status_code == 200


@pytest.mark.parametrize("raw", [b"%ff%fe", b"%c3", b"\xff", b"caf%e9", b"%ed%a0%80"])
def test_bytes_that_are_not_utf8_are_refused_not_stored_as_replacement_characters(client, clause, people, raw):
    """A hostile pass stored a form-encoded comment body of ``%ff%fe`` as two U+FFFD."""
    api = client_for(people["participant"])
    form = b"clause=" + str(clause.id).encode() + b"&stance=neutral&body=" + raw
    answer = api.generic("POST", "/api/v1/comments/", form, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and "not UTF-8" in answer.json()["detail"]
    assert not Comment.objects.filter(clause=clause).exists()
    client.force_login(people["participant"])
    page = client.generic("POST", "/comments/new/", form, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400 and "not UTF-8" in page.content.decode()
    query = client.generic("GET", "/search/", QUERY_STRING="q=" + raw.decode("latin-1"))  # as the server got it
    assert query.status_code == 400 and "not UTF-8" in query.content.decode()
    fine = api.generic(
        "POST",
        "/api/v1/comments/",
        form.split(b"&body=")[0] + b"&body=caf%C3%A9",
        content_type="application/x-www-form-urlencoded",
    )
    assert fine.status_code == 201 and Comment.objects.get(clause=clause).body == "café"


@pytest.mark.parametrize(
    "part",
    [
        b'Content-Disposition: form-data; name="body"\r\n\r\n\xff\xfe',
        b'Content-Disposition: form-data; name="body"\r\nContent-Type: text/plain; charset=latin-1\r\n\r\ncaf\xe9',
        b'Content-Disposition: form-data; name="body"\r\nContent-Transfer-Encoding: base64\r\n\r\n/////w==',
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_multipart_bytes_that_are_not_utf8_are_refused_by_every_door(client, clause, people, part, method):
    """The second hostile pass stored multipart parts of bytes that are not UTF-8 as U+FFFD."""
    fields = [
        b'Content-Disposition: form-data; name="clause"\r\n\r\n' + str(clause.id).encode(),
        b'Content-Disposition: form-data; name="stance"\r\n\r\nneutral',
        part,
    ]
    body = b"".join(b"--XyZ\r\n" + f + b"\r\n" for f in fields) + b"--XyZ--\r\n"
    kind = "multipart/form-data; boundary=XyZ"
    api = client_for(people["participant"] if method == "POST" else people["admin"])  # the admin may change it
    path = "/api/v1/comments/" if method == "POST" else f"/api/v1/drafts/{clause.draft.slug}/"
    answer = api.generic(method, path, body, content_type=kind)
    assert answer.status_code == 400 and "not UTF-8" in answer.json()["detail"], answer.content
    if method == "POST":
        assert not Comment.objects.filter(clause=clause).exists()
        client.force_login(people["participant"])
        page = client.generic("POST", "/comments/new/", body, content_type=kind)
        assert page.status_code == 400 and "not UTF-8" in page.content.decode()


def test_a_content_length_that_is_no_number_is_a_400_not_a_500(client, people):
    """The review found the input guard reading a form's body let Django's int() fail on it."""
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"username=a",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="abc",
    )
    assert response.status_code == 400
