"""A JSON file crafted to break or abuse the import: dates that look valid and are not, numbers too
long to read, unknown format versions, names and organizations that would speak for people here,
and a record downloaded by someone who may no longer see it."""

import json

import pytest

from accounts.models import Organization, User
from drafting import services
from drafting.documents import jobs
from drafting.models import Amendment, Comment, CommentDisposition, Draft, ExportJob, Round, Snapshot, Vote
from tests.conftest import client_for
from tests.drafting.documents.conftest import exported, post, refused

pytestmark = pytest.mark.django_db


DATE_FIELDS = {
    "record.comments[0].created_at": lambda d: d["record"]["comments"][0],
    "sections[0].clauses[0].history[0].changed_at": lambda d: d["sections"][0]["clauses"][0]["history"][0],
    "record.rounds[0].opened_at": lambda d: d["record"]["rounds"][0],
    "record.snapshots[0].created_at": lambda d: d["record"]["snapshots"][0],
    "record.votes[3].updated_at": lambda d: d["record"]["votes"][3],
    "record.comments[0].disposition.updated_at": lambda d: d["record"]["comments"][0]["disposition"],
}
BAD_DATES = [
    "2026-02-30T00:00:00Z",  # no such day
    "0000-01-01T00:00:00Z",  # no year 0
    "2026-01-01T00:00:00+25:00",  # no such offset
    "9999-12-31T23:59:59-14:00",  # past the last representable moment once in UTC
    "0001-01-01T00:00:00+14:00",  # before the first one once in UTC
    "1969-12-31T23:59:59Z",  # before the platform could have recorded anything
    "2999-01-01T00:00:00Z",  # has not happened yet
]


def test_dates_that_look_valid_but_are_not_are_refused_with_their_field(record, people):
    for field, place in DATE_FIELDS.items():
        key = field.rsplit(".", 1)[1]
        for value in BAD_DATES:
            data = json.loads(json.dumps(record))
            place(data)[key] = value
            refused(data, people["admin"], field)
    assert Draft.objects.count() == 1 and not User.objects.filter(is_active=False).exists()


def test_a_rounds_planned_dates_may_lie_ahead_but_not_forever(record, people):
    data = json.loads(json.dumps(record))
    data["record"]["rounds"][0]["closes_at"] = "2031-06-30T18:00:00+02:00"
    copy = Draft.objects.get(slug=post(data, people["admin"]).json()["slug"])
    assert copy.rounds.get().closes_at.isoformat() == "2031-06-30T16:00:00+00:00"
    data["record"]["rounds"][0]["closes_at"] = "9999-01-01T00:00:00Z"
    refused(data, people["admin"], "record.rounds[0].closes_at", "after 2999")


def test_a_number_too_long_to_read_or_not_a_number_makes_the_file_invalid_json(record, people):
    text = json.dumps(record)
    assert '"quorum": 0' in text
    for number in ("9" * 5000, "-" + "9" * 4400, "NaN", "Infinity", "123456789012345678901"):
        message = refused(text.replace('"quorum": 0', f'"quorum": {number}'), people["admin"], "not valid JSON")
        assert len(message) < 200  # says what is wrong without repeating the number
    data = json.loads(text)
    data["record"]["results"][0]["by_group"]["government"]["yes"] = -1
    refused(data, people["admin"], "record.results[0].by_group.government.yes")
    data["record"]["results"][0]["by_group"] = {"government": {"yes": 1}}
    refused(data, people["admin"], "record.results[0].by_group.government")
    assert Draft.objects.count() == 1


@pytest.mark.parametrize("version", [999, 0, 3, True, "2", 2.0, None])
def test_an_unknown_format_version_is_refused(draft, clause, people, version):
    data = exported(draft, None)
    data["format_version"] = version
    if version is None:
        del data["format_version"]
    refused(data, people["admin"], "format_version", "not a format this installation reads")
    assert Draft.objects.count() == 1


