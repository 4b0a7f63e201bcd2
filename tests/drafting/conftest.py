"""Scenes many drafting tests share: an open round, a closed multistakeholder round, and the papers
of the demo run through two readings (made by the same command as docs/samples/); and the round
schedules that the rounds page and the API both refuse."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from drafting import services
from tests.drafting.factories import cast, cosponsor_scene, make_voters, propose


@pytest.fixture
def round_(draft, people):
    """An open first reading, run by the draft's moderator."""
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


@pytest.fixture
def delegations(draft, clause, people, round_, admin_user):
    """Delegations around a proposal and an amendment of an open round (``cosponsor_scene``)."""
    return cosponsor_scene(draft, clause, round_, admin_user)


@pytest.fixture
def closed_round(draft, clause, people):
    """Multistakeholder round: government carries a proposal, industry's majority blocks it."""
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder")
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text.replace("should", "must")
    )
    remark = services.comment_post(
        by=people["observer"], clause_id=clause.id, body="Please keep 'should'.", stance="oppose"
    )
    voters = make_voters(draft, government=3, industry=3)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, proposal, {"government": "yyy", "industry": "ynn"})
    cast(voters, amendment, {"government": "yya", "industry": "yyn"})
    return {"round": round_, "proposal": proposal, "amendment": amendment, "remark": remark, "voters": voters}


# Schedules out of order, each with the fields its errors belong to, and the words people read there.
SCHEDULES = [
    ({"opens_at": "2026-12-05T10:00", "voting_opens_at": "2026-12-01T10:00"}, {"voting_opens_at"}),
    ({"voting_opens_at": "2026-12-05T10:00", "closes_at": "2026-12-04T10:00"}, {"closes_at"}),
    ({"opens_at": "2026-12-05T10:00", "closes_at": "2026-12-05T10:00"}, {"closes_at"}),
    (
        {"opens_at": "2026-12-05T10:00", "voting_opens_at": "2026-12-04T10:00", "closes_at": "2026-12-03T10:00"},
        {"voting_opens_at", "closes_at"},
    ),
]
HUMAN = {
    "voting_opens_at": "Voting must open after the round opens.",
    "closes_at": ("The round must close after voting opens.", "The round must close after it opens."),
}


# The paragraph new in the demo's Rev.2 and not yet agreed (no quorum in the second reading).
CAPACITY = "States should help each other build the capacity"


@pytest.fixture
def samples(tmp_path) -> dict[str, Path]:
    """The sample documents of a fresh demo, by kind and extension: ``samples["redline.docx"]``
    (``samples["all"]``: the folder with every paper)."""
    call_command("load_demo", password="draft-together-2026", stdout=io.StringIO())
    call_command("document_samples", out=str(tmp_path), stdout=io.StringIO())
    files = {"all": tmp_path}
    for path in tmp_path.iterdir():
        if "redline-against" in path.name:
            files[f"redline{path.suffix}"] = path
        elif "crp-1-compilation" in path.name:
            files[f"compilation{path.suffix}"] = path
    return files
