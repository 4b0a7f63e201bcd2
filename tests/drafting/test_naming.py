"""The naming rule (drafting/naming.py), held as a matrix of acts x readers x surfaces.

In a Chatham House round, every act (a proposal, an amendment, a comment, a vote, a change of a
clause, a merge) names its person and their organization to nobody but the person themselves;
everyone else, moderators and administrators included, reads the stakeholder group. Files go to
anyone they reach, so they name nobody for those acts. Outside such rounds, people are named.
"""

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from accounts.models import Membership
from drafting import services
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NAME, ORGANIZATION = "zenobia_k", "Freedonia Ministry of Digital Affairs"
READERS = ["anonymous", "participant", "observer", "moderator", "admin"]


@pytest.fixture
def delegate(draft):
    person = UserFactory(username=NAME)
    organization = OrganizationFactory(name=ORGANIZATION, stakeholder_group="government")
    MembershipFactory(user=person, organization=organization, status=Membership.Status.VERIFIED)
    services.draft_member_set(draft=draft, user_id=person.id, role="participant", by=draft.created_by)
    return person


def negotiate(draft, clause, people, delegate, *, chatham_house: bool):
    """The delegate proposes, amends, comments, edits their proposal and votes; the round closes
    and merges their amendment; snapshots before and after give a redline."""
    moderator = people["moderator"]
    before = services.snapshot_create(draft=draft, label="Before", by=moderator)
    round_ = services.round_create(
        draft=draft, by=moderator, title="Closed doors", voting_rule="simple_majority", chatham_house=chatham_house
    )
    services.round_open(round_id=round_.id, by=moderator)
    proposal = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Due diligence", text="States should act.", by=delegate
    )
    proposal = services.clause_update(clause_id=proposal.id, version=1, by=delegate, text="States should act now.")
    amendment = services.amendment_submit(
        clause_id=clause.id, by=delegate, kind="modify", text=clause.text + " In all cases."
    )
    comment = services.comment_post(by=delegate, clause_id=clause.id, body="We can support this.")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.vote_cast(by=delegate, choice="yes", amendment_id=amendment.id)
    services.vote_cast(by=delegate, choice="yes", clause_id=proposal.id)
    services.round_close(round_id=round_.id, by=moderator)
    after = services.snapshot_create(draft=draft, label="After", by=moderator)
    return {
        "round": round_,
        "proposal": proposal,
        "amendment": amendment,
        "comment": comment,
        "before": before,
        "after": after,
    }


def reader_client(people, who, delegate, client_factory):
    if who == "self":
        return client_factory(delegate)
    return client_factory(people[who] if who != "anonymous" else None)


def api_surfaces(draft, clause, acts) -> dict[str, str]:
    proposal, amendment = acts["proposal"], acts["amendment"]
    return {
        "clause API": f"/api/v1/clauses/{proposal.id}/",
        "clause list API": f"/api/v1/drafts/{draft.slug}/clauses/",
        "draft API": f"/api/v1/drafts/{draft.slug}/",
        "clause history API": f"/api/v1/clauses/{clause.id}/history/",
        "proposal history API": f"/api/v1/clauses/{proposal.id}/history/",
        "amendment API": f"/api/v1/amendments/{amendment.id}/",
        "amendment list API": f"/api/v1/clauses/{clause.id}/amendments/",
        "comments API": f"/api/v1/comments/?clause={clause.id}",
        "comment API": f"/api/v1/comments/{acts['comment'].id}/",
    }


def page_surfaces(draft, clause, acts) -> dict[str, str]:
    return {
        "clause page": f"/clauses/{clause.id}/",
        "proposal page": f"/clauses/{acts['proposal'].id}/",
        "amendment page": f"/amendments/{acts['amendment'].id}/",
        "ballot page": f"/rounds/{acts['round'].id}/ballot/",
        "results page": f"/rounds/{acts['round'].id}/results/",
    }


