"""Quotes as the reader sees them: found across formatting and drawn brackets, highlighted in the text."""

import re

import pytest

from codeofconduct.errors import InvalidInput
from drafting import services
from drafting.markdown import render_markdown
from drafting.models import Comment
from drafting.quotes import found_quote, highlight, visible_text
from drafting.templatetags.drafting_tags import bracketed
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

BOLD = "States **should not** knowingly allow\ntheir territory to be used.\n\nThey _should_ cooperate."


def _mark_texts(html: str) -> list[str]:
    return re.findall(r'<mark class="quoted" data-comments="[\d ]+">(.*?)</mark>', html)


@pytest.fixture
def bold_clause(section):
    return ClauseFactory(section=section, number=2, title="Territory", text=BOLD, text_html=render_markdown(BOLD))


@pytest.fixture
def bracketed_clause(section):
    text = "States should name a **point of contact**."
    return ClauseFactory(
        section=section, number=3, title="Contacts", status="proposed", text=text, text_html=render_markdown(text)
    )


def post(people, role="observer", **kwargs):
    return services.comment_post(by=people[role], body="A remark.", **kwargs)


def test_a_quote_across_bold_text_and_a_line_break_is_kept_as_the_words_shown(bold_clause, people):
    comment = post(people, clause_id=bold_clause.id, quote="should not knowingly allow\n  their territory")
    assert comment.quote == "should not knowingly allow their territory"
    across_paragraphs = post(people, clause_id=bold_clause.id, quote="to be used.\n\nThey should")
    assert across_paragraphs.quote == "to be used. They should"


def test_a_quote_copied_from_the_markdown_source_is_read_as_the_words_it_shows(bold_clause, people):
    assert post(people, clause_id=bold_clause.id, quote="**should not** knowingly").quote == "should not knowingly"


def test_the_brackets_drawn_around_a_proposed_clause_may_be_selected_but_are_not_stored(bracketed_clause, people):
    assert post(people, clause_id=bracketed_clause.id, quote="[States should name").quote == "States should name"
    assert post(people, clause_id=bracketed_clause.id, quote="point of contact.]").quote == "point of contact."
    whole = post(people, clause_id=bracketed_clause.id, quote="[States should name a point of contact.]")
    assert whole.quote == "States should name a point of contact."
    with pytest.raises(InvalidInput, match="not only its brackets"):
        post(people, clause_id=bracketed_clause.id, quote="[")


def test_a_quote_running_out_of_the_clause_is_refused(bold_clause, people):
    for quote in ("Territory States should", "2. Territory", "They should cooperate. Comments", "should  knowingly"):
        with pytest.raises(InvalidInput, match="The quoted words are not in the text."):
            post(people, clause_id=bold_clause.id, quote=quote)
    assert not Comment.objects.exists()


def test_a_quote_on_an_amendment_may_cross_the_redline_or_come_from_either_text(clause, people, round_):
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    # The redline reads "States should must not knowingly ...": what the page shows, selected across it.
    assert post(people, amendment_id=amendment.id, quote="should must not").quote == "should must not"
    assert post(people, amendment_id=amendment.id, quote="States must not").quote == "States must not"
    assert post(people, amendment_id=amendment.id, quote="States should not").quote == "States should not"
    with pytest.raises(InvalidInput):
        post(people, amendment_id=amendment.id, quote="States shall not")


def test_the_api_refuses_a_quote_outside_the_text_and_keeps_one_across_formatting(api, bold_clause, people):
    api.force_authenticate(people["observer"])
    bad = api.post(
        "/api/v1/comments/", {"clause": bold_clause.id, "body": "x", "quote": "Territory States"}, format="json"
    )
    assert bad.status_code == 400 and "quote" in bad.json()
    good = api.post(
        "/api/v1/comments/", {"clause": bold_clause.id, "body": "x", "quote": "should not knowingly"}, format="json"
    )
    assert good.status_code == 201 and good.json()["quote"] == "should not knowingly"


