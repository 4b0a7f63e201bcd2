"""The clause page: history, diff (the words people read, never Markdown's markup), editing with a
version check, revert, proposing."""

import re

import pytest
from django.conf import settings
from lxml import html as lxml_html

from drafting import services
from drafting.diff import visible_text
from drafting.markdown import render_markdown
from drafting.models import Clause
from tests.drafting.factories import ClauseFactory, SectionFactory
from tests.drafting.views.conftest import page, seen

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_clause_page_shows_history_and_chosen_diff(client, clause, people):
    moderator = people["moderator"]
    services.clause_update(
        clause_id=clause.id, version=1, by=moderator, text="States must not attack.", reason="Firmer"
    )
    services.clause_update(clause_id=clause.id, version=2, by=moderator, title="Renamed")
    html = client.get(f"/clauses/{clause.id}/?from=1&to=2").content.decode()
    assert "Firmer" in html and html.count('data-testid="history-row"') == 3
    seen = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)  # what a screen reader alone hears
    assert (
        "<span>States </span><del>should</del><ins>must</ins><span> not </span>"
        "<del>knowingly allow their territory to be used for wrongful acts</del><ins>attack</ins>"
    ) in seen
    assert "Edit (moderator)" not in html  # anonymous readers get no edit form
    missing = client.get(f"/clauses/{clause.id}/?from=1&to=99").content.decode()
    assert "Choose two versions that exist." in missing


