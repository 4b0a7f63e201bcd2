"""Importing drafts: Markdown, and a JSON export that round-trips with its history."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drafting import services
from drafting.models import Clause, Draft
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MARKDOWN = """# Code of Conduct for Cyberspace

A zero draft for the first reading.

## Preamble

### 1. Purpose
Recognising that ICTs underpin economic life.

## Norms

1. States should not knowingly allow their territory to be used for wrongful acts.
2. States should protect critical infrastructure.

### 4. Vulnerabilities (proposed)
States should encourage responsible reporting.

### 5. Human rights
[States should respect human rights online.]
"""


def upload(name, content):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def test_markdown_import_makes_sections_and_clauses(people):
    response = client_for(people["admin"]).post(
        "/api/v1/drafts/import/", {"file": upload("zero.md", MARKDOWN), "visibility": "public"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    draft = Draft.objects.get(slug=response.json()["slug"])
    assert (draft.title, draft.summary, draft.visibility) == (
        "Code of Conduct for Cyberspace",
        "A zero draft for the first reading.",
        "public",
    )
    clauses = list(
        Clause.objects.filter(draft=draft).order_by("number").values_list("section__title", "title", "status")
    )
    assert clauses == [
        ("Preamble", "Purpose", "agreed"),
        ("Norms", "States should not knowingly allow their territory to", "agreed"),
        ("Norms", "States should protect critical infrastructure.", "agreed"),
        ("Norms", "Vulnerabilities", "proposed"),
        ("Norms", "Human rights", "bracketed"),
    ]
    assert Clause.objects.get(draft=draft, title="Human rights").text == "States should respect human rights online."
    assert draft.memberships.get(user=people["admin"]).role == "moderator"


@pytest.mark.parametrize(
    "content, message",
    [
        ("No title here\n", "Line 1: the file must start"),
        ("# T\n\n### 1. Orphan\ntext\n", "Line 3: a clause before any '## ' section"),
        ("# T\n\n## S\n\n### 1. Empty\n\n## Next\n", "Line 5: clause “Empty” has no text"),
        ("# T\n## S\nloose words\n", "Line 3: text outside a clause"),
    ],
)
def test_malformed_markdown_is_refused_with_the_line_and_creates_nothing(people, content, message):
    response = client_for(people["admin"]).post(
        "/api/v1/drafts/import/", {"file": upload("d.md", content)}, format="multipart"
    )
    assert response.status_code == 400 and message in response.json()["file"][0]
    assert not Draft.objects.filter(title="T").exists()


def test_json_export_round_trips_with_history(draft, clause, people):
    moderator = people["moderator"]
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Second wording.", reason="Editorial")
    services.clause_update(clause_id=clause.id, version=2, by=moderator, status="bracketed")
    services.clause_revert(clause_id=clause.id, to_version=1, reason="Back", by=moderator)
    exported = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format=json").content
    response = client_for(people["admin"]).post(
        "/api/v1/drafts/import/", {"file": upload("draft.json", exported)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    copy = Draft.objects.get(slug=response.json()["slug"])
    assert copy.slug != draft.slug and copy.title == draft.title
    original = Clause.objects.filter(draft=draft).order_by("number")
    imported = Clause.objects.filter(draft=copy).order_by("number")
    assert [(c.number, c.title, c.text, c.status, c.version) for c in imported] == [
        (c.number, c.title, c.text, c.status, c.version) for c in original
    ]
    for before, after in zip(original, imported, strict=True):
        assert after.history.count() == before.history.count()
    rows = list(imported.first().history.order_by("history_date"))
    assert [(h.version, h.history_type) for h in rows] == [(1, "+"), (2, "~"), (3, "~"), (4, "~")]
    assert [h.text for h in rows] == [
        "States should not knowingly allow their territory to be used for wrongful acts.",
        "Second wording.",
        "Second wording.",
        rows[0].text,
    ]
    # Each version keeps who made it, never as an account here, and when (the first, by the factory,
    # names nobody): the moderator's edits are the Chair's, told as the Chair.
    assert [(h.history_user, h.recorded_by, h.history_as_chair) for h in rows] == [(None, "", False)] + [
        (None, "", True)
    ] * 3
    before = list(original.first().history.order_by("history_date"))
    assert [h.history_date for h in rows] == [
        h.history_date.replace(microsecond=h.history_date.microsecond // 1000 * 1000) for h in before
    ]
    assert rows[1].history_change_reason == "Editorial"
    page = client_for(None).get(f"/api/v1/clauses/{imported.first().id}/history/").json()
    assert [v["version"] for v in page["results"]] == [1, 2, 3, 4]


def test_malformed_json_is_refused_with_the_field(people, draft, clause):
    exported = json.loads(client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format=json").content)
    exported["sections"][0]["clauses"][0]["history"][0]["text"] = ""
    response = client_for(people["admin"]).post(
        "/api/v1/drafts/import/", {"file": upload("d.json", json.dumps(exported))}, format="multipart"
    )
    assert response.status_code == 400
    assert "sections[0].clauses[0].history[0].text" in response.json()["file"][0]
    assert Draft.objects.count() == 1
    broken = client_for(people["admin"]).post(
        "/api/v1/drafts/import/", {"file": upload("d.json", '{"format": ')}, format="multipart"
    )
    assert broken.status_code == 400 and "Line 1: not valid JSON" in broken.json()["file"][0]


def test_only_administrators_import_by_either_door(client, people):
    """Importing creates a draft, so the draft-creation rule decides it for the API and the page alike."""
    for standing in ("participant", "moderator"):
        refused = client_for(people[standing]).post(
            "/api/v1/drafts/import/", {"file": upload("d.md", MARKDOWN)}, format="multipart"
        )
        assert refused.status_code == 403 and "administrator" in refused.json()["detail"]
        client.force_login(people[standing])
        assert client.get("/drafts/import/").status_code == 403
    assert Draft.objects.count() == 1  # only the fixture's
    client.force_login(people["admin"])
    page = client.post("/drafts/import/", {"file": upload("zero.md", MARKDOWN), "visibility": "members"}, follow=True)
    assert "imported with 5 clauses" in page.content.decode()
    bad = client.post("/drafts/import/", {"file": upload("bad.md", "oops")})
    assert bad.status_code == 400 and "Line 1" in bad.content.decode()
    big = client.post("/drafts/import/", {"file": upload("big.md", "# T\n" + "x" * 2_000_001)})
    assert big.status_code == 413
