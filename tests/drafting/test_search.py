"""Search through the API and the page: what is found, who finds it, filters, pages, snippets.

PostgreSQL's full-text search answers every query (drafting/search/), on the embedded default as
in production: stemming, phrases and prefixes are tested wherever the suite runs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from drafting.models import Visibility
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, DraftFactory, RoundFactory, SectionFactory

pytestmark = pytest.mark.django_db

CRITICAL = "States should not conduct ICT activity that damages critical infrastructure providing services."


def find(user, **params):
    response = client_for(user).get("/api/v1/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def found_ids(user, kind="clause", **params):
    return {(hit["kind"], hit["id"]) for hit in find(user, **params)["results"] if hit["kind"] == kind}


@pytest.fixture
def norm(section):
    return ClauseFactory(section=section, number=2, title="Protection of infrastructure", text=CRITICAL)


def test_a_phrase_is_found_in_clause_texts_with_its_words_marked(people, norm):
    answer = find(people["anonymous"], q='"critical infrastructure"')
    assert answer["count"] == 1
    hit = answer["results"][0]
    assert (hit["kind"], hit["id"], hit["current"], hit["version"]) == ("clause", norm.id, True, 1)
    assert hit["url"] == f"/clauses/{norm.id}/"
    assert hit["draft"]["slug"] == norm.draft.slug and hit["ref"] == "OP2"
    assert "<mark>critical" in hit["snippet"].lower() and "infrastructure</mark>" in hit["snippet"]
    # The same words in another order are not the phrase.
    assert find(people["anonymous"], q='"infrastructure critical"')["count"] == 0


def test_every_word_must_be_found_and_a_prefix_finds_longer_words(people, norm, clause):
    assert find(people["anonymous"], q="damages critical")["count"] == 1
    assert find(people["anonymous"], q="damages elephants")["count"] == 0
    assert found_ids(people["anonymous"], q="infrastruct*") == {("clause", norm.id), ("clause", clause.id)}
    assert found_ids(people["anonymous"], q="damag*") == {("clause", norm.id)}
    # Titles are searched too: the fixture's clause is titled "Critical infrastructure".
    assert ("clause", clause.id) in found_ids(people["anonymous"], q="critical")


def test_english_stemming(people, norm):
    assert found_ids(people["anonymous"], q="damaging provide") == {("clause", norm.id)}


def test_words_a_clause_no_longer_says_are_found_in_its_earlier_version(people, norm):
    services.clause_update(
        clause_id=norm.id, version=1, by=people["moderator"], text="States should protect essential services."
    )
    hits = find(people["participant"], q='"critical infrastructure"')["results"]
    assert [(h["id"], h["current"], h["version"]) for h in hits] == [(norm.id, False, 1)]
    assert hits[0]["url"] == f"/clauses/{norm.id}/?from=1&to=2#diff"
    # The new words are the current text's.
    hits = find(people["participant"], q="essential")["results"]
    assert [(h["id"], h["current"], h["version"]) for h in hits] == [(norm.id, True, 2)]
    # Words both versions say are one hit, the current one.
    hits = find(people["participant"], q="states should")["results"]
    assert [(h["id"], h["current"]) for h in hits if h["id"] == norm.id] == [(norm.id, True)]


def test_rationale_amendments_comments_and_replies(people, draft, norm, round_):
    services.clause_update(clause_id=norm.id, version=1, by=people["moderator"], status="agreed")
    norm.refresh_from_db()
    norm.rationale = "Hospitals went dark in the ransomware wave."
    norm.save()
    amendment = services.amendment_submit(
        clause_id=norm.id,
        by=people["participant"],
        kind="modify",
        text=CRITICAL.replace("critical infrastructure", "critical infrastructure and hospitals"),
        rationale="Hospitals deserve naming.",
    )
    comment = services.comment_post(by=people["observer"], clause_id=norm.id, body="What of hospitals abroad?")
    reply = services.comment_post(
        by=people["participant"], clause_id=norm.id, parent_id=comment.id, body="Hospitals abroad too."
    )
    answer = find(people["observer"], q="hospitals")
    kinds = [(hit["kind"], hit["id"]) for hit in answer["results"]]
    # Grouped by kind, in the kinds' order; the newest comment first within its group.
    assert kinds == [
        ("rationale", norm.id),
        ("amendment", amendment.id),
        ("comment", reply.id),
        ("comment", comment.id),
    ]
    assert answer["counts"] == {"clause": 0, "rationale": 1, "amendment": 1, "comment": 2}
    by_id = {(hit["kind"], hit["id"]): hit for hit in answer["results"]}
    assert by_id[("comment", reply.id)]["reply"] is True
    assert by_id[("comment", reply.id)]["url"] == f"/clauses/{norm.id}/#comment-{reply.id}"
    assert by_id[("amendment", amendment.id)]["url"] == f"/amendments/{amendment.id}/"
    assert find(people["observer"], q="hospitals", kind="comment")["counts"] == {"comment": 2}


def test_a_members_only_draft_is_found_by_its_members_only(people, draft, norm):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    for outsider in ("anonymous", "non_member"):
        assert find(people[outsider], q="critical")["count"] == 0
        refused = client_for(people[outsider]).get("/api/v1/search/", {"q": "critical", "draft": draft.slug})
        unknown = client_for(people[outsider]).get("/api/v1/search/", {"q": "critical", "draft": "no-such-draft"})
        # A hidden draft reads exactly as one that does not exist.
        assert refused.status_code == unknown.status_code == 400
        assert refused.json() == unknown.json()
        page = client_for(people[outsider]).get("/search/", {"q": "critical"})
        assert page.status_code == 200 and norm.title not in page.content.decode()
    for member in ("observer", "participant", "moderator", "admin"):
        assert ("clause", norm.id) in found_ids(people[member], q="critical")


def test_a_hidden_comment_is_found_by_the_drafts_moderators_only(people, draft, norm):
    comment = services.comment_post(by=people["participant"], clause_id=norm.id, body="A rude remark about gremlins.")
    services.comment_hide(comment_id=comment.id, by=people["moderator"], reason="Off topic.")
    other_draft_moderator = UserFactory()
    other = DraftFactory()
    services.draft_member_set(draft=other, user_id=other_draft_moderator.id, role="moderator", by=people["admin"])
    for reader in (people["anonymous"], people["non_member"], people["observer"], people["participant"]):
        assert find(reader, q="gremlins")["count"] == 0  # the author too: search does not bring it back
    assert find(other_draft_moderator, q="gremlins")["count"] == 0
    for moderator in (people["moderator"], people["admin"]):
        hits = find(moderator, q="gremlins")["results"]
        assert [(h["id"], h["hidden"]) for h in hits] == [(comment.id, True)]


def test_filters_by_draft_group_and_round(people, draft, norm, admin_user):
    other = DraftFactory(title=draft.title)  # same title: told apart by the symbol
    other_clause = ClauseFactory(section=SectionFactory(draft=other), text=CRITICAL)
    assert found_ids(people["anonymous"], q="critical infrastructure") == {
        ("clause", norm.id),
        ("clause", other_clause.id),
    }
    assert found_ids(people["anonymous"], q="critical infrastructure", draft=other.slug) == {
        ("clause", other_clause.id)
    }
    symbols = {
        hit["draft"]["document_symbol"] for hit in find(people["anonymous"], q="critical infrastructure")["results"]
    }
    assert len(symbols) == 2

    round_ = services.round_open(
        round_id=services.round_create(draft=draft, by=people["moderator"], title="Second reading").id,
        by=people["moderator"],
    )
    academic = UserFactory()
    MembershipFactory(user=academic, organization__stakeholder_group="academia")
    services.draft_member_set(draft=draft, user_id=academic.id, role="participant", by=admin_user)
    proposal = services.clause_create(
        draft=draft, section_id=norm.section_id, title="Research", text="Critical infrastructure research.", by=academic
    )
    assert found_ids(people["anonymous"], q="critical infrastructure", group="academia") == {("clause", proposal.id)}
    assert found_ids(people["anonymous"], q="critical infrastructure", round=round_.id) == {("clause", proposal.id)}
    earlier = RoundFactory(draft=draft, phase="scheduled")
    assert find(people["anonymous"], q="critical", round=earlier.id)["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "  ?! "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": " ".join(f"w{n}" for n in range(13))}, "q"),
        ({"q": "critical", "kind": "vote"}, "kind"),
        ({"q": "critical", "group": "aliens"}, "group"),
        ({"q": "critical", "round": "abc"}, "round"),
        ({"q": "critical", "round": "999999"}, "round"),
        ({"q": "critical", "page": "0"}, "page"),
    ],
)
def test_bad_requests_are_400_naming_the_field(people, norm, params, field):
    response = client_for(people["participant"]).get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()
    page = client_for(people["participant"]).get("/search/", params)
    assert page.status_code == 400
    body = page.content.decode()
    assert 'role="alert"' in body
    if field != "page":
        assert 'aria-invalid="true"' in body
    if params.get("q", "").strip() and field != "q":
        assert f'value="{params["q"]}"' in body  # the form keeps what was typed


def test_hits_are_paged_across_groups(people, section):
    for number in range(3, 28):
        ClauseFactory(section=section, number=number, text=f"Norm {number} on critical infrastructure.")
    first = find(people["anonymous"], q="critical", page_size=10)
    assert first["count"] == 25 and len(first["results"]) == 10
    assert "page=2" in first["next"] and first["previous"] is None
    seen = [hit["id"] for hit in first["results"]]
    for page in (2, 3):
        seen += [hit["id"] for hit in find(people["anonymous"], q="critical", page_size=10, page=page)["results"]]
    assert len(seen) == len(set(seen)) == 25
    assert client_for(None).get("/api/v1/search/", {"q": "critical", "page": 4, "page_size": 10}).status_code == 404


def test_a_snippet_is_escaped(people, section):
    ClauseFactory(section=section, number=9, text="Critical <script>alert(1)</script> & infrastructure.")
    snippet = find(people["anonymous"], q="critical")["results"][0]["snippet"]
    # Escaped: never live.
    assert "<script>" not in snippet and "&amp;" in snippet and "<mark>" in snippet


def _queries(user, **params) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/search/", params).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_hits(people, draft, section):
    """Pinned: counting each kind (5) and fetching this page's hits; the same at 5 hits and at 50."""

    def add(count, start):
        for number in range(start, start + count):
            clause = ClauseFactory(section=section, number=number, text=f"Critical infrastructure norm {number}.")
            services.comment_post(by=people["participant"], clause_id=clause.id, body="Critical point.")

    add(5, 100)
    small = _queries(people["participant"], q="critical", page_size=100)
    add(45, 200)
    large = _queries(people["participant"], q="critical", page_size=100)
    assert small == large
    assert large <= 12


