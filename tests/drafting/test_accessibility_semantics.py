"""What automated checkers cannot see (WCAG 2.1 AA): a refused form says which field is wrong and why
to a screen reader, keeping what was typed; nothing is told by colour alone; a redline's insertions
and deletions are heard, on the pages only (the exports are documents, not screens)."""

import lxml.html
import pytest

from codeofconduct.errors import InvalidInput
from drafting import services
from drafting.documents.compilation_build import build_compilation
from drafting.documents.compilation_formats import render_compilation
from drafting.quotes import found_quote, quotable_html, visible_text
from drafting.templatetags.drafting_tags import redline
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db


def parse(response):
    return lxml.html.fromstring(response.content.decode())


def find(doc, xpath: str) -> list:
    return doc.xpath(xpath)


def one(doc, xpath: str):
    found = doc.xpath(xpath)
    assert found, f"nothing at {xpath}"
    return found[0]


def open_round(draft, people, **settings):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading", **settings)
    services.round_open(round_id=round_.id, by=people["moderator"])
    return round_


def amend(clause, people):
    return services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )


def described_by(doc, element) -> list[str]:
    """The texts an element's aria-describedby points at; each id must exist exactly once."""
    texts = []
    for ref in element.get("aria-describedby", "").split():
        found = doc.get_element_by_id(ref, None)
        assert found is not None, f"aria-describedby points at a missing id {ref}"
        assert len(doc.xpath(f'//*[@id="{ref}"]')) == 1, f"id {ref} is not unique"
        texts.append(found.text_content().strip())
    return texts


def test_a_refused_field_names_its_error_and_help_and_keeps_what_was_typed(client, draft, people):
    client.force_login(people["moderator"])
    response = client.post(
        f"/drafts/{draft.slug}/rounds/",
        {"title": "   ", "voting_rule": "consensus", "quorum": "3", "eligible_groups": ["industry"]},
    )
    assert response.status_code == 400
    doc = parse(response)
    title = one(doc, "//form[@id='round-form']//input[@name='title']")
    assert title.get("aria-invalid") == "true"
    assert described_by(doc, title) == ["This field is required."]
    quorum = one(doc, "//form[@id='round-form']//input[@name='quorum']")
    assert quorum.get("aria-invalid") is None  # only the fields in error say so
    assert described_by(doc, quorum) == [
        "The fewest votes (delegations, when one voice each) an item needs to be decided."
    ]
    # What the moderator typed and chose is all still there.
    assert quorum.get("value") == "3"
    assert one(doc, "//select[@name='voting_rule']/option[@selected]").get("value") == "consensus"
    checked = [box.get("value") for box in find(doc, "//input[@name='eligible_groups'][@checked]")]
    assert checked == ["industry"]


def test_a_choice_of_several_is_a_named_group_that_points_at_its_error(client, draft, people):
    client.force_login(people["moderator"])
    doc = parse(client.post(f"/drafts/{draft.slug}/rounds/", {"title": "First reading", "quorum": "0"}))
    group = one(doc, "//form[@id='round-form']//fieldset[.//input[@name='eligible_groups']]")
    assert one(group, "legend").text_content().strip() == "Eligible groups"
    assert described_by(doc, group) == ["This field is required."]
    boxes = find(group, ".//input[@type='checkbox']")
    assert len(boxes) == 4 and all(box.get("aria-invalid") == "true" for box in boxes)


def test_errors_of_no_field_come_first_as_a_summary_the_focus_can_go_to(client, people):
    response = client.post("/accounts/login/", {"username": people["participant"].username, "password": "wrong"})
    doc = parse(response)
    form = one(doc, "//main//form")
    summary = find(form, ".//*[@data-error-summary]")
    assert len(summary) == 1
    assert summary[0].get("role") == "alert" and summary[0].get("tabindex") == "-1"
    assert "correct username and password" in summary[0].text_content()
    first_field = one(form, ".//input[not(@type='hidden')]")
    assert summary[0].getparent() is form and form.index(summary[0]) < form.index(first_field.getparent())
    assert first_field.get("value") == people["participant"].username


def test_a_refused_comment_keeps_its_words_and_its_reply_has_ids_of_its_own(client, clause, people):
    client.force_login(people["participant"])
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(
        "/comments/new/",
        {"target_kind": "clause", "target_id": clause.id, "body": "My point.", "stance": "concern", "quote": "nowhere"},
        **htmx,
    )
    assert response.status_code == 400
    doc = parse(response)
    summary = one(doc, "//form[@id='comment-form']//*[@data-error-summary]")
    assert "not in the text" in summary.text_content()
    assert one(doc, "//form[@id='comment-form']//textarea[@name='body']").text_content().strip() == "My point."

    parent = services.comment_post(by=people["observer"], clause_id=clause.id, body="First.", stance="neutral")
    long = "x" * 20_000
    response = client.post(
        "/comments/new/",
        {"target_kind": "clause", "target_id": clause.id, "parent": parent.id, "body": long, "stance": "neutral"},
        **htmx,
    )
    doc = parse(response)
    reply = one(doc, f"//li[@id='comment-{parent.id}']//textarea[@name='body']")
    assert reply.get("id") == f"id_reply{parent.id}_body"  # not the thread form's id_body
    assert reply.get("aria-invalid") == "true" and described_by(doc, reply)
    labels = doc.xpath(f'//label[@for="{reply.get("id")}"]')
    assert len(labels) == 1


