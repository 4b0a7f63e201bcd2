"""Rivals settled on purpose (drafting/rivals.py): amendments changing the same or adjacent words of
a clause form a set, and a close accepts at most one of each set, as the Chair chooses on the close
preview or in the close's body: most support, carry the set over, or a compromise on the next ballot.
"""

import pytest

from drafting import services
from drafting.competing import rival_sets
from drafting.models import Amendment, Clause, ItemResult
from drafting.selectors.preview import round_close_preview
from drafting.tally import ballot
from notifications.models import Event
from tests.conftest import client_for
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db

BASE = "States should not knowingly allow their territory to be used for wrongful acts."


@pytest.fixture
def rivals(draft, clause, people):
    """A voting round with two rivals on "should" ("must": 3 yes; "shall": 2 yes, 1 no) and an
    amendment to other words of the same clause, which is no rival."""
    clause.text = BASE
    clause.save()
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", hide_tallies_until_close=False)
    services.round_open(round_id=round_.id, by=moderator)
    voters = make_voters(draft, government=3)

    def amend(text):
        return services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text=text)

    scene = {
        "round": round_,
        "clause": clause,
        "voters": voters,
        "must": amend(BASE.replace("should", "must")),
        "shall": amend(BASE.replace("should", "shall")),
        "elsewhere": amend(BASE.replace("wrongful", "internationally wrongful")),
    }
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, scene["must"], {"government": "yyy"})
    cast(voters, scene["shall"], {"government": "yyn"})
    cast(voters, scene["elsewhere"], {"government": "yyy"})
    scene["set"] = [scene["must"].id, scene["shall"].id]
    return scene


def _close(people, scene, body=None):
    return client_for(people["moderator"]).post(f"/api/v1/rounds/{scene['round'].id}/close/", body or {}, format="json")


def _status(amendment) -> str:
    return Amendment.objects.get(pk=amendment.pk).status


def _result(amendment) -> ItemResult:
    return ItemResult.objects.get(amendment=amendment)


def _next_round(draft, people, title="Second reading"):
    round_ = services.round_create(draft=draft, by=people["moderator"], title=title)
    return services.round_open(round_id=round_.id, by=people["moderator"])


# What a rival set is: the same or adjacent words, and rivals of rivals.


def test_rivals_change_the_same_or_adjacent_words_and_rivals_of_rivals_are_one_set(clause, round_, people):
    clause.text = BASE
    clause.save()

    def amend(old, new):
        return services.amendment_submit(
            clause_id=clause.id, by=people["participant"], kind="modify", text=BASE.replace(old, new)
        )

    nations = amend("States", "Nations")
    must = amend("should", "must")  # next to "States": a rival of the first
    never = amend("not", "never")  # next to "should", not to "States": in the set through "must"
    elsewhere = amend("wrongful", "internationally wrongful")
    sets = rival_sets([nations, must, never, elsewhere])
    assert [[a.id for a in s] for s in sets] == [[nations.id, must.id, never.id]]


# Most support, the default.


def test_of_two_rivals_both_voted_yes_only_the_one_with_most_support_is_accepted(people, rivals):
    response = _close(people, rivals)
    assert response.status_code == 200, response.content
    must, shall = rivals["must"], rivals["shall"]
    assert (_status(must), _status(shall), _status(rivals["elsewhere"])) == ("accepted", "superseded", "accepted")
    result = _result(shall)
    assert (result.outcome, result.effect) == ("superseded", f"superseded by amendment {must.id}")
    assert result.reason == (
        "2 for, 1 against: more for than against. "
        f"Amendment {must.id} changes the same or adjacent words and has more support (3 for, 0 against); "
        "only one of them can be accepted."
    )
    assert Clause.objects.get(pk=rivals["clause"].pk).text == (
        "States must not knowingly allow their territory to be used for internationally wrongful acts."
    )
    # Nowhere does the superseded rival read "Accepted": the API, the results, the report.
    api = client_for(people["participant"])
    assert api.get(f"/api/v1/amendments/{shall.id}/").json()["status"] == "superseded"
    results = api.get(f"/api/v1/rounds/{rivals['round'].id}/results/").json()
    rows = results["results"] if isinstance(results, dict) and "results" in results else results
    row = next(r for r in rows if r["item"]["type"] == "amendment" and r["item"]["id"] == shall.id)
    assert row["outcome"] == "superseded"