def file_text(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if fmt == "docx":  # every part, tracked-change authors (w:author) and properties included
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            return " ".join(docx.read(name).decode("utf-8", "replace") for name in docx.namelist())
    return content.decode("utf-8", "replace")


def named_in(text: str) -> list[str]:
    return [word for word in (NAME, ORGANIZATION, "Freedonia") if word in text]


def test_under_the_chatham_house_rule_only_the_person_reads_their_name(client, draft, clause, people, delegate):
    acts = negotiate(draft, clause, people, delegate, chatham_house=True)
    leaks = []
    for who in [*READERS, "self"]:
        api = reader_client(people, who, delegate, client_for)
        for surface, url in api_surfaces(draft, clause, acts).items():
            response = api.get(url)
            assert response.status_code == 200, (who, surface, response.status_code)
            found = named_in(response.content.decode())
            if who == "self":
                assert NAME in response.content.decode() or surface in ("draft API", "clause list API"), surface
            elif found:
                leaks.append((who, surface, found))
        for surface, url in page_surfaces(draft, clause, acts).items():
            if who == "anonymous" and surface == "ballot page":
                continue  # the ballot is for signed-in people
            client.logout()
            if who != "anonymous":
                client.force_login(delegate if who == "self" else people[who])
            response = client.get(url)
            assert response.status_code == 200, (who, surface, response.status_code)
            if who != "self" and named_in(response.content.decode()):
                leaks.append((who, surface, named_in(response.content.decode())))
    for who in ("moderator", "admin"):  # the moderator's console: its queue and its rival amendments
        client.force_login(people[who])
        console = client.get(f"/rounds/{acts['round'].id}/console/")
        assert console.status_code == 200
        if named_in(console.content.decode()):
            leaks.append((who, "console page", named_in(console.content.decode())))
    assert leaks == [], "\n".join(map(str, leaks))
    # The group is still told: the record shows who the text heard.
    comment = client_for(people["observer"]).get(f"/api/v1/comments/{acts['comment'].id}/").json()
    assert comment["author"] is None and comment["speaking_for"] == {
        "organization": None,
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    own = client_for(delegate).get(f"/api/v1/comments/{acts['comment'].id}/").json()
    assert own["author"] == NAME and own["speaking_for"]["organization"] == ORGANIZATION


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx", "json", "akn"])
def test_no_file_names_anyone_for_a_chatham_house_act(draft, clause, people, delegate, fmt):
    acts = negotiate(draft, clause, people, delegate, chatham_house=True)
    for who in ("participant", "moderator", "self"):
        api = reader_client(people, who, delegate, client_for)
        for query in (
            f"format={fmt}",
            f"format={fmt}&snapshot={acts['after'].id}&redline={acts['before'].id}",
            f"format={fmt}&redline={acts['before'].id}",
        ):
            response = api.get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
            assert response.status_code == 200, (who, query, response.status_code, response.content[:300])
            assert named_in(file_text(fmt, response.content)) == [], (who, query)


def test_the_moderators_record_calls_each_person_by_a_number(draft, clause, people, delegate):
    acts = negotiate(draft, clause, people, delegate, chatham_house=True)
    exported = client_for(people["moderator"]).get(f"/api/v1/drafts/{draft.slug}/export/?format=json")
    data = json.loads(exported.content)
    assert named_in(exported.content.decode()) == []
    # Each person is a number, the same for all their acts in the file.
    (amendment,) = data["record"]["amendments"]
    (comment,) = [c for c in data["record"]["comments"] if c["id"] == acts["comment"].id]
    assert amendment["author"] == comment["author"] == "participant 1"
    assert amendment["organization"] is None and amendment["speaking_for"]["stakeholder_group"] == "government"
    # The round's votes are told by its results, per group, not vote by vote.
    assert not [v for v in data["record"]["votes"] if v["round"] == acts["round"].id]
    assert [r for r in data["record"]["results"] if r["round"] == acts["round"].id]
    # It imports again: a placeholder stands for each number.
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("record.json", exported.content)
    imported = client_for(people["admin"]).post("/api/v1/drafts/import/", {"file": upload}, format="multipart")
    assert imported.status_code == 201, imported.content[:500]


def test_outside_chatham_house_people_are_named_to_everyone(client, draft, clause, people, delegate):
    acts = negotiate(draft, clause, people, delegate, chatham_house=False)
    for who in ("anonymous", "observer"):
        api = reader_client(people, who, delegate, client_for)
        for surface, url in api_surfaces(draft, clause, acts).items():
            if surface in ("draft API", "clause list API", "clause history API"):
                continue
            assert NAME in api.get(url).content.decode(), (who, surface)
    client.force_login(people["observer"])
    for surface in ("clause page", "amendment page"):
        page = client.get(page_surfaces(draft, clause, acts)[surface]).content.decode()
        assert NAME in page and ORGANIZATION in page, surface
    redline = client_for(None).get(
        f"/api/v1/drafts/{draft.slug}/export/?format=docx&snapshot={acts['after'].id}&redline={acts['before'].id}"
    )
    assert NAME in file_text("docx", redline.content)  # a tracked change's author


def test_an_amendment_carried_over_from_a_chatham_house_round_stays_unnamed_in_later_results(
    client, draft, clause, people, delegate
):
    """Carried into an ordinary round, an amendment made under the Chatham House rule was named in
    that round's results, report and results page, to anonymous readers: it is the amendment's own
    round that decides, and the publishing round's too."""
    moderator = people["moderator"]
    closed_doors = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True, quorum=2)
    services.round_open(round_id=closed_doors.id, by=moderator)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=delegate, kind="modify", text=clause.text + " In all cases."
    )
    services.round_start_voting(round_id=closed_doors.id, by=moderator)
    services.round_close(round_id=closed_doors.id, by=moderator)  # no quorum: carried over
    amendment.refresh_from_db()
    assert amendment.status == "submitted"
    open_doors = services.round_create(draft=draft, by=moderator, title="Open doors")
    services.round_open(round_id=open_doors.id, by=moderator)
    services.round_start_voting(round_id=open_doors.id, by=moderator)
    services.vote_cast(by=people["participant"], choice="yes", amendment_id=amendment.id)
    services.round_close(round_id=open_doors.id, by=moderator)
    for who in ("anonymous", "participant", "moderator", "admin"):
        api = client_for(people[who] if who != "anonymous" else None)
        rows = api.get(f"/api/v1/rounds/{open_doors.id}/results/").json()
        row = next(r for r in rows if r["item"]["type"] == "amendment" and r["item"]["id"] == amendment.id)
        assert row["item"]["who"] == "a participant (Government)", (who, row["item"])
        assert "name" not in row["item"]["by"] and row["item"]["speaking_for"]["organization"] is None
        for fmt in ("csv", "json"):
            report = api.get(f"/api/v1/rounds/{open_doors.id}/report/?format={fmt}")
            assert report.status_code == 200 and named_in(report.content.decode()) == [], (who, fmt)
    client.force_login(people["participant"])
    page = client.get(f"/rounds/{open_doors.id}/results/").content.decode()
    assert f"Amendment {amendment.id}" in page and named_in(page) == []
    # Merged at the later close, the clause's new version is still the Chatham House act's: its
    # history, page, redlines and the catch-up name the group, and so does the admin's history.
    amendment.refresh_from_db()
    assert amendment.status == "accepted"
    history = client_for(None).get(f"/api/v1/clauses/{clause.id}/history/").json()["results"]
    merged = max(history, key=lambda row: row["version"])
    assert "merged" in merged["reason"] and merged["changed_by"] is None, merged
    assert merged["speaking_for"] == {
        "organization": None,
        "stakeholder_group": "government",
        "verified": True,
        "chair": False,
    }
    assert named_in(client.get(f"/clauses/{clause.id}/").content.decode()) == []
    changes = client.get(f"/api/v1/drafts/{draft.slug}/changes/?since=2020-01-01T00:00:00Z").content.decode()
    assert named_in(changes) == []
    for fmt in ("md", "json", "docx"):
        exported = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format={fmt}")
        assert exported.status_code == 200 and named_in(file_text(fmt, exported.content)) == [], fmt
    client.force_login(people["admin"])
    admin_history = client.get(f"/admin/drafting/clause/{clause.id}/history/").content.decode()
    assert named_in(admin_history) == [] and "a participant (Government)" in admin_history