# --- the redline, heard -------------------------------------------------------------------------

CHANGES = [
    {"op": "equal", "text": "States "},
    {"op": "delete", "text": "should"},
    {"op": "insert", "text": "must <b>"},
]


def test_the_page_redline_speaks_its_insertions_and_deletions():
    html = str(redline(CHANGES))
    assert html == (
        "<span>States </span>"
        '<span class="visually-hidden">deleted: </span><del>should</del>'
        '<span class="visually-hidden"> end of deletion </span>'
        '<span class="visually-hidden">inserted: </span><ins>must &lt;b&gt;</ins>'
        '<span class="visually-hidden"> end of insertion </span>'
    )
    heard = lxml.html.fromstring(f"<p>{html}</p>").text_content()
    assert " ".join(heard.split()) == "States deleted: should end of deletion inserted: must <b> end of insertion"


def test_every_page_redline_is_heard(client, draft, clause, people):
    round_ = open_round(draft, people)
    amendment = amend(clause, people)
    client.force_login(people["participant"])
    pages = [
        f"/amendments/{amendment.id}/",
        f"/clauses/{clause.id}/amendments/compare/",
        f"/amendments/{amendment.id}/withdraw/",  # the page that asks first
        f"/rounds/{round_.id}/ballot/",
    ]
    for url in pages:
        if "ballot" in url:
            services.round_start_voting(round_id=round_.id, by=people["moderator"])
        doc = parse(client.get(url))
        line = one(doc, "//*[@data-testid='redline']")
        spoken = [span.text_content().strip() for span in find(line, ".//*[@class='visually-hidden']")]
        assert spoken == ["deleted:", "end of deletion", "inserted:", "end of insertion"], url
        assert [d.text_content() for d in find(line, ".//del")] == ["should"], url
        assert [i.text_content() for i in find(line, ".//ins")] == ["must"], url


def test_quotes_from_a_redline_are_its_seen_words_not_the_spoken_ones(draft, clause, people):
    open_round(draft, people)
    amendment = amend(clause, people)
    page = quotable_html(amendment=amendment)
    assert "inserted:" in page and "inserted" not in visible_text(page)
    assert found_quote("States should must not", [page]) == "States should must not"
    with pytest.raises(InvalidInput):
        found_quote("deleted: should", [page])


def test_the_exports_draw_their_redlines_without_the_spoken_words(draft, clause, people):
    round_ = open_round(draft, people)
    amend(clause, people)
    html = render_compilation(build_compilation(round_), "html").decode()
    assert "<del>should </del>" in html and "<ins>must</ins>" in html
    assert "visually-hidden" not in html and "end of insertion" not in html


# --- nothing by colour alone ---------------------------------------------------------------------


def test_badges_and_bars_say_in_words_what_their_colour_shows(client, draft, clause, people):
    moderator = people["moderator"]
    round_ = open_round(draft, people, hide_tallies_until_close=False)
    amendment = amend(clause, people)
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Hm.", stance="concern")
    voters = make_voters(draft, government=2, industry=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, amendment, {"government": "yn", "industry": "a"})
    client.force_login(moderator)
    pages = [
        f"/drafts/{draft.slug}/",
        f"/drafts/{draft.slug}/rounds/",
        f"/clauses/{clause.id}/",
        f"/amendments/{amendment.id}/",
        f"/rounds/{round_.id}/console/",
        f"/rounds/{round_.id}/ballot/",
        f"/rounds/{round_.id}/results/",
    ]
    badges = 0
    for url in pages:
        doc = parse(client.get(url))
        for badge in find(doc, "//*[contains(concat(' ', @class, ' '), ' badge ')]"):
            badges += 1
            assert badge.text_content().strip(), f"an empty badge on {url}: {lxml.html.tostring(badge)}"
    assert badges >= 10

    doc = parse(client.get(f"/rounds/{round_.id}/results/"))
    row = one(doc, "//*[@data-testid='result-row']")
    assert one(row, ".//*[@data-testid='outcome']").text_content().strip() == "Rejected"
    bar = one(row, ".//svg")
    assert bar.get("aria-label") == "1 yes, 1 no, 1 abstain"
    assert "1 yes · 1 no · 1 abstain" in row.text_content()  # the figures beside the bar, in words
    groups = find(doc, "//*[@data-testid='group-row']")
    assert len(groups) == 2
    for group_row in groups:
        assert find(group_row, ".//svg") and " yes · " in group_row.text_content()

    # The vote cast is in words beside the buttons, and in their pressed state.
    client.force_login(voters["government"][0])
    doc = parse(client.get(f"/amendments/{amendment.id}/"))
    assert one(doc, "//button[@value='yes']").get("aria-pressed") == "true"
    assert "Your delegation voted yes" in one(doc, "//*[@data-testid='my-vote']").text_content()
