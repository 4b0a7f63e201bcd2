"""Scenes many drafting tests share: an open round, and a closed multistakeholder round."""

import pytest

from drafting import services
from tests.drafting.factories import cast, make_voters, propose


@pytest.fixture
def round_(draft, people):
    """An open first reading, run by the draft's moderator."""
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return services.round_open(round_id=round_.id, by=people["moderator"])


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