def test_results_tell_an_unverified_membership_as_a_claim(client, draft, clause, people):
    claimant = UserFactory(username="claimant")
    organization = OrganizationFactory(name="Tokyo Telecom Group", stakeholder_group="industry")
    MembershipFactory(user=claimant, organization=organization, status=Membership.Status.PENDING)
    services.draft_member_set(draft=draft, user_id=claimant.id, role="participant", by=draft.created_by)
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Open doors")
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(clause_id=clause.id, by=claimant, kind="modify", text=clause.text + " Now.")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)
    rows = client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()
    row = next(r for r in rows if r["item"]["type"] == "amendment" and r["item"]["id"] == amendment.id)
    assert row["item"]["speaking_for"] == {
        "organization": "Tokyo Telecom Group",
        "stakeholder_group": "industry",
        "verified": False,
        "chair": False,
    }
    assert row["item"]["who"] == "claimant (claims to speak for Tokyo Telecom Group, Industry)"
    csv = client_for(None).get(f"/api/v1/rounds/{round_.id}/report/?format=csv").content.decode()
    assert "claimant (claims to speak for Tokyo Telecom Group, Industry)" in csv
    page = client.get(f"/rounds/{round_.id}/results/").content.decode()
    assert "claims to speak for Tokyo Telecom Group" in page
    # The catch-up tells the amendment's organization as the claim it is, too.
    changes = client_for(people["participant"]).get(f"/api/v1/drafts/{draft.slug}/changes/?since=2020-01-01T00:00:00Z")
    new = [a for a in changes.json()["amendments_new"]["items"] if a["amendment"] == amendment.id]
    assert new and new[0]["by"]["speaking_for"]["verified"] is False
    client.force_login(people["participant"])
    page = client.get(f"/drafts/{draft.slug}/changes/?since=2020-01-01").content.decode()
    assert "claimant (claims to speak for Tokyo Telecom Group, Industry)" in " ".join(page.split())