def test_the_search_page_groups_hits_and_marks_the_words(client, people, draft, norm, round_):
    comment = services.comment_post(by=people["observer"], clause_id=norm.id, body="Critical infrastructure is vague.")
    response = client.get("/search/", {"q": "critical infrastructure", "draft": draft.slug})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="hit-group-clause"' in body and 'data-testid="hit-group-comment"' in body
    assert body.index('data-testid="hit-group-clause"') < body.index('data-testid="hit-group-comment"')
    assert f'href="/clauses/{norm.id}/#comment-{comment.id}"' in body
    assert "<mark>" in body
    assert f'value="{draft.slug}" selected' in body  # the filter stays chosen


@pytest.mark.parametrize(
    "params",
    [
        {"q": "critical\x00"},
        {"q": "critical", "draft": "a\x00b"},
        {"q": "critical", "kind": "\x00"},
        {"q": "\ufdd0critical\ufdd1"},
        {"q": "critical", "round": "9" * 40},
        {"q": "critical", "page": "9" * 40},
        {"q": "critical", "page_size": "0"},
        {"q": "'critical' & !infrastructure | (:*"},
        {"q": '"""'},
        {"q": "critical", "draft": "x" * 5000},
    ],
)
def test_hostile_input_is_never_a_500(people, norm, params):
    for path in ("/api/v1/search/", "/search/"):
        response = client_for(people["participant"]).get(path, params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        if path.startswith("/api/") and response.status_code == 200:
            for hit in response.json()["results"]:
                assert "\ufdd0" not in hit["snippet"] and "\ufdd1" not in hit["snippet"]


def test_words_are_found_as_people_type_them(people, section):
    """The same answers on both engines: prefixes longer than a stem or shorter than a stopword,
    accented capitals, punctuation and spacing as written, citations, a phrase ending in a prefix."""
    texts = {
        "protection": "Protection of information systems.",
        "accents": "Le Café de l'Éducation numérique.",
        "hyphen": "Cyber-security of e-mail services.",
        "spacing": "States  should\ncooperate.",
        "possessive": "Each State's own networks. State sovereignty applies.",
        "citation": "Recalling resolution 70/237 and A/RES/73/27 of the General Assembly.",
    }
    ids = {
        key: ClauseFactory(section=section, number=n, title=f"Norm {key}", text=text).id
        for n, (key, text) in enumerate(texts.items(), start=10)
    }

    def hits(q):
        return {hit["id"] for hit in find(people["anonymous"], q=q, kind="clause")["results"]}

    assert hits("protecti*") == {ids["protection"]}
    assert ids["protection"] in hits("in*")  # "in" is an English stopword; "information" begins with it
    assert hits("CAFÉ") == {ids["accents"]} == hits("éducation")
    assert hits("cyber-security") == {ids["hyphen"]} == hits("e-mail")
    assert hits('"states should cooperate"') == {ids["spacing"]}
    assert hits('"critical infra*"') == set()  # no such words here; the next one is
    assert hits('"information sys*"') == {ids["protection"]}
    assert hits("A/RES/73/27") == {ids["citation"]} == hits("70/237")
    # Stemmed, "State's" is "state" to PostgreSQL (so "States" too).
    assert ids["possessive"] in hits("State's")


def test_the_round_filter_keeps_to_the_rounds_draft(people, draft, norm, round_, admin_user):
    here = services.comment_post(by=people["observer"], clause_id=norm.id, body="Wombats here.")
    other = DraftFactory()
    elsewhere = ClauseFactory(section=SectionFactory(draft=other), text=CRITICAL)
    services.draft_member_set(draft=other, user_id=people["observer"].id, role="observer", by=admin_user)
    services.comment_post(by=people["observer"], clause_id=elsewhere.id, body="Wombats there.")
    assert find(people["observer"], q="wombats")["count"] == 2
    hits = find(people["observer"], q="wombats", round=round_.id)["results"]
    assert [(hit["kind"], hit["id"]) for hit in hits] == [("comment", here.id)]


def test_the_search_page_keeps_the_form_when_something_is_wrong(client, people, draft, norm, round_):
    # An error in the words keeps the draft's round list and the chosen round.
    page = client.get("/search/", {"q": "", "draft": draft.slug, "round": f" {round_.id}"})
    body = page.content.decode()
    assert page.status_code == 400 and f'value="{round_.id}"' in body and "First reading" in body
    # Past the last page: 404, still with the form and the words.
    past = client.get("/search/", {"q": "critical", "page": "99"})
    assert past.status_code == 404 and 'value="critical"' in past.content.decode()
    # A kind with no hits has no link; a chosen kind links back to every kind.
    listed = client.get("/search/", {"q": "critical"}).content.decode()
    assert '<span data-testid="kind-count-amendment">' in listed
    assert 'data-testid="all-kinds"' in client.get("/search/", {"q": "critical", "kind": "clause"}).content.decode()


def test_a_clause_found_by_its_title_alone_shows_the_words_marked_in_its_title(client, people, section):
    titled = ClauseFactory(
        section=section, number=7, title="Supply <chain> integrity", text="States should keep products safe."
    )
    hit = find(people["anonymous"], q="integrity")["results"][0]
    assert (hit["kind"], hit["id"]) == ("clause", titled.id)
    assert hit["title"] == "OP7. Supply <chain> integrity"
    assert hit["title_html"] == "OP7. Supply &lt;chain&gt; <mark>integrity</mark>"
    body = client.get("/search/", {"q": "integrity"}).content.decode()
    assert "Supply &lt;chain&gt; <mark>integrity</mark></a>" in body
    # Found in an earlier title, the version's title is marked.
    services.clause_update(clause_id=titled.id, version=1, by=people["moderator"], title="Supply chains")
    earlier = find(people["anonymous"], q="integrity")["results"]
    assert [(h["current"], h["title_html"]) for h in earlier] == [
        (False, "OP7. Supply &lt;chain&gt; <mark>integrity</mark>")
    ]
    # A title that is not searched (a comment's, a rationale's heading) is never marked.
    titled.rationale = "Integrity matters."
    titled.save()
    services.comment_post(by=people["participant"], clause_id=titled.id, body="Supply integrity, please.")
    for hit in find(people["participant"], q="supply")["results"]:
        if hit["kind"] != "clause":
            assert "<mark>" not in hit["title_html"], hit


def test_words_between_angle_brackets_or_after_an_ampersand_are_found(people, section):
    """PostgreSQL's parser takes "<name of State>" for a tag and "&critical;" for an entity and
    drops them; what a delegate wrote there is found all the same, on both engines."""
    placeholder = ClauseFactory(
        section=section, number=11, title="Template", text="Each <name of State> reports to the &Secretariat; yearly."
    )
    for query in ("name of State", "<name of State>", '"name of state"', "secretariat", "&Secretariat;", "<name*"):
        assert found_ids(people["anonymous"], q=query) == {("clause", placeholder.id)}, query
    snippet = find(people["anonymous"], q="secretariat")["results"][0]["snippet"]
    assert "&lt;name of State&gt;" in snippet and "<mark>Secretariat</mark>" in snippet


def test_a_stemmed_word_is_marked_whole(people, section):
    """PostgreSQL finds "peaceful" by its stem "peac": the mark covers the word, not the stem."""
    ClauseFactory(section=section, number=12, title="Peaceful settlement", text="Disputes are settled peacefully.")
    hit = find(people["anonymous"], q="peaceful")["results"][0]
    assert hit["title_html"] == "OP12. <mark>Peaceful</mark> settlement"
    assert "<mark>Peac</mark>" not in hit["snippet"]


def test_a_page_number_past_the_limit_says_the_limit(people, norm):
    answer = client_for(people["anonymous"]).get("/api/v1/search/", {"q": "critical", "page": 10_001})
    assert answer.status_code == 400 and answer.json() == {"page": ["Give a page number from 1 to 10,000."]}
