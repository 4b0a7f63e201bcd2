"""Suggesting on the words from the clause page (works without JavaScript), and suggestions shown
inline on the paragraph and side by side: struck and new words, who suggested them under the naming
rule, rivals together; the clause page's query count pinned with them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from drafting.models import Amendment
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.drafting.views.conftest import page, seen

pytestmark = pytest.mark.django_db

TEXT = "States should not knowingly allow their territory to be used for wrongful acts."


def _post(client, clause, **fields):
    data = {"version": clause.version, "quote": "not knowingly allow", "replacement": "never allow", **fields}
    return client.post(f"/clauses/{clause.id}/suggest/", data)


def _suggestions(tree):
    return [seen(li) for li in tree.xpath('//li[@data-testid="suggestion"]')]


def test_a_delegate_changes_three_words_without_retyping_the_paragraph(client, clause, people, round_):
    client.force_login(people["participant"])
    form = page(client, f"/clauses/{clause.id}/")
    assert form.xpath('//form[@id="suggest-form"]//input[@name="quote"]')
    assert seen(form.xpath('//textarea[@id="suggest-text"]')[0]) == TEXT  # the words to select, with the keyboard too
    response = _post(client, clause)
    amendment = Amendment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#suggestion-{amendment.id}")
    assert amendment.text == TEXT.replace("not knowingly allow", "never allow")
    tree = page(client, f"/clauses/{clause.id}/")
    suggestion = tree.xpath('//li[@data-testid="suggestion"]')[0]
    assert [seen(d) for d in suggestion.xpath(".//del")] == ["not knowingly"]
    assert [seen(i) for i in suggestion.xpath(".//ins")] == ["never"]
    assert "suggested by a_participant" in seen(suggestion)


def test_a_suggestion_shows_the_words_as_the_paragraph_reads_them_not_its_markdown(client, clause, people, round_):
    clause = services.clause_update(
        clause_id=clause.id,
        version=1,
        by=people["moderator"],
        text="States **should not** knowingly allow \\*wrongful\\* acts under [the Charter](https://un.org/charter).",
    )
    client.force_login(people["participant"])
    assert _post(client, clause, quote="should not knowingly", replacement="shall never").status_code == 302
    suggestion = seen(page(client, f"/clauses/{clause.id}/").xpath('//li[@data-testid="suggestion"]')[0])
    assert "shall never" in suggestion and "should not" in suggestion
    assert "**" not in suggestion and "\\*" not in suggestion and "un.org" not in suggestion


def test_words_that_stand_twice_are_asked_for_and_what_was_typed_stays(client, clause, people, round_):
    clause = services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=TEXT + " States should act."
    )
    client.force_login(people["participant"])
    response = _post(client, clause, quote="States should", replacement="Countries must", rationale="Kept")
    html = response.content.decode()
    assert response.status_code == 400 and "stands 2 times" in html
    assert 'value="Countries must"' in html and "Kept" in html and "<details" in html and " open>" in html
    assert _post(client, clause, quote="States should", replacement="Countries must", occurrence=2).status_code == 302
    assert Amendment.objects.get().text == TEXT + " Countries must act."


def test_words_gone_since_the_page_was_read_are_refused_with_the_form_kept(client, clause, people, round_):
    client.force_login(people["participant"])
    services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=TEXT.replace("knowingly allow", "permit")
    )
    response = _post(client, clause, replacement="never let")  # the page read at version 1
    html = response.content.decode()
    assert response.status_code == 409 and "have changed since version 1" in html
    assert 'value="never let"' in html and 'name="version" value="2"' in html
    assert not Amendment.objects.exists()


def test_who_may_not_amend_is_told_why_and_has_no_form(client, clause, people, round_):
    client.force_login(people["observer"])
    assert not page(client, f"/clauses/{clause.id}/").xpath('//form[@id="suggest-form"]')
    refused = _post(client, clause)
    assert refused.status_code == 403 and 'data-testid="refusal"' in refused.content.decode()
    client.logout()
    assert _post(client, clause).status_code == 302  # to log in
    assert not Amendment.objects.exists()


def _suggest(clause, by, words, replacement):
    at = clause.text.index(words)
    return services.amendment_suggest(
        clause_id=clause.id,
        by=by,
        version=clause.version,
        start=at,
        end=at + len(words),
        quote=words,
        replacement=replacement,
    )


def test_suggestions_on_the_same_words_are_rivals_listed_together(client, clause, people, round_):
    first = _suggest(clause, people["participant"], "knowingly allow", "permit")
    rival = _suggest(clause, people["moderator"], "not knowingly", "never")
    apart = _suggest(clause, people["participant"], "wrongful", "unlawful")
    client.force_login(people["observer"])
    tree = page(client, f"/clauses/{clause.id}/")
    groups = tree.xpath('//li[@data-testid="rival-group"]')
    assert len(groups) == 1
    in_group = [int(li.get("id").split("-")[1]) for li in groups[0].xpath('.//li[@data-testid="suggestion"]')]
    assert in_group == [first.id, rival.id]
    assert "rival of #" + str(rival.id) in seen(groups[0])
    assert len(_suggestions(tree)) == 3
    alone = tree.xpath(f'//li[@id="suggestion-{apart.id}"]')[0]
    assert not alone.xpath('.//*[@data-testid="rival"]') and "unlawful" in seen(alone)
    compare = page(client, f"/clauses/{clause.id}/amendments/compare/")
    assert len(compare.xpath('//*[@data-testid="base-text"]//li[@data-testid="rival-group"]')) == 1
    assert len(compare.xpath('//*[@data-testid="base-text"]//li[@data-testid="suggestion"]')) == 3


def test_an_amendment_written_against_an_earlier_version_shows_against_the_text_now(client, clause, people, round_):
    _suggest(clause, people["participant"], "wrongful", "unlawful")
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Always, " + TEXT)
    words = seen(page(client, f"/clauses/{clause.id}/").xpath('//p[@data-testid="suggestion-words"]')[0])
    assert "unlawful" in words and "against version" not in words


def test_under_the_chatham_house_rule_a_suggestion_names_the_group_only(client, draft, clause, people):
    moderator = people["moderator"]
    closed_doors = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=closed_doors.id, by=moderator)
    delegate = UserFactory(username="zenobia_k")
    MembershipFactory(user=delegate, organization=OrganizationFactory(name="Freedonia", stakeholder_group="industry"))
    services.draft_member_set(draft=draft, user_id=delegate.id, role="participant", by=draft.created_by)
    _suggest(clause, delegate, "wrongful", "unlawful")
    for reader in (people["moderator"], people["participant"], None):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        by = seen(page(client, f"/clauses/{clause.id}/").xpath('//*[@data-testid="suggested-by"]')[0])
        assert "zenobia" not in by and "Freedonia" not in by and "Industry" in by, by
    client.force_login(delegate)
    assert "zenobia_k" in seen(page(client, f"/clauses/{clause.id}/").xpath('//*[@data-testid="suggested-by"]')[0])


def _clause_page_queries(client, clause) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/clauses/{clause.id}/").status_code == 200
    return len(queries)


# The clause page a participant reads while the round is open, with its suggestion form: the reads
# of "clause page" (tests/drafting/test_query_counts.py) for a reader who does not moderate, and
# nothing more for any number of suggestions, rivals or versions.
CLAUSE_PAGE_QUERIES = 16


def test_the_clause_page_query_count_is_pinned_with_suggestions(client, clause, people, round_):
    client.force_login(people["participant"])
    _suggest(clause, people["participant"], "wrongful", "unlawful")
    _clause_page_queries(client, clause)  # the session and the rendered text, cached from here on
    small = _clause_page_queries(client, clause)
    for words, replacement in (("not knowingly", "never"), ("knowingly allow", "permit"), ("territory", "land")):
        _suggest(clause, people["moderator"], words, replacement)
        _suggest(clause, people["participant"], words, replacement.upper())
    clause = services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Always, " + TEXT)
    _suggest(clause, people["participant"], "Always", "In all cases")
    _clause_page_queries(client, clause)
    large = _clause_page_queries(client, clause)
    assert (small, large) == (CLAUSE_PAGE_QUERIES, CLAUSE_PAGE_QUERIES)