def test_the_results_page_and_the_amendment_page_never_call_a_superseded_rival_accepted(client, people, rivals):
    _close(people, rivals)
    shall = rivals["shall"]
    client.force_login(people["participant"])
    page = client.get(f"/amendments/{shall.id}/").content.decode()
    assert '<span class="badge status-superseded">Superseded</span>' in page
    results = client.get(f"/rounds/{rivals['round'].id}/results/").content.decode()
    row = results.split(f"Amendment {shall.id} to clause")[1].split("</tr>")[0]
    assert "outcome-superseded" in row and "Accepted" not in row
    assert f"Superseded by amendment {rivals['must'].id}" in row


def test_a_scheduled_close_settles_rivals_by_most_support(people, rivals):
    services.round_close(round_id=rivals["round"].id, by=None)
    assert (_status(rivals["must"]), _status(rivals["shall"])) == ("accepted", "superseded")


def test_the_superseded_authors_are_told_by_what(people, rivals, django_capture_on_commit_callbacks):
    _close(people, rivals)
    shall, must = rivals["shall"], rivals["must"]
    told = Event.objects.get(kind="amendment_superseded")
    assert told.recipient_ids == [shall.author_id]
    assert told.message == (
        f"Your amendment {shall.id} to clause {rivals['clause'].ref} was superseded by amendment {must.id} "
        "(3 for, 0 against), which had the most support of them in “First reading”."
    )
    summary = Event.objects.get(kind="round_closed").message
    assert "2 accepted, 0 rejected, 0 carried over without quorum, 1 superseded by a rival." in summary


# Carry over: the set on the next round's ballot.


def test_carried_over_rivals_go_on_the_next_rounds_ballot_and_are_decided_there(draft, people, rivals):
    response = _close(people, rivals, {"rivals": [{"amendments": rivals["set"], "choice": "carry_over"}]})
    assert response.status_code == 200, response.content
    must, shall = rivals["must"], rivals["shall"]
    assert (_status(must), _status(shall)) == ("carried_over", "carried_over")
    assert _result(must).outcome == "carried_over" and _result(must).effect == "carried over to the next round"
    assert Clause.objects.get(pk=rivals["clause"].pk).text == BASE.replace("wrongful", "internationally wrongful")
    told = Event.objects.get(
        kind="amendment_carried_over", recipient_ids=[must.author_id], message__startswith=f"Your amendment {must.id} "
    )
    assert f"goes on the ballot of the next round with its rivals (amendment {shall.id})" in told.message

    second = _next_round(draft, people)
    assert [item.id for kind, item in ballot(second) if kind == "amendment"] == [must.id, shall.id]
    assert (
        must.history.first().history_change_reason
        == "Back on the ballot of Second reading, carried over with its rivals"
    )
    services.round_start_voting(round_id=second.id, by=people["moderator"])
    cast(rivals["voters"], shall, {"government": "yyy"})
    services.round_close(round_id=second.id, by=people["moderator"])
    # Decided there: "shall" passes and "must", unvoted, is superseded by it.
    assert (_status(must), _status(shall)) == ("superseded", "accepted")
    assert [r.outcome for r in ItemResult.objects.filter(amendment=must).order_by("id")] == [
        "carried_over",
        "superseded",
    ]

    # Each round's compilation tells how that round ended them, whatever the next one did.
    def compiled(round_):
        data = client_for(people["moderator"]).get(f"/rounds/{round_.id}/compilation/?format=json").json()
        listed = [a for s in data["sections"] for c in s["clauses"] for a in c["amendments"]]
        return {a["id"]: (a["status"], a["status_words"]) for a in listed if a["id"] in (must.id, shall.id)}

    carried = "carried over to the next round with its rivals"
    assert compiled(rivals["round"]) == {must.id: ("carried_over", carried), shall.id: ("carried_over", carried)}
    assert compiled(second) == {
        must.id: ("superseded", f"superseded by amendment {shall.id}"),
        shall.id: ("accepted", "accepted"),
    }


# A compromise: the Chair's text on the next ballot.


