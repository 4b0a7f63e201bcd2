import pytest

from drafting import services
from drafting.models import Amendment, Clause, Comment, Round, Vote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def round_(draft, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


def test_moderator_runs_a_round_from_the_rounds_page(client, draft, people):
    client.force_login(people["participant"])
    assert client.post(f"/drafts/{draft.slug}/rounds/", {"title": "X"}).status_code == 403
    client.force_login(people["moderator"])
    created = client.post(
        f"/drafts/{draft.slug}/rounds/",
        {
            "title": "First reading",
            "voting_rule": "consensus",
            "quorum": 2,
            "eligible_groups": ["government", "academia"],
            "hide_tallies_until_close": "on",
        },
        follow=True,
    )
    assert "“First reading” created." in created.content.decode()
    round_ = Round.objects.get()
    assert (round_.voting_rule, round_.eligible_groups) == ("consensus", ["government", "academia"])
    for move, phase in (("open", "open"), ("start-voting", "voting"), ("close", "closed")):
        page = client.post(f"/rounds/{round_.id}/{move}/", follow=True).content.decode()
        assert f"is now {phase}" in page
    again = client.post(f"/rounds/{round_.id}/open/", follow=True).content.decode()
    assert "can only move to open from scheduled" in again
    backwards = client.post(
        f"/drafts/{draft.slug}/rounds/",
        {
            "title": "Kept title",
            "voting_rule": "consensus",
            "quorum": 0,
            "eligible_groups": ["government"],
            "opens_at": "2026-12-05T10:00",
            "voting_opens_at": "2026-12-01T10:00",
        },
    )
    assert backwards.status_code == 400 and 'value="Kept title"' in backwards.content.decode()


def test_draft_page_shows_the_round_and_propose_link(client, draft, section, people, round_):
    client.force_login(people["participant"])
    html = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "First reading" in html and "Propose a clause" in html


def test_propose_page_and_errors_keep_text(client, draft, section, people, round_):
    client.force_login(people["participant"])
    response = client.post(
        f"/drafts/{draft.slug}/propose/",
        {"section": section.id, "title": "Points of contact", "text": "States should name a point of contact."},
        follow=True,
    )
    assert "proposed. It stays in square brackets until agreed." in response.content.decode()
    clause = Clause.objects.get(title="Points of contact")
    assert clause.status == "proposed" and clause.round == round_
    huge = client.post(f"/drafts/{draft.slug}/propose/", {"section": section.id, "title": "Kept", "text": "z" * 20_001})
    assert huge.status_code == 413 and 'value="Kept"' in huge.content.decode()
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    late = client.post(f"/drafts/{draft.slug}/propose/", {"section": section.id, "title": "Late", "text": "My words"})
    assert late.status_code == 409 and "My words" in late.content.decode()
    client.force_login(people["observer"])
    observer = client.post(f"/drafts/{draft.slug}/propose/", {"section": section.id, "title": "Obs", "text": "x"})
    assert observer.status_code == 403
    assert Clause.objects.count() == 1


def test_amend_page_redline_and_competing_notice(client, clause, people, round_):
    client.force_login(people["participant"])
    form = client.get(f"/clauses/{clause.id}/amend/").content.decode()
    assert clause.text in form  # the current text to start from
    response = client.post(
        f"/clauses/{clause.id}/amend/",
        {
            "kind": "modify",
            "text": "States must not knowingly allow their territory to be used for wrongful acts.",
            "rationale": "Firmer",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Amendment submitted." in html
    assert "<del>should</del><ins>must</ins>" in html
    services.amendment_submit(
        clause_id=clause.id,
        by=people["moderator"],
        kind="modify",
        text="States shall not knowingly allow their territory to be used for wrongful acts.",
    )
    mine = Amendment.objects.get(author=people["participant"])
    assert "Competes with" in client.get(f"/amendments/{mine.id}/").content.decode()
    clause_page = client.get(f"/clauses/{clause.id}/").content.decode()
    assert clause_page.count('data-testid="competing"') == 2
    empty = client.post(f"/clauses/{clause.id}/amend/", {"kind": "modify", "text": "", "rationale": "Kept rationale"})
    assert empty.status_code == 400 and "Kept rationale" in empty.content.decode()


def test_withdraw_on_page(client, clause, people, round_):
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete")
    client.force_login(people["observer"])
    assert client.post(f"/amendments/{amendment.id}/withdraw/").status_code == 403
    client.force_login(people["participant"])
    page = client.post(f"/amendments/{amendment.id}/withdraw/", follow=True).content.decode()
    assert "Amendment withdrawn." in page
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"


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


def test_vote_control_on_the_page(client, draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    client.force_login(people["participant"])
    early = client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX)
    assert early.status_code == 409 and "only while a round is voting" in early.content.decode()
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    page = client.get(f"/clauses/{proposed.id}/").content.decode()
    assert 'value="yes"' in page and "You have not voted yet." in page
    voted = client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX).content.decode()
    assert "You voted <strong>yes</strong>" in voted and "Tallies are hidden until the round closes." in voted
    changed = client.post(f"/votes/clause/{proposed.id}/", {"choice": "abstain"}, **HTMX).content.decode()
    assert "You voted <strong>abstain</strong>" in changed
    assert Vote.objects.get().choice == "abstain"
    client.force_login(people["observer"])
    observer_page = client.get(f"/clauses/{proposed.id}/").content.decode()
    assert 'value="yes"' not in observer_page
    assert client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX).status_code == 403