def test_names_in_the_file_never_speak_for_people_here(record, people):
    """A file that names the administrator, in any case, as the author of everything, and the local
    observer as a voter, gets placeholders of the imported draft's own instead."""
    admin, observer = people["admin"], people["observer"]
    name = admin.username
    data = json.loads(json.dumps(record))
    for entry in data["sections"][0]["clauses"][0]["history"]:
        entry["changed_by"] = name.upper()
    for owner in data["record"]["clause_owners"]:
        owner["proposer"] = name.title()
    data["record"]["amendments"][0]["author"] = name
    data["record"]["comments"][0]["author"] = name.swapcase().title().swapcase()
    data["record"]["comments"][0]["hidden_by"] = name
    data["record"]["comments"][0]["disposition"]["decided_by"] = name
    data["record"]["rounds"][0]["created_by"] = name
    data["record"]["snapshots"][0]["created_by"] = name
    data["record"]["votes"][0]["voter"] = observer.username
    before = {model: model.objects.count() for model in (Amendment, Comment, Vote, Round, Snapshot)}
    response = post(data, people["admin"])
    assert response.status_code == 201, response.content
    copy = Draft.objects.get(slug=response.json()["slug"])

    here = User.objects.filter(is_active=True)
    assert not Amendment.objects.filter(clause__draft=copy, author__in=here).exists()
    assert not Comment.objects.filter(clause__draft=copy, author__in=here).exists()
    assert not Comment.objects.filter(clause__draft=copy, hidden_by__in=here).exists()
    assert not CommentDisposition.objects.filter(comment__clause__draft=copy, decided_by__in=here).exists()
    assert not Vote.objects.filter(round__draft=copy, voter__in=here).exists()
    assert not copy.rounds.filter(created_by__in=here).exists()
    assert not copy.snapshots.filter(created_by__in=here).exists()
    assert not copy.clauses.filter(proposer__in=here).exists()
    # Outside the copy, nothing new was made.
    for model, count in before.items():
        assert model.objects.exclude(**{_draft_path(model): copy}).count() == count

    # One placeholder per name, whatever its case: inactive, no password, not staff, marked imported.
    stand_in = User.objects.get(username__iexact=f"{name} (imported, draft {copy.pk})")
    assert not stand_in.is_active and not stand_in.has_usable_password()
    assert not stand_in.is_staff and not stand_in.is_superuser
    comment = Comment.objects.get(clause__draft=copy, parent=None)
    assert comment.author == comment.hidden_by == comment.disposition.decided_by == stand_in
    assert Amendment.objects.get(clause__draft=copy).author == stand_in
    assert copy.rounds.get().created_by == stand_in
    assert copy.snapshots.get(revision=0).created_by == stand_in  # snapshots[0]: the original
    assert {clause.proposer for clause in copy.clauses.all()} == {stand_in}
    voters = set(Vote.objects.filter(round__draft=copy).values_list("voter__username", flat=True))
    assert f"a_observer (imported, draft {copy.pk})" in voters and observer.username not in voters

    # History keeps the recorded name, and names no account; the history shows the name as imported.
    rows = copy.clauses.get(title=record["sections"][0]["clauses"][0]["title"]).history.all()
    assert {(row.history_user_id, row.recorded_by) for row in rows} == {(None, name.upper())}
    api_history = client_for(admin).get(f"/api/v1/clauses/{rows[0].id}/history/").json()["results"]
    assert {entry["changed_by"] for entry in api_history} == {f"{name.upper()} (imported)"}


def _draft_path(model) -> str:
    return {
        Amendment: "clause__draft",
        Comment: "clause__draft",
        Vote: "round__draft",
        Round: "draft",
        Snapshot: "draft",
    }[model]


def test_names_that_hide_characters_or_are_too_long_are_refused(record, people):
    for name, words in (
        ("ad\u200bmin", ("record.amendments[0].author", "invisible", "U+200B")),
        ("x" * 151, ("record.amendments[0].author", "not a name")),
        ("", ("record.amendments[0].author", "names no one")),  # and it is not the Chair's
        (7, ("record.amendments[0].author", "not a name")),
    ):
        data = json.loads(json.dumps(record))
        data["record"]["amendments"][0]["author"] = name
        refused(data, people["admin"], *words)
    data = json.loads(json.dumps(record))
    data["record"]["amendments"][0]["author"] = "é" * 150  # as long as a name can be: shortened to fit
    copy = Draft.objects.get(slug=post(data, people["admin"]).json()["slug"])
    author = Amendment.objects.get(clause__draft=copy).author
    assert len(author.username) == 150 and author.username.endswith(f" (imported, draft {copy.pk})")