def test_a_compromise_puts_the_chairs_amendment_on_the_next_ballot(draft, people, rivals):
    text = BASE.replace("should", "are expected to")
    body = {"rivals": [{"amendments": list(reversed(rivals["set"])), "choice": "compromise", "text": text}]}
    response = _close(people, rivals, body)
    assert response.status_code == 200, response.content
    compromise = Amendment.objects.get(as_chair=True)
    assert (compromise.text, compromise.status, compromise.organization, compromise.base_text) == (
        text,
        "submitted",
        None,
        BASE,
    )
    must, shall = rivals["must"], rivals["shall"]
    assert (_status(must), _status(shall)) == ("superseded", "superseded")
    assert _result(must).effect == f"superseded by amendment {compromise.id}"
    told = Event.objects.get(kind="amendment_superseded", message__contains=f"amendment {must.id} ")
    assert f"the Chair puts a compromise text (amendment {compromise.id}) on the next round's ballot" in told.message

    second = _next_round(draft, people)
    assert [item.id for kind, item in ballot(second) if kind == "amendment"] == [compromise.id]
    detail = client_for(people["participant"]).get(f"/api/v1/amendments/{compromise.id}/").json()
    assert detail["author"] == "the Chair" and detail["organization"] is None


def test_an_amendment_page_shows_the_vote_of_the_round_that_decided_it(draft, people, rivals, client):
    text = BASE.replace("should", "are expected to")
    _close(people, rivals, {"rivals": [{"amendments": rivals["set"], "choice": "compromise", "text": text}]})
    second = _next_round(draft, people)
    services.round_start_voting(round_id=second.id, by=people["moderator"])
    services.round_close(round_id=second.id, by=people["moderator"])
    # "must" was decided by First reading (3 yes), not by Second reading, whose ballot it was not on.
    page = client.get(f"/amendments/{rivals['must'].id}/").content.decode()
    vote = page[page.index('data-testid="vote"') :].split("</div>", 1)[0]
    assert "First reading — Closed" in vote and "Second reading" not in vote
    assert '<p class="tally" data-testid="tally">Yes 3 · No 0 · Abstain 0</p>' in vote


# Hidden tallies: the sets without counts, chosen blind.


def test_under_hidden_tallies_the_preview_shows_the_sets_without_counts(client, people, rivals):
    from drafting.models import Round

    Round.objects.filter(pk=rivals["round"].pk).update(hide_tallies_until_close=True)
    rivals["round"].refresh_from_db()
    preview = round_close_preview(rivals["round"], standing_="moderator")
    assert [s["amendments"] for s in preview.rivals] == [rivals["set"]]
    assert preview.rivals[0]["accepted"] is None
    assert all(set(row) == {"item", "votes"} for row in preview.rivals[0]["members"])
    client.force_login(people["moderator"])
    html = client.get(f"/rounds/{rivals['round'].id}/close-preview/").content.decode()
    sets = html.split('data-testid="rival-set"')[1].split("</fieldset>")[0]
    assert "you choose without knowing how the votes on these amendments stand" in html
    assert "rival-tally" not in sets and " yes " not in sets and "<td>3</td>" in sets  # votes cast, not how


# Bad choices: 400, and nothing changes.


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (lambda s: {"amendments": [999999, s["must"].id], "choice": "most_support"}, "999999 is in no rival set"),
        (lambda s: {"amendments": [s["must"].id, s["elsewhere"].id], "choice": "carry_over"}, "in no rival set"),
        (lambda s: {"amendments": [s["must"].id], "choice": "carry_over"}, "are not one rival set"),
        (lambda s: {"amendments": s["set"], "choice": "compromise"}, "is empty"),
        (lambda s: {"amendments": s["set"], "choice": "compromise", "text": BASE}, "the clause's current text"),
        (lambda s: {"amendments": s["set"], "choice": "compromise", "text": "x" * 20_001}, "20000"),
        (lambda s: {"amendments": s["set"], "choice": "toss_a_coin"}, "not a valid choice"),
        (lambda s: {"amendments": [], "choice": "carry_over"}, "empty"),
        (lambda s: {"amendments": ["twelve"], "choice": "carry_over"}, "valid integer"),
        (lambda s: {"amendments": list(range(3, 1004)), "choice": "carry_over"}, "no more than 1000"),
        (lambda s: {"amendments": [*range(10**6, 10**6 + 900), s["must"].id], "choice": "carry_over"}, "and 880 more"),
    ],
)
def test_a_choice_that_does_not_fit_the_ballot_is_refused_and_nothing_changes(people, rivals, choice, message):
    response = _close(people, rivals, {"rivals": [choice(rivals)]})
    assert response.status_code == 400, response.content
    assert message in str(response.json()) and len(response.content) < 2000
    rivals["round"].refresh_from_db()
    assert rivals["round"].phase == "voting" and not ItemResult.objects.exists()


