"""The Chair is an actor of its own (issue 23, point 1).

The moderator here also belongs to a government (Brazil): what they do is the Chair's, never
Brazil's, unless they choose to speak for Brazil on that act; the record says which on every
surface: the API, pages, the catch-up, results, notifications and documents.
"""

import io

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from drafting import services
from drafting.models import Clause
from notifications.models import Event
from tests.conftest import client_for
from tests.drafting.factories import cast, make_voters, show_tallies

pytestmark = pytest.mark.django_db

CHAIR = {"organization": None, "stakeholder_group": None, "verified": False, "chair": True}


@pytest.fixture
def brazil(people):
    """The moderator's own delegation."""
    organization = people["moderator"].memberships.get().organization
    organization.name = "Brazil"
    organization.save()
    return organization


@pytest.fixture
def round_(draft, people):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


def test_a_moderators_proposal_is_the_chairs_unless_they_speak_for_their_delegation(
    draft, clause, people, brazil, round_
):
    moderator = client_for(people["moderator"])
    url = f"/api/v1/drafts/{draft.slug}/clauses/"
    base = {"section": clause.section_id, "title": "T", "text": "States should meet."}
    chairs = moderator.post(url, base, format="json").json()
    assert (chairs["proposer"], chairs["speaking_for"]) == ("the Chair", CHAIR)
    brazils = moderator.post(url, {**base, "title": "U", "speaking_as": "delegation"}, format="json").json()
    assert brazils["proposer"] == "a_moderator" and brazils["speaking_for"]["organization"] == "Brazil"
    assert Clause.objects.get(pk=chairs["id"]).proposed_as_chair
    assert not Clause.objects.get(pk=brazils["id"]).proposed_as_chair

    # Nobody else speaks as the Chair.
    refused = client_for(people["participant"]).post(url, {**base, "speaking_as": "chair"}, format="json")
    assert refused.status_code == 403 and "Only a moderator" in refused.json()["detail"]
    wrong = moderator.post(url, {**base, "speaking_as": "brazil"}, format="json")
    assert wrong.status_code == 400 and "speaking_as" in wrong.json()


def test_the_chairs_amendment_comment_and_edit_are_the_chairs_on_every_surface(
    client, draft, clause, people, brazil, round_
):
    moderator = people["moderator"]
    services.draft_update(draft=draft, by=people["admin"], chair="the Chair of the Working Group")
    since = timezone.now().isoformat().replace("+00:00", "Z")
    compromise = services.amendment_submit(
        clause_id=clause.id, by=moderator, kind="modify", text=clause.text + " In good faith."
    )
    assert compromise.as_chair and compromise.organization is None
    remark = services.comment_post(by=moderator, clause_id=clause.id, body="A compromise is tabled.")
    own = services.comment_post(by=moderator, clause_id=clause.id, body="Brazil agrees.", speaking_as="delegation")
    services.clause_update(clause_id=clause.id, version=1, by=moderator, status="bracketed")

    api = client_for(people["participant"])
    amendment = api.get(f"/api/v1/amendments/{compromise.id}/").json()
    assert amendment["author"] == "the Chair of the Working Group" and amendment["speaking_for"] == CHAIR
    comments = {c["id"]: c for c in api.get(f"/api/v1/comments/?clause={clause.id}").json()["results"]}
    assert comments[remark.id]["author"] == "the Chair of the Working Group"
    assert comments[own.id]["author"] == "a_moderator" and comments[own.id]["speaking_for"]["organization"] == "Brazil"
    history = api.get(f"/api/v1/clauses/{clause.id}/history/").json()["results"]
    assert history[-1]["changed_by"] == "the Chair of the Working Group" and history[-1]["speaking_for"] == CHAIR

    # The clause page, side by side and the catch-up say it the same way, and never as Brazil's.
    client.force_login(people["participant"])
    page = client.get(f"/clauses/{clause.id}/").content.decode()
    assert "the Chair of the Working Group" in page
    compare = client.get(f"/clauses/{clause.id}/amendments/compare/").content.decode()
    assert "the Chair of the Working Group" in compare and "Brazil" not in compare
    changes = api.get(f"/api/v1/drafts/{draft.slug}/changes/", {"since": since}).json()
    assert changes["clauses_changed"]["items"][0]["by"]["name"] == "the Chair of the Working Group"
    assert [a["by"]["name"] for a in changes["amendments_new"]["items"]] == ["the Chair of the Working Group"]

    # Notifications tell the Chair's act as the Chair's.
    proposed = Event.objects.get(kind="amendment_submitted")
    assert proposed.message.startswith("The Chair of the Working Group proposed an amendment")


