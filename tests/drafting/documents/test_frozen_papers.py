"""A closed round's papers are frozen at its close (issue 24, point 1).

The compilation of proposals (CRP.1), its synoptic table and the round report are made from the
round's record as it stood when it closed, and every later file of the round, in every format, is
the same bytes whatever happens to the draft afterwards: the paragraph edited, the section renamed,
a second round that brackets the paragraph and renumbers the text (Rev.2), the delegation renamed.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from accounts.models import Organization
from codeofconduct.errors import InvalidInput
from drafting import services
from drafting.models import Clause, RoundPaper
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory, SectionFactory, cast, make_voters

pytestmark = pytest.mark.django_db

FILES = {
    "compilation": ["json", "md", "html", "docx", "pdf"],
    "synoptic": ["md", "html", "docx", "pdf"],
}


@pytest.fixture
def first_reading(draft, people):
    """Round 1: "Due diligence" (OP2) amended by a delegation (accepted, merged), a new paragraph
    proposed at the end of section I (OP2 bis, adopted); its close publishes Rev.1, which renumbers
    the text (the new paragraph OP3, section II's "Reporting" OP4)."""
    moderator, author = people["moderator"], people["participant"]
    section = SectionFactory(draft=draft, title="Principles", position=1)
    ClauseFactory(section=section, number=1, title="Restraint", text="States should exercise restraint.")
    diligence = ClauseFactory(
        section=section, number=2, title="Due diligence", text="States should take reasonable measures."
    )
    norms = SectionFactory(draft=draft, title="Norms", position=2)
    ClauseFactory(section=norms, number=3, title="Reporting", text="States should report incidents.")
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    warning = services.clause_create(
        draft=draft,
        section_id=section.id,
        title="Early warning",
        text="States should warn each other early.",
        rationale="Lessons of 2017.",
        by=author,
    )
    amendment = services.amendment_submit(
        clause_id=diligence.id,
        by=author,
        kind="modify",
        text="States should take all reasonable measures.",
        rationale="Stronger.",
    )
    voters = make_voters(draft, government=2)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, warning, {"government": "yy"})
    cast(voters, amendment, {"government": "yy"})
    services.round_close(round_id=round_.id, by=moderator)
    round_.refresh_from_db()
    return {
        "round": round_,
        "section": section,
        "diligence": diligence,
        "warning": warning,
        "amendment": amendment,
        "voters": voters,
        "author": author,
    }


def files(round_, user) -> dict[tuple[str, str], bytes]:
    """Every file of the round, as a reader downloads them (the caches emptied first: made afresh,
    and no download limit carried from the last batch)."""
    for alias in ("default", "renders"):
        caches[alias].clear()
    client = client_for(user)
    got = {}
    for form, formats in FILES.items():
        for fmt in formats:
            response = client.get(f"/rounds/{round_.id}/{form}/?format={fmt}")
            assert response.status_code == 200, (form, fmt, response.content[:300])
            got[(form, fmt)] = response.content
    for fmt in ("json", "csv"):
        response = client.get(f"/api/v1/rounds/{round_.id}/report/?format={fmt}")
        assert response.status_code == 200, response.content[:300]
        got[("report", fmt)] = response.content
    return got


def move_the_draft_on(draft, first_reading, people):
    """What happens to a draft after its first reading: an editorial change, a renamed section and
    delegation, a second round whose amendment brackets the paragraph, and its close (Rev.2)."""
    moderator = people["moderator"]
    diligence = Clause.objects.get(pk=first_reading["diligence"].pk)
    services.clause_update(
        clause_id=diligence.id,
        version=diligence.version,
        by=moderator,
        text="States should take all reasonable and feasible measures.",
        reason="Editorial",
    )
    services.section_update(section_id=first_reading["section"].id, by=moderator, title="General principles")
    second = services.round_create(draft=draft, by=moderator, title="Second reading")
    services.round_open(round_id=second.id, by=moderator)
    diligence.refresh_from_db()
    bracketing = services.amendment_submit(
        clause_id=diligence.id,
        by=first_reading["voters"]["government"][0],
        kind="modify",
        text="States should take [all reasonable] [all feasible] measures.",
    )
    services.clause_create(
        draft=draft,
        section_id=first_reading["section"].id,
        title="Capacity",
        text="States should build capacity.",
        by=people["participant"],
    )
    services.round_start_voting(round_id=second.id, by=moderator)
    cast(first_reading["voters"], bracketing, {"government": "yy"})
    services.round_close(round_id=second.id, by=moderator)
    Organization.objects.filter(memberships__user=first_reading["author"]).update(name="Renamed Delegation")
    return second


