"""Comment threads on the pages (htmx and plain posts)."""

import pytest

from drafting import services
from drafting.models import Comment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_comment_and_reply_with_htmx_return_the_thread(client, clause, people):
    client.force_login(people["observer"])
    posted = client.post(
        "/comments/new/",
        {
            "target_kind": "clause",
            "target_id": clause.id,
            "body": "Why knowingly?",
            "stance": "question",
            "quote": "knowingly allow",
        },
        **HTMX,
    )
    assert posted.status_code == 200
    html = posted.content.decode()
    assert html.lstrip().startswith('<section class="comments" id="comments"')
    assert "Why knowingly?" in html and "knowingly allow</blockquote>" in html
    root = Comment.objects.get()
    client.force_login(people["participant"])
    reply = client.post(
        "/comments/new/",
        {
            "target_kind": "clause",
            "target_id": clause.id,
            "parent": root.id,
            "body": "Actual knowledge.",
            "stance": "neutral",
        },
        **HTMX,
    ).content.decode()
    assert '<ol class="replies">' in reply and "Actual knowledge." in reply


def test_comment_errors_keep_what_was_typed(client, clause, people):
    client.force_login(people["observer"])
    bad = client.post(
        "/comments/new/",
        {
            "target_kind": "clause",
            "target_id": clause.id,
            "body": "My long argument",
            "stance": "neutral",
            "quote": "words that are not there",
        },
        **HTMX,
    )
    assert bad.status_code == 400
    assert (
        "The quoted words are not in the text." in bad.content.decode() and "My long argument" in bad.content.decode()
    )
    plain = client.post(
        "/comments/new/",
        {"target_kind": "clause", "target_id": clause.id, "body": "x" * 10_001, "stance": "neutral"},
    )
    assert plain.status_code == 400 and "the limit is 10,000" in plain.content.decode()
    assert not Comment.objects.exists()


def test_hidden_comment_on_the_page(client, clause, people):
    comment = services.comment_post(by=people["observer"], clause_id=clause.id, body="<script>alert(1)</script> rude")
    client.force_login(people["moderator"])
    html = client.post(f"/comments/{comment.id}/hide/", {"reason": "Abusive"}, **HTMX).content.decode()
    assert "Hidden by a moderator: Abusive" in html and "Restore" in html
    client.force_login(people["participant"])
    other = client.get(f"/clauses/{clause.id}/").content.decode()
    assert "Hidden by a moderator: Abusive" in other and "rude" not in other
    client.force_login(people["observer"])
    author = client.get(f"/clauses/{clause.id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rude" in author and "<script>alert(1)" not in author