def test_the_django_admin_names_nobody_for_a_chatham_house_act(client, draft, clause, people, delegate):
    """The admin's lists, forms and histories of amendments, comments, votes, clauses and events once
    named the round's delegates to administrators."""
    acts = negotiate(draft, clause, people, delegate, chatham_house=True)
    client.force_login(people["admin"])
    pages = [
        "/admin/drafting/amendment/",
        f"/admin/drafting/amendment/{acts['amendment'].id}/change/",
        "/admin/drafting/comment/",
        f"/admin/drafting/comment/{acts['comment'].id}/change/",
        "/admin/drafting/vote/",
        *(f"/admin/drafting/vote/{vote.id}/change/" for vote in acts["round"].votes.all()),
        "/admin/drafting/clause/",
        f"/admin/drafting/clause/{acts['proposal'].id}/change/",
        "/admin/drafting/commentdisposition/",
        "/admin/notifications/event/",
    ]
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert named_in(answer.content.decode()) == [], url
    assert "a participant (Government)" in client.get("/admin/drafting/vote/").content.decode()
    # Histories name who changed each version by the same rule (the clause's: its proposer's edit).
    for url in (
        f"/admin/drafting/clause/{acts['proposal'].id}/history/",
        f"/admin/drafting/amendment/{acts['amendment'].id}/history/",
        f"/admin/drafting/comment/{acts['comment'].id}/history/",
    ):
        history = client.get(url)
        assert history.status_code == 200 and named_in(history.content.decode()) == [], url
        assert "a participant (Government)" in history.content.decode(), url


def test_the_django_admin_names_the_person_outside_chatham_house(client, draft, clause, people, delegate):
    acts = negotiate(draft, clause, people, delegate, chatham_house=False)
    client.force_login(people["admin"])
    for url in ("/admin/drafting/vote/", f"/admin/drafting/amendment/{acts['amendment'].id}/change/"):
        assert f"{NAME} ({ORGANIZATION}, Government)" in client.get(url).content.decode(), url