def test_a_set_chosen_twice_is_refused(people, rivals):
    twice = [{"amendments": rivals["set"], "choice": "carry_over"}] * 2
    response = _close(people, rivals, {"rivals": twice})
    assert response.status_code == 400 and "chosen for twice" in response.json()["rivals"][0]


# The close page: the choice in the form, what was typed kept on a refusal.


def test_the_close_page_posts_the_choice_and_keeps_the_text_typed_on_a_refusal(client, people, rivals):
    key = ",".join(map(str, rivals["set"]))
    client.force_login(people["moderator"])
    refused = client.post(
        f"/rounds/{rivals['round'].id}/close/", {"rival_set": key, f"choice-{key}": "compromise", f"text-{key}": BASE}
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "is the clause&#x27;s current text" in html
    assert f'name="choice-{key}" value="compromise" form="close" checked' in html
    text = BASE.replace("should", "ought to")
    closed = client.post(
        f"/rounds/{rivals['round'].id}/close/", {"rival_set": key, f"choice-{key}": "compromise", f"text-{key}": text}
    )
    assert closed.status_code == 302
    assert Amendment.objects.get(as_chair=True).text == text


def test_preview_these_choices_computes_the_preview_with_them(client, people, rivals):
    key = ",".join(map(str, rivals["set"]))
    client.force_login(people["moderator"])
    # Posted, as the page's button posts the close form here: the CSRF token stays out of the address.
    html = client.post(
        f"/rounds/{rivals['round'].id}/close-preview/", {"rival_set": key, f"choice-{key}": "carry_over"}
    ).content.decode()
    assert html.count('class="badge outcome-carried_over"') >= 2
    assert f'name="choice-{key}" value="carry_over" form="close" checked' in html
    assert 'formmethod="get"' not in html
    rivals["round"].refresh_from_db()
    assert rivals["round"].phase == "voting"  # a preview changes nothing


@pytest.mark.parametrize("key", ["¹,²", "١,٢", "9" * 5000, "1,,", ""])
def test_a_rival_set_the_form_cannot_name_is_refused_with_a_reason(client, people, rivals, key):
    client.force_login(people["moderator"])
    url = f"/rounds/{rivals['round'].id}/"
    previewed = client.post(f"{url}close-preview/", {"rival_set": key, f"choice-{key}": "carry_over"})
    closed = client.post(f"{url}close/", {"rival_set": key, f"choice-{key}": "carry_over"})
    assert (previewed.status_code, closed.status_code) == (400, 400)
    if len(key) < 1000:  # a longer field is refused before the page, by the input guard, with its own message
        assert 'data-testid="rivals-error"' in closed.content.decode()
    rivals["round"].refresh_from_db()
    assert rivals["round"].phase == "voting"


# Side by side stays readable after the close.


def test_side_by_side_after_the_close_shows_the_rivals_with_how_they_ended(client, people, rivals):
    _close(people, rivals)
    client.force_login(people["observer"])
    html = client.get(f"/clauses/{rivals['clause'].id}/amendments/compare/").content.decode()
    assert "As First reading decided them" in html
    assert html.count('data-testid="past-amendment-column"') == 3
    shall = html.split(f'id="round-{rivals["round"].id}-amendment-{rivals["shall"].id}"')[1].split("</section>")[0]
    assert "Superseded" in shall and f"Superseded by amendment {rivals['must'].id}" in shall
    assert "<del>should</del>" in shall and "<ins>shall</ins>" in shall


def test_reasons_and_notices_name_the_chair_as_the_draft_titles_it(draft, people, rivals):
    draft.chair = "the Chair of the Working Group"
    draft.save()
    _close(people, rivals, {"rivals": [{"amendments": rivals["set"], "choice": "carry_over"}]})
    assert "The Chair of the Working Group carried it to the next round's ballot" in _result(rivals["must"]).reason
    told = Event.objects.get(
        kind="amendment_carried_over",
        recipient_ids=[rivals["must"].author_id],
        message__startswith=f"Your amendment {rivals['must'].id} ",
    )
    assert "as the Chair of the Working Group chose at the close" in told.message


def test_the_catch_up_tells_a_delegate_their_rival_was_superseded(draft, people, rivals):
    from drafting.selectors.changes import changes_since

    since = rivals["elsewhere"].created_at  # after all three were filed, before the close
    _close(people, rivals)
    found = changes_since(people["participant"], draft, "participant", since)
    decided = {item["amendment"]: item["status"] for item in found.amendments_decided.items}
    assert decided[rivals["shall"].id] == "superseded" and decided[rivals["must"].id] == "accepted"