def test_every_paper_of_a_closed_round_is_the_same_bytes_after_the_draft_moves_on(draft, people, first_reading):
    before = files(first_reading["round"], people["observer"])
    second = move_the_draft_on(draft, first_reading, people)
    after = files(first_reading["round"], people["observer"])
    changed = [key for key in before if before[key] != after[key]]
    assert changed == []
    # The second round's papers are its own: CRP.2, on the text as the second round had it.
    second_paper = json.loads(files(second, people["observer"])[("compilation", "json")])
    assert second_paper["full_symbol"].endswith("/CRP.2") and second_paper["round"]["title"] == "Second reading"


def test_the_compilation_shows_the_text_numbers_and_proposers_the_round_had(draft, people, first_reading):
    move_the_draft_on(draft, first_reading, people)
    caches["renders"].clear()  # rendered again, not served from the cache
    data = client_for(people["observer"]).get(f"/rounds/{first_reading['round'].id}/compilation/?format=json").json()
    section = data["sections"][0]
    assert section["title"] == "Principles"  # not today's "General principles"
    clauses = {c["title"]: c for c in section["clauses"]}
    assert list(clauses) == ["Restraint", "Due diligence", "Early warning"]  # no "Capacity" of round 2
    diligence = clauses["Due diligence"]
    # The text put to the vote, not the merged, edited or bracketed text of today.
    assert diligence["text"] == "States should take reasonable measures."
    assert diligence["ref"] == "OP2"
    [amendment] = diligence["amendments"]
    assert amendment["status"] == "accepted"
    assert "[all feasible]" not in json.dumps(data)  # the second round's brackets are not in the first's paper
    assert "Renamed Delegation" not in json.dumps(data)
    # The new paragraph as the ballot cited it, its proponent and how the round decided it.
    warning = clauses["Early warning"]
    assert (warning["ref"], warning["new_in_round"], warning["decided"]) == ("OP2 bis", True, "adopted")
    assert warning["proposed_by"] and warning["proposed_by"] != "Renamed Delegation"
    # Where each stands in the revision the close published.
    assert data["revision"] == "Rev.1"
    assert warning["in_revision"]["ref"] == "OP3"
    assert data["sections"][1]["clauses"][0]["ref"] == "OP3"  # "Reporting" as the round cited it
    assert diligence["in_revision"] == {
        "ref": "OP2",
        "text": "States should take all reasonable measures.",
        "html": diligence["in_revision"]["html"],
        "status": "agreed",
    }