def test_the_clause_page_highlights_each_quote_with_a_link_to_its_comment(client, bold_clause, people):
    first = post(people, clause_id=bold_clause.id, quote="should not knowingly")
    second = post(people, role="participant", clause_id=bold_clause.id, quote="They should cooperate.")
    client.force_login(people["participant"])
    html = client.get(f"/clauses/{bold_clause.id}/").content.decode()
    start = html.index(">", html.index('id="quotable-text"')) + 1
    text = html[start : html.index("</div>", start)]
    # One mark per text node: inside the bold words and after them, never across the tag.
    assert f'<strong><mark class="quoted" data-comments="{first.id}">should not</mark></strong>' in text
    assert _mark_texts(text) == ["should not", " knowingly", "They ", "should", " cooperate."]
    assert f'href="#comment-{first.id}"' in text and f'href="#comment-{second.id}"' in text
    assert f'id="comment-{first.id}"' in html
    assert visible_text(text) == visible_text(bold_clause.text_html)  # the words read the same


def test_a_hidden_comments_quote_is_highlighted_for_its_author_and_moderators_only(client, bold_clause, people):
    comment = post(people, clause_id=bold_clause.id, quote="knowingly allow")
    services.comment_hide(comment_id=comment.id, by=people["moderator"], reason="Off topic")
    for role, sees in (("participant", False), ("observer", True), ("moderator", True)):
        client.force_login(people[role])
        html = client.get(f"/clauses/{bold_clause.id}/").content.decode()
        assert (f"#comment-{comment.id}" in html) is sees, role
        assert ("<mark" in html) is sees, role
        assert ("knowingly allow</blockquote>" in html) is sees, role


def test_posting_with_htmx_brings_the_highlighted_text_back_out_of_band(client, bracketed_clause, people):
    client.force_login(people["observer"])
    response = client.post(
        "/comments/new/",
        {
            "target_kind": "clause",
            "target_id": bracketed_clause.id,
            "body": "Which point?",
            "stance": "question",
            "quote": "[States should name",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get()
    assert comment.quote == "States should name"
    oob = html[html.index('id="quotable-text"') :]
    assert 'hx-swap-oob="true"' in oob[:200]
    assert '<span class="bracket">[</span>' in oob  # the drawn brackets stay outside the mark
    assert _mark_texts(oob) == ["States should name"] and f'href="#comment-{comment.id}"' in oob


def test_the_amendment_page_highlights_quotes_in_its_redline(client, clause, people, round_):
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    comment = post(people, amendment_id=amendment.id, quote="should must not")
    client.force_login(people["observer"])
    html = client.get(f"/amendments/{amendment.id}/").content.decode()
    redline = html[html.index('data-testid="redline"') : html.index("</p>", html.index('data-testid="redline"'))]
    assert _mark_texts(redline) == ["should", "must", "not"]
    assert f'<del><mark class="quoted" data-comments="{comment.id}">should</mark></del>' in redline
    assert f'href="#comment-{comment.id}"' in redline


def test_highlight_keeps_tags_escapes_text_and_handles_overlaps_and_links():
    html = render_markdown("Use [the *map* & key](https://example.org) < here, then the map again.")
    marked = highlight(html, [(7, "the map & key < here"), (9, "map & key"), (11, "not there")])
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">' in marked
    assert "&amp; key" in marked and "&lt; here" in marked
    assert '<em><mark class="quoted" data-comments="7 9">map</mark></em>' in marked
    # A quote ending inside a link gets its own link after that one, never nested in it.
    assert marked.index('href="#comment-9"') > marked.index("</a>")
    assert "#comment-11" not in marked
    assert marked.count('data-comments="7"') == 2  # "the " and " < here": only its first appearance
    assert visible_text(marked) == visible_text(html)


def test_highlight_finds_words_across_the_drawn_brackets_and_blocks():
    html = bracketed(render_markdown("First paragraph.\n\nSecond **one**."))
    assert visible_text(html) == "[First paragraph. Second one.]"
    marked = highlight(html, [(3, "paragraph. Second one")])
    assert _mark_texts(marked) == ["paragraph.", "Second ", "one"]
    assert found_quote("paragraph.\nSecond one.]", [html]) == "paragraph. Second one."