def test_edit_on_page_and_conflict_keeps_typed_text(client, clause, people):
    client.force_login(people["moderator"])
    ok = client.post(
        f"/clauses/{clause.id}/edit/",
        {"version": 1, "title": clause.title, "text": "Edited on the page", "status": "agreed", "reason": "Typo"},
        follow=True,
    )
    assert "Saved as a new version." in ok.content.decode()
    stale = client.post(
        f"/clauses/{clause.id}/edit/",
        {"version": 1, "title": clause.title, "text": "My careful wording", "status": "agreed", "reason": ""},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "was changed by someone else" in html and "My careful wording" in html
    assert re.search(r'name="version" value="2"', html)
    clause.refresh_from_db()
    assert clause.text == "Edited on the page"


def test_oversized_text_on_page_is_413_and_kept(client, clause, people):
    client.force_login(people["moderator"])
    text = "x" * (settings.MAX_CLAUSE_TEXT + 1)
    response = client.post(
        f"/clauses/{clause.id}/edit/", {"version": 1, "title": "T", "text": text, "status": "agreed"}
    )
    assert response.status_code == 413
    assert "the limit is 20,000" in response.content.decode() and text in response.content.decode()


def test_participants_cannot_edit_on_page(client, clause, people):
    client.force_login(people["participant"])
    response = client.post(
        f"/clauses/{clause.id}/edit/", {"version": 1, "title": "T", "text": "hijack", "status": "agreed"}
    )
    assert response.status_code == 403
    clause.refresh_from_db()
    assert clause.text != "hijack"


def test_revert_on_page(client, clause, people):
    client.force_login(people["moderator"])
    original = clause.text
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Changed")
    response = client.post(f"/clauses/{clause.id}/revert/", {"to_version": 1, "reason": "Back"}, follow=True)
    assert "Reverted: now version 3." in response.content.decode()
    clause.refresh_from_db()
    assert clause.text == original
    missing = client.post(f"/clauses/{clause.id}/revert/", {"to_version": 99, "reason": "x"})
    assert missing.status_code == 404 and "has no version 99" in missing.content.decode()


def test_user_html_is_escaped_in_titles_history_and_diff(client, clause, people):
    moderator = people["moderator"]
    services.clause_update(
        clause_id=clause.id,
        version=1,
        by=moderator,
        title="<script>alert(1)</script>",
        text="<img src=x onerror=alert(2)>",
        reason="<b>why</b>",
    )
    html = client.get(f"/clauses/{clause.id}/?from=1&to=2").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>why</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


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


def test_propose_page_places_a_paragraph_and_a_refused_place_keeps_what_was_typed(
    client, draft, clause, people, round_
):
    """The position lists each section's paragraphs of the text by their cited number; a paragraph
    placed after OP1 is OP1 bis; a paragraph of another section is refused beside the position,
    with the title, the text and the place chosen still in the form."""
    norms = clause.section
    later = SectionFactory(draft=draft, title="Cooperation", position=2)
    ClauseFactory(section=later, number=2, title="Assistance")
    client.force_login(people["participant"])
    tree = page(client, f"/drafts/{draft.slug}/propose/")
    place = tree.get_element_by_id("id_after")
    assert seen(tree.find('.//label[@for="id_after"]')) == "Position:"
    assert place.get("aria-describedby") == "id_after_helptext"
    options = [
        (o.getparent().get("label"), o.get("value"), o.get("data-section"), seen(o)) for o in place.iter("option")
    ]
    assert options == [
        (None, "", None, "At the end of the section"),
        (None, "start", None, "At the start of the section"),
        ("Norms", str(clause.id), str(norms.id), "After OP1: Critical infrastructure"),
        ("Cooperation", str(draft.clauses.get(number=2).id), str(later.id), "After OP2: Assistance"),
    ]
    assert place.value == ""  # the end of the section, as before there was a choice

    fields = {"section": norms.id, "title": "Points of contact", "text": "States should name a point of contact."}
    placed = client.post(f"/drafts/{draft.slug}/propose/", {**fields, "after": clause.id}, follow=True)
    assert "Clause OP1 bis proposed." in placed.content.decode()
    assert Clause.objects.get(title="Points of contact").label == "1 bis"

    assistance = draft.clauses.get(number=2)
    refused = client.post(f"/drafts/{draft.slug}/propose/", {**fields, "title": "Kept", "after": assistance.id})
    assert refused.status_code == 400
    tree = lxml_html.fromstring(refused.content.decode())
    error = tree.find('.//select[@id="id_after"]/../div[@class="errors"]')
    assert "OP2 is in “Cooperation”, not in “Norms”" in seen(error)
    assert tree.get_element_by_id("id_after").value == str(assistance.id)
    assert tree.get_element_by_id("id_title").value == "Kept"
    assert seen(tree.get_element_by_id("id_text")) == fields["text"]
    started = client.post(f"/drafts/{draft.slug}/propose/", {**fields, "title": "Preamble", "after": "start"})
    assert started.status_code == 302 and Clause.objects.get(title="Preamble").label == "0"
    unknown = client.post(f"/drafts/{draft.slug}/propose/", {**fields, "title": "Lost", "after": "999999"})
    assert unknown.status_code == 400 and "Select a valid choice" in unknown.content.decode()
    assert not Clause.objects.filter(title__in=["Kept", "Lost"]).exists()


@pytest.mark.parametrize(
    ("before", "after", "inserted"),
    [
        ("States **should** share information.", "States **must** share information.", "must"),
        ("States should _share_ information.", "States should _promptly share_ information.", "promptly"),
        ("See [the report](https://example.org/r).", "See [the final report](https://example.org/r).", "final"),
        ("Use `TLS` everywhere.", "Use `TLS 1.3` everywhere.", "1.3"),
        ("- one\n- two", "- one\n- **two and three**", "and three"),
        ("First.\n\n## Heading\n\nLast __words__.", "First.\n\n## Heading\n\nLast __new words__.", "new"),
    ],
)
def test_clause_compare_shows_visible_words(client, clause, people, before, after, inserted):
    moderator = people["moderator"]
    for text in (before, after):
        current = type(clause).objects.get(pk=clause.pk)
        services.clause_update(
            clause_id=clause.id, version=current.version, by=moderator, title=clause.title, text=text
        )
    last = type(clause).objects.get(pk=clause.pk).version
    tree = page(client, f"/clauses/{clause.id}/?from={last - 1}&to={last}")
    redline = tree.find('.//*[@data-testid="redline"]')
    shown = seen(redline)
    for markup in ("**", "__", "](", "`", "## ", "- "):
        assert markup not in shown, (markup, shown)
    assert inserted in " ".join(seen(ins) for ins in redline.iter("ins"))
    assert shown.replace(" ", "").startswith(visible_text(render_markdown(before)).split()[0])