def test_the_synoptic_table_sets_text_proposals_outcome_and_revision_side_by_side(draft, people, first_reading):
    content = client_for(people["observer"]).get(f"/rounds/{first_reading['round'].id}/synoptic/?format=md")
    table = content.content.decode()
    assert "| Paragraph as put to the round | Proposals | Outcome | Rev.1 |" in table
    row = next(line for line in table.splitlines() if line.startswith("| **OP2**"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "**OP2** States should take reasonable measures."
    number = first_reading["amendment"].id  # amendments are cited by their number, as everywhere
    assert "{++all ++}" in cells[1] and f"Amendment {number} (change of text)" in cells[1]
    assert cells[2] == f"Amendment {number} (change of text): accepted"
    assert cells[3] == "**Rev.1, OP2** States should take all reasonable measures."
    new = next(line for line in table.splitlines() if line.startswith("| **OP2 bis**"))
    assert "New paragraph: adopted" in new and "Rev.1, OP3" in new


def test_the_report_cites_items_as_voted_and_keeps_its_numbers(draft, people, first_reading):
    before = client_for(people["observer"]).get(f"/api/v1/rounds/{first_reading['round'].id}/report/?format=csv")
    rows = list(csv.DictReader(io.StringIO(before.content.decode())))
    assert {r["title"] for r in rows} == {
        "Clause OP2 bis, now OP3: Early warning",
        f"Amendment {first_reading['amendment'].id} to clause OP2",
    }
    move_the_draft_on(draft, first_reading, people)  # renumbers again (Rev.2): the report still reads as it did
    after = client_for(people["observer"]).get(f"/api/v1/rounds/{first_reading['round'].id}/report/?format=csv")
    assert after.content == before.content


def test_a_disposition_recorded_after_the_close_still_reaches_the_report(draft, people, first_reading):
    comment = services.comment_post(
        by=people["participant"], clause_id=first_reading["diligence"].id, body="Too weak.", stance="oppose"
    )
    services.comment_dispose(comment_id=comment.id, by=people["moderator"], disposition="noted", reason="Seen.")
    report = client_for(people["observer"]).get(f"/api/v1/rounds/{first_reading['round'].id}/report/").json()
    assert [(d["comment"], d["disposition"]) for d in report["dispositions"]] == [(comment.id, "noted")]


def test_a_round_closed_before_papers_were_stored_gets_them_from_its_history(draft, people, first_reading):
    round_ = first_reading["round"]
    frozen = client_for(people["observer"]).get(f"/rounds/{round_.id}/compilation/?format=json").content
    RoundPaper.objects.filter(round=round_).delete()
    move_the_draft_on(draft, first_reading, people)
    # What history does not keep (a delegation's name is its name now) put back as it was.
    proposer = {c["title"]: c for c in json.loads(frozen)["sections"][0]["clauses"]}["Early warning"]["proposed_by"]
    Organization.objects.filter(name="Renamed Delegation").update(name=proposer.split(" (")[0])
    caches["renders"].clear()  # rendered again, not served from the cache
    rebuilt = client_for(people["observer"]).get(f"/rounds/{round_.id}/compilation/?format=json").content
    assert json.loads(rebuilt) == json.loads(frozen)
    assert RoundPaper.objects.filter(round=round_, kind="compilation").count() == 1


def test_a_running_rounds_compilation_follows_the_draft(draft, people, first_reading):
    second = services.round_create(draft=draft, by=people["moderator"], title="Second reading")
    services.round_open(round_id=second.id, by=people["moderator"])
    diligence = Clause.objects.get(pk=first_reading["diligence"].pk)
    first = client_for(people["observer"]).get(f"/rounds/{second.id}/compilation/?format=json").json()
    services.clause_update(
        clause_id=diligence.id, version=diligence.version, by=people["moderator"], text="States should act."
    )
    caches["renders"].clear()  # rendered again, not served from the cache
    then = client_for(people["observer"]).get(f"/rounds/{second.id}/compilation/?format=json").json()
    assert first != then and "States should act." in json.dumps(then)
    assert not RoundPaper.objects.filter(round=second).exists()


def test_an_unknown_synoptic_format_is_refused_with_the_choices(people, first_reading):
    response = client_for(people["observer"]).get(f"/api/v1/rounds/{first_reading['round'].id}/synoptic/?format=akn")
    assert response.status_code == 400
    assert "html, pdf, docx, md" in response.json()["format"][0]


def test_a_paper_is_the_same_for_readers_in_any_time_zone(draft, people, first_reading):
    """The round closed late in the day, UTC: a reader whose zone is already on the next day gets the
    same file as everyone (the papers are written in UTC)."""
    from accounts.models import User

    far_east = people["participant"]
    User.objects.filter(pk=far_east.pk).update(time_zone="Pacific/Kiritimati")
    got = []
    for user in (people["observer"], User.objects.get(pk=far_east.pk)):
        caches["renders"].clear()  # rendered again, not served from the cache
        client = Client()
        client.force_login(user)
        got.append(client.get(f"/rounds/{first_reading['round'].id}/compilation/?format=html").content)
    assert got[0] == got[1]


def test_the_close_renumbering_never_reaches_the_round_paper_even_on_a_stopped_clock(draft, people):
    """With a clock that does not move during the close (a stepped or skewed clock does the same),
    the paper still cites the numbers the ballot cited, not the revision's."""
    moderator = people["moderator"]
    section = SectionFactory(draft=draft, title="Principles", position=1)
    ClauseFactory(section=section, number=1, title="Restraint", text="States should exercise restraint.")
    norms = SectionFactory(draft=draft, title="Norms", position=2)
    ClauseFactory(section=norms, number=2, title="Reporting", text="States should report incidents.")
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    services.clause_create(
        draft=draft, section_id=section.id, title="Early warning", text="States warn early.", by=people["participant"]
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    with time_machine.travel(timezone.now(), tick=False):
        services.round_close(round_id=round_.id, by=moderator)
    data = client_for(people["observer"]).get(f"/rounds/{round_.id}/compilation/?format=json").json()
    refs = {c["title"]: c["ref"] for s in data["sections"] for c in s["clauses"]}
    assert refs == {"Restraint": "OP1", "Early warning": "OP1 bis", "Reporting": "OP2"}


def test_a_paragraph_whose_history_does_not_reach_the_close_is_still_in_the_paper(draft, people, first_reading):
    """An imported record may lack a paragraph's early history: the paper shows it as it is rather
    than leave it and its amendment out."""
    round_ = first_reading["round"]
    diligence = first_reading["diligence"]
    Clause.history.filter(id=diligence.id).update(history_date=round_.closed_at + timedelta(days=1))
    RoundPaper.objects.filter(round=round_).delete()
    data = client_for(people["observer"]).get(f"/rounds/{round_.id}/compilation/?format=json").json()
    clauses = {c["title"]: c for s in data["sections"] for c in s["clauses"]}
    assert [a["id"] for a in clauses["Due diligence"]["amendments"]] == [first_reading["amendment"].id]


def test_an_imported_closed_round_must_say_when_it_closed(draft, people, first_reading):
    from drafting.documents import build, data
    from drafting.documents.imports import draft_import_json

    record = json.loads(data.render_with_record(build(draft)))
    record["record"]["rounds"][0]["closed_at"] = None
    with pytest.raises(InvalidInput) as refused:
        draft_import_json(content=json.dumps(record).encode(), by=people["admin"], new_symbol=True)
    assert "closed_at" in str(refused.value)


def test_the_synoptic_table_is_an_addendum_to_the_compilation_with_its_own_symbol(people, first_reading):
    client = client_for(people["observer"])
    round_id = first_reading["round"].id
    compilation = client.get(f"/rounds/{round_id}/compilation/?format=html").content.decode()
    table = client.get(f"/rounds/{round_id}/synoptic/?format=html").content.decode()
    assert "CCC/" in compilation and "/CRP.1<" in compilation.replace("</p>", "<")
    assert "/CRP.1/Add.1" in table
    # The revision's column shows the text as the pages do (rendered, its brackets), not its Markdown.
    assert "States should take all reasonable measures." in table and "<p>States should take all" in table


def test_the_reports_columns_count_what_they_say_on_every_engine(draft, people, clause):
    """Comments by stance are counted in the columns that name them (a paper read back from
    PostgreSQL's jsonb has its keys in another order than they were written)."""
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Reading")
    services.round_open(round_id=round_.id, by=moderator)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="States must act together."
    )
    for stance, times in (("oppose", 3), ("question", 1), ("support", 2)):
        for _ in range(times):
            services.comment_post(by=people["observer"], amendment_id=amendment.id, body="A view.", stance=stance)
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)
    response = client_for(people["observer"]).get(f"/api/v1/rounds/{round_.id}/report/?format=csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    counts = {
        stance: int(row[f"comments_{stance}"]) for stance in ("support", "oppose", "concern", "question", "neutral")
    }
    assert counts == {"support": 2, "oppose": 3, "concern": 0, "question": 1, "neutral": 0}