def test_organizations_are_matched_ignoring_case_and_votes_speak_for_their_organizations_group(record, people):
    vote = record["record"]["votes"][0]
    here = Organization.objects.get(name=vote["organization"]["name"])
    organizations = Organization.objects.count()

    # The same organization in other capitals is the one here, not a second one.
    data = json.loads(json.dumps(record))
    data["record"]["votes"][0]["organization"]["name"] = here.name.upper()
    copy = Draft.objects.get(slug=post(data, people["admin"]).json()["slug"])
    assert Organization.objects.count() == organizations
    assert Vote.objects.filter(round__draft=copy, organization=here).count() == sum(
        1 for v in record["record"]["votes"] if v["organization"]["name"] == here.name
    )

    # A vote whose group is not its organization's is refused.
    other = "industry" if vote["stakeholder_group"] != "industry" else "academia"
    data = json.loads(json.dumps(record))
    data["record"]["votes"][0]["stakeholder_group"] = other
    refused(data, people["admin"], "record.votes[0].stakeholder_group", here.name)

    # So is an organization the file puts in another group than it is in here.
    data = json.loads(json.dumps(record))
    data["record"]["votes"][0]["organization"]["stakeholder_group"] = other
    data["record"]["votes"][0]["stakeholder_group"] = other
    refused(data, people["admin"], "record.votes[0].organization.stakeholder_group", here.name)

    # A new organization passes the checks of one made at sign-up.
    data = json.loads(json.dumps(record))
    data["record"]["votes"][0]["organization"] = {"name": "Ministry\nof Truth", "stakeholder_group": other}
    data["record"]["votes"][0]["stakeholder_group"] = other
    refused(data, people["admin"], "record.votes[0].organization")
    data["record"]["votes"][0]["organization"] = {"name": "New Ministry", "stakeholder_group": other, "country": "XX"}
    refused(data, people["admin"], "record.votes[0].organization", "country")
    data["record"]["votes"][0]["organization"]["country"] = "br"
    copy = Draft.objects.get(slug=post(data, people["admin"]).json()["slug"])
    made = Organization.objects.get(name="New Ministry")
    assert (made.stakeholder_group, made.country) == (other, "BR")
    assert Organization.objects.count() == organizations + 1


def test_a_moderator_who_stepped_down_cannot_download_an_earlier_export_with_the_record(
    draft, clause, people, closed_round, settings, client, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    moderator, admin = people["moderator"], people["admin"]
    services.comment_hide(comment_id=closed_round["remark"].id, by=moderator, reason="Off topic")
    with_record = jobs.export_job_create(draft=draft, by=moderator, fmt="json")
    plain = jobs.export_job_create(draft=draft, by=moderator, fmt="md")
    for job in (with_record, plain):
        jobs.export_job_run(job.id)
        assert ExportJob.objects.get(pk=job.id).status == "done"
    api = client_for(moderator)
    download = api.get(f"/api/v1/exports/{with_record.id}/download/")
    assert download.status_code == 200 and json.loads(download.content)["record"]["comments"][0]["hidden"]

    services.draft_member_set(draft=draft, user_id=moderator.id, role="participant", by=admin)
    refused_download = api.get(f"/api/v1/exports/{with_record.id}/download/")
    assert refused_download.status_code == 403
    assert "no longer moderate" in refused_download.json()["detail"]
    client.force_login(moderator)
    page = client.get(f"/exports/{with_record.id}/")
    assert page.status_code == 403 and "no longer moderate" in page.content.decode()
    # An export without the record is still theirs, and a fresh JSON export leaves the record out.
    assert api.get(f"/api/v1/exports/{plain.id}/download/").status_code == 200
    assert client.get(f"/exports/{plain.id}/").status_code == 200
    assert "record" not in exported(draft, moderator)

    # Made a moderator again, they may have it again.
    services.draft_member_set(draft=draft, user_id=moderator.id, role="moderator", by=admin)
    assert api.get(f"/api/v1/exports/{with_record.id}/download/").status_code == 200


def test_an_import_names_a_bounded_number_of_people(record, people, monkeypatch):
    """An import naming 9,000 people once held one request for 91 s: each becomes an account."""
    from drafting.documents import schema

    monkeypatch.setattr(schema, "MAX_IMPORT_PEOPLE", 3)
    drafts, users = Draft.objects.count(), User.objects.count()
    response = post(record, people["admin"])
    assert response.status_code == 413 and "more than 3 people" in response.json()["file"][0]
    assert (Draft.objects.count(), User.objects.count()) == (drafts, users)  # nothing half made


def test_an_organization_is_matched_by_how_its_name_reads(record, people):
    vote = record["record"]["votes"][0]
    here = Organization.objects.get(name=vote["organization"]["name"])
    organizations = Organization.objects.count()
    data = json.loads(json.dumps(record))
    data["record"]["votes"][0]["organization"]["name"] = f" {here.name.upper()}. "
    copy = Draft.objects.get(slug=post(data, people["admin"]).json()["slug"])
    assert Organization.objects.count() == organizations
    assert Vote.objects.filter(round__draft=copy, organization=here).exists()
