"""The comments API: threads, stance, quotes, edits and moderation."""

import pytest

from drafting import services
from drafting.models import Comment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_comment_threads_stance_quote_and_edit(clause, people):
    observer = client_for(people["observer"])
    root = observer.post(
        "/api/v1/comments/",
        {"clause": clause.id, "body": "What counts as knowingly?", "stance": "question", "quote": "knowingly allow"},
        format="json",
    )
    assert root.status_code == 201, root.content
    reply = client_for(people["participant"]).post(
        "/api/v1/comments/",
        {"clause": clause.id, "parent": root.json()["id"], "body": "Actual knowledge.", "stance": "neutral"},
        format="json",
    )
    assert reply.status_code == 201
    listed = observer.get(f"/api/v1/comments/?clause={clause.id}").json()["results"]
    assert [(c["parent"], c["stance"], c["quote"]) for c in listed] == [
        (None, "question", "knowingly allow"),
        (root.json()["id"], "neutral", ""),
    ]
    edited = observer.patch(
        f"/api/v1/comments/{root.json()['id']}/", {"body": "What does knowingly mean?"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    history = observer.get(f"/api/v1/comments/{root.json()['id']}/history/").json()["results"]
    assert [h["body"] for h in history] == ["What counts as knowingly?", "What does knowingly mean?"]
    someone_else = client_for(people["participant"]).patch(
        f"/api/v1/comments/{root.json()['id']}/", {"body": "x"}, format="json"
    )
    assert someone_else.status_code == 403


def test_comment_bad_input(clause, people, amendment_setup=None):
    client = client_for(people["observer"])
    assert (
        client.post(
            "/api/v1/comments/", {"clause": clause.id, "body": "x", "stance": "angry"}, format="json"
        ).status_code
        == 400
    )
    assert client.post("/api/v1/comments/", {"clause": clause.id, "body": " "}, format="json").status_code == 400
    big = client.post("/api/v1/comments/", {"clause": clause.id, "body": "y" * 10_001}, format="json")
    assert big.status_code == 413
    misquote = client.post(
        "/api/v1/comments/", {"clause": clause.id, "body": "x", "quote": "not in the text"}, format="json"
    )
    assert misquote.status_code == 400 and "quote" in misquote.json()
    neither = client.post("/api/v1/comments/", {"body": "x"}, format="json")
    assert neither.status_code == 400
    assert client.get("/api/v1/comments/").status_code == 400
    assert client.post("/api/v1/comments/", {"clause": 999999, "body": "x"}, format="json").status_code == 404
    assert Comment.objects.count() == 0


def test_moderator_hides_a_comment_with_a_reason(clause, people):
    quote = clause.text.split()[0]
    comment = services.comment_post(
        by=people["observer"], clause_id=clause.id, body="Rude words", stance="oppose", quote=quote
    )
    mod = client_for(people["moderator"])
    assert mod.post(f"/api/v1/comments/{comment.id}/hide/", {"reason": ""}, format="json").status_code == 400
    hidden = mod.post(f"/api/v1/comments/{comment.id}/hide/", {"reason": "Personal attack"}, format="json")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True

    def seen_by(user):
        return client_for(user).get(f"/api/v1/comments/?clause={clause.id}").json()["results"][0]

    assert seen_by(people["participant"])["body"] is None
    assert seen_by(people["participant"])["quote"] is None  # the words it quoted are hidden with it
    assert seen_by(people["moderator"])["quote"] == quote
    assert seen_by(people["participant"])["hidden_reason"] == "Personal attack"
    assert seen_by(people["observer"])["body"] == "Rude words"  # the author
    assert seen_by(people["moderator"])["body"] == "Rude words"
    assert seen_by(None)["body"] is None
    assert client_for(people["participant"]).get(f"/api/v1/comments/{comment.id}/history/").status_code == 404
    assert Comment.objects.filter(pk=comment.id).exists()  # never deleted
    record = Comment.objects.get(pk=comment.id).history.order_by("-history_id").first()
    assert record.history_user == people["moderator"] and record.history_change_reason == "Hidden: Personal attack"


def test_a_hidden_comment_takes_no_replies_but_from_moderators(clause, people, client):
    comment = services.comment_post(by=people["observer"], clause_id=clause.id, body="Rude words", stance="oppose")
    services.comment_hide(comment_id=comment.id, reason="Personal attack", by=people["moderator"])
    for standing in ("participant", "observer"):  # the author included
        refused = client_for(people[standing]).post(
            "/api/v1/comments/",
            {"clause": clause.id, "parent": comment.id, "body": "Quite right!", "stance": "support"},
            format="json",
        )
        assert refused.status_code == 409 and "hid this comment" in refused.json()["detail"], standing
    client.force_login(people["participant"])
    page = client.post(
        "/comments/new/",
        {
            "target_kind": "clause",
            "target_id": clause.id,
            "parent": comment.id,
            "body": "Quite right!",
            "stance": "support",
        },
    )
    assert page.status_code == 400 and "hid this comment" in page.content.decode()
    assert "Quite right!" in page.content.decode()  # the form keeps what was typed
    answered = client_for(people["moderator"]).post(
        "/api/v1/comments/",
        {"clause": clause.id, "parent": comment.id, "body": "Please keep to the text.", "stance": "neutral"},
        format="json",
    )
    assert answered.status_code == 201
    assert Comment.objects.filter(parent=comment).count() == 1