def test_results_reports_and_documents_credit_the_chair_not_the_moderators_government(
    draft, clause, people, brazil, round_
):
    moderator = people["moderator"]
    before = services.snapshot_create(draft=draft, label="Informal text", by=moderator)
    zero = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Zero draft", text="States cooperate.", by=moderator
    )
    theirs = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text + " Always."
    )
    voters = make_voters(draft, government=2)
    services.round_start_voting(round_id=round_.id, by=moderator)
    show_tallies(round_)
    cast(voters, zero, {"government": "yy"})
    cast(voters, theirs, {"government": "yy"})
    # The Chair does not vote, whatever delegation the moderator belongs to.
    refused = client_for(moderator).put(f"/api/v1/clauses/{zero.id}/vote/", {"choice": "yes"}, format="json")
    assert refused.status_code == 403 and "The Chair does not vote" in refused.json()["detail"]
    preview = client_for(moderator).get(f"/api/v1/rounds/{round_.id}/close-preview/").json()
    assert {row["item"]["who"] for row in preview["items"]} >= {"the Chair"}
    services.round_close(round_id=round_.id, by=moderator)

    rows = {r["item"]["id"]: r for r in client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()}
    assert rows[zero.id]["item"]["who"] == "the Chair" and rows[zero.id]["item"]["speaking_for"] == CHAIR
    assert rows[theirs.id]["item"]["who"].startswith("a_participant (")
    merge = Clause.history.filter(id=clause.id).latest("history_date")
    assert merge.history_user == people["participant"] and not merge.history_as_chair
    assert "applied by the Chair at the close" in merge.history_change_reason
    report = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format=csv").content.decode()
    assert "the Chair" in report and "Brazil" not in report

    snapshot = draft.snapshots.latest("created_at")
    redline = client_for(None).get(
        f"/api/v1/drafts/{draft.slug}/export/?format=docx&snapshot={snapshot.id}&redline={before.id}"
    )
    assert redline.status_code == 200, redline.content[:300]
    authors = {m.get(qn("w:author")) for m in Document(io.BytesIO(redline.content)).element.iter(qn("w:ins"))}
    assert "the Chair" in authors and any(author.startswith("a_participant") for author in authors), authors
    assert not any("Brazil" in author for author in authors)


def test_under_the_chatham_house_rule_the_chair_is_still_the_chair(draft, clause, people, brazil):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    comment = services.comment_post(by=moderator, clause_id=clause.id, body="The Chair proposes a pause.")
    for reader in ("anonymous", "participant", "moderator"):
        answer = client_for(people[reader]).get(f"/api/v1/comments/{comment.id}/").json()
        assert (answer["author"], answer["speaking_for"]) == ("the Chair", CHAIR), reader


def test_the_pages_offer_the_choice_to_moderators_only(client, draft, clause, people, brazil, round_):
    client.force_login(people["moderator"])
    propose = client.get(f"/drafts/{draft.slug}/propose/").content.decode()
    assert 'name="speaking_as"' in propose and "As the Chair" in propose and "For my delegation: Brazil" in propose
    made = client.post(
        f"/drafts/{draft.slug}/propose/",
        {"section": clause.section_id, "title": "Ours", "text": "Brazil proposes.", "speaking_as": "delegation"},
    )
    assert made.status_code == 302
    assert not Clause.objects.get(title="Ours").proposed_as_chair
    amend = client.get(f"/clauses/{clause.id}/amend/").content.decode()
    assert 'name="speaking_as"' in amend
    assert 'name="speaking_as"' in client.get(f"/clauses/{clause.id}/").content.decode()  # the comment form

    client.force_login(people["participant"])
    assert 'name="speaking_as"' not in client.get(f"/drafts/{draft.slug}/propose/").content.decode()
    assert 'name="speaking_as"' not in client.get(f"/clauses/{clause.id}/").content.decode()
