"""Closing a round: tallies under each rule (computed by hand here), outcomes, merges and snapshots."""

import pytest
import time_machine
from django.utils import timezone

from codeofconduct.errors import Conflict
from drafting import services
from drafting.models import Amendment, ItemResult, Snapshot
from drafting.tally import decide
from tests.drafting.factories import cast, make_voters, propose

pytestmark = pytest.mark.django_db

BASE = "States should not knowingly allow their territory to be used for wrongful acts."


@pytest.fixture
def open_round(draft, people):
    def make(**rules):
        round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading", **rules)
        return services.round_open(round_id=round_.id, by=people["moderator"])

    return make


def close(round_, people):
    round_.refresh_from_db()
    if round_.phase == "open":
        services.round_start_voting(round_id=round_.id, by=people["moderator"])
    return services.round_close(round_id=round_.id, by=people["moderator"])


# The rules, by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, totals, by_group, outcome, reason",
    [
        ("simple_majority", (3, 2, 0), {}, "accepted", "3 for, 2 against: more for than against."),
        ("simple_majority", (2, 2, 5), {}, "rejected", "2 for, 2 against: a tie; a simple majority needs more"),
        ("simple_majority", (1, 3, 0), {}, "rejected", "1 for, 3 against: a simple majority needs more for"),
        ("two_thirds", (2, 1, 0), {}, "accepted", "at least two thirds"),  # 2 >= 2/3 of 3
        ("two_thirds", (3, 2, 4), {}, "rejected", "3 for, 2 against: the rule needs two thirds"),  # 3 < 2/3 of 5
        ("consensus", (3, 0, 2), {}, "accepted", "no objection"),
        ("consensus", (5, 1, 0), {}, "rejected", "5 for, 1 against: consensus needs no votes against."),
        ("consensus", (0, 0, 3), {}, "rejected", "No votes for or against (3 abstained)."),
        ("simple_majority", (0, 0, 4), {}, "rejected", "No votes for or against (4 abstained)."),
        # Overall 5 yes to 2 no, but industry's own majority says no: multistakeholder rejects.
        (
            "multistakeholder",
            (5, 2, 0),
            {"government": (4, 0, 0), "industry": (1, 2, 0)},
            "rejected",
            "Industry 1-2; the multistakeholder rule needs a majority in every group that voted.",
        ),
        (
            "multistakeholder",
            (3, 1, 0),
            {"government": (0, 1, 0), "industry": (2, 0, 0), "academia": (1, 0, 0)},
            "rejected",
            "Government 0-1; the multistakeholder rule needs a majority in every group that voted.",
        ),
        (
            "multistakeholder",
            (4, 1, 1),
            {"government": (2, 0, 0), "academia": (2, 1, 0), "industry": (0, 0, 1)},
            "accepted",
            "A majority in every group that voted: Government 2-0, Academia 2-1.",
        ),
        (  # one group alone cannot carry
            "multistakeholder",
            (6, 0, 0),
            {"government": (6, 0, 0)},
            "rejected",
            "Only Government 6-0 voted; the multistakeholder rule needs a majority in at least two groups.",
        ),
    ],
)
def test_rules_by_hand(rule, totals, by_group, outcome, reason):
    as_dict = lambda t: dict(zip(("yes", "no", "abstain"), t, strict=True))  # noqa: E731
    decided = decide(rule, 0, as_dict(totals), {g: as_dict(t) for g, t in by_group.items()})
    assert decided.outcome == outcome and reason in decided.reason, decided


def test_quorum_counts_every_vote_cast():
    below = decide("simple_majority", 5, {"yes": 3, "no": 0, "abstain": 1}, {})
    assert below.outcome == "no_quorum" and below.reason == "4 votes cast, below the quorum of 5; it carries over."
    assert decide("simple_majority", 5, {"yes": 3, "no": 0, "abstain": 2}, {}).outcome == "accepted"
    none = decide("simple_majority", 0, {"yes": 0, "no": 0, "abstain": 0}, {})
    assert none.outcome == "no_quorum" and none.reason == "No votes were cast; it carries over."


# Closing -----------------------------------------------------------------------------------------


def test_majority_yes_but_one_group_no_multistakeholder_rejects_and_stores_group_tallies(
    draft, clause, people, open_round
):
    round_ = open_round(voting_rule="multistakeholder")
    proposal = propose(draft, clause, people)
    voters = make_voters(draft, government=4, industry=3)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, proposal, {"government": "yyyy", "industry": "ynn"})
    close(round_, people)
    result = ItemResult.objects.get(round=round_, clause=proposal)
    assert (result.outcome, result.yes, result.no, result.abstain) == ("rejected", 5, 2, 0)
    assert result.by_group == {
        "government": {"yes": 4, "no": 0, "abstain": 0},
        "industry": {"yes": 1, "no": 2, "abstain": 0},
    }
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert proposal.history.order_by("-history_id").first().history_change_reason == "Rejected in First reading"


def test_adopted_clause_becomes_agreed_as_a_new_version(draft, clause, people, open_round):
    round_ = open_round()
    proposal = propose(draft, clause, people)
    voters = make_voters(draft, academia=3)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, proposal, {"academia": "yyn"})
    close(round_, people)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("agreed", 2)


def test_under_quorum_an_item_carries_over_to_the_next_round(draft, clause, people, open_round):
    round_ = open_round(quorum=3)
    proposal = propose(draft, clause, people)
    voters = make_voters(draft, government=3)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, proposal, {"government": "yy"})
    close(round_, people)
    assert ItemResult.objects.get(clause=proposal).outcome == "no_quorum"
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    second = services.round_create(draft=draft, by=people["moderator"], title="Second reading")
    services.round_open(round_id=second.id, by=people["moderator"])
    services.round_start_voting(round_id=second.id, by=people["moderator"])
    cast(voters, proposal, {"government": "yyy"})
    services.round_close(round_id=second.id, by=people["moderator"])
    proposal.refresh_from_db()
    assert proposal.status == "agreed"
    assert ItemResult.objects.get(round=second, clause=proposal).outcome == "accepted"


def test_accepted_amendments_merge_in_order_three_way_and_a_rival_is_superseded(draft, clause, people, open_round):
    clause.text = BASE
    clause.save()
    round_ = open_round()
    voters = make_voters(draft, government=1)
    first = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=BASE.replace("should", "must")
    )
    elsewhere = services.amendment_submit(
        clause_id=clause.id,
        by=people["moderator"],
        kind="modify",
        text=BASE.replace("wrongful", "internationally wrongful"),
    )
    rival = services.amendment_submit(
        clause_id=clause.id, by=people["moderator"], kind="modify", text=BASE.replace("should", "shall")
    )
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    for amendment in (first, elsewhere, rival):
        cast(voters, amendment, {"government": "y"})
    close(round_, people)

    clause.refresh_from_db()
    assert (
        clause.text == "States must not knowingly allow their territory to be used for internationally wrongful acts."
    )
    assert clause.version == 3
    statuses = {a.id: a.status for a in Amendment.objects.all()}
    assert statuses == {first.id: "accepted", elsewhere.id: "accepted", rival.id: "superseded"}
    effects = dict(ItemResult.objects.filter(amendment__isnull=False).values_list("amendment_id", "effect"))
    assert effects == {
        first.id: "merged",
        elsewhere.id: "merged three-way",
        rival.id: f"superseded by amendment {first.id}",
    }
    # Each merge is its author's change, applied by the Chair who closed the round; the moderator's
    # own amendment is the Chair's, not their government's.
    merges = list(clause.history.order_by("history_id"))[-2:]
    assert elsewhere.organization is None and elsewhere.as_chair
    assert [(h.history_user, h.history_as_chair, h.history_change_reason) for h in merges] == [
        (
            people["participant"],
            False,
            f"Amendment {first.id} by a_participant ({first.organization.name}, Government) merged, "
            "applied by the Chair at the close of First reading",
        ),
        (
            people["moderator"],
            True,
            f"Amendment {elsewhere.id} by the Chair merged three-way, "
            "applied by the Chair at the close of First reading",
        ),
    ]
    # The superseded rival stays readable, with its diff against the text its author saw.
    assert Amendment.objects.get(pk=rival.id).base_text == BASE


def test_amendment_against_an_older_version_merges_three_way(draft, clause, people, open_round):
    clause.text = BASE
    clause.save()
    round_ = open_round()
    voters = make_voters(draft, civil_society=1)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=BASE.replace("their territory", "their soil")
    )
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="In all cases, " + BASE)
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, amendment, {"civil_society": "y"})
    close(round_, people)
    clause.refresh_from_db()
    assert clause.text == "In all cases, States should not knowingly allow their soil to be used for wrongful acts."


def test_rejected_amendment_and_accepted_deletion(draft, clause, people, section, open_round):
    from tests.drafting.factories import ClauseFactory

    other = ClauseFactory(section=section, number=2, text="Redundant words.")
    round_ = open_round()
    voters = make_voters(draft, industry=2)
    rejected = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="New words."
    )
    deletion = services.amendment_submit(clause_id=other.id, by=people["participant"], kind="delete")
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    cast(voters, rejected, {"industry": "nn"})
    cast(voters, deletion, {"industry": "yy"})
    close(round_, people)
    assert Amendment.objects.get(pk=rejected.id).status == "rejected"
    other.refresh_from_db()
    assert other.status == "withdrawn"
    clause.refresh_from_db()
    assert clause.text != "New words."
    snapshot = Snapshot.objects.get(round=round_)
    assert [c.clause_id for c in snapshot.clauses.all()] == [clause.id]


def test_closing_creates_numbered_snapshots_that_never_change(draft, clause, people, open_round):
    round_ = open_round()
    close(round_, people)
    snapshot = Snapshot.objects.get(round=round_)
    assert snapshot.label == "Rev.1"
    frozen = snapshot.clauses.get()
    assert (frozen.number, frozen.title, frozen.text, frozen.status, frozen.version) == (
        clause.number,
        clause.title,
        clause.text,
        clause.status,
        clause.version,
    )
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Changed after Rev.1")
    assert snapshot.clauses.get().text == clause.text  # the snapshot kept its words
    with pytest.raises(ValueError):
        snapshot.save()
    second = services.round_create(draft=draft, by=people["moderator"], title="Second reading")
    services.round_open(round_id=second.id, by=people["moderator"])
    close(second, people)
    assert Snapshot.objects.get(round=second).label == "Rev.2"


def test_closing_twice_is_refused_and_nothing_is_counted_twice(draft, clause, people, open_round):
    round_ = open_round()
    propose(draft, clause, people)
    close(round_, people)
    with pytest.raises(Conflict) as again:
        services.round_close(round_id=round_.id, by=people["moderator"])
    assert again.value.extra == {"phase": "closed"}
    assert ItemResult.objects.filter(round=round_).count() == 1
    # The original, frozen when the round opened, and the one revision its close published.
    assert list(Snapshot.objects.filter(draft=draft).values_list("revision", flat=True)) == [0, 1]


# The schedule ------------------------------------------------------------------------------------


def test_rounds_move_on_schedule_with_a_frozen_clock(draft, clause, people):
    start = timezone.now().replace(microsecond=0) + timezone.timedelta(days=1)
    hour = timezone.timedelta(hours=1)
    round_ = services.round_create(
        draft=draft,
        by=people["moderator"],
        title="Scheduled reading",
        opens_at=start,
        voting_opens_at=start + hour,
        closes_at=start + 2 * hour,
    )
    from drafting.tasks import advance_rounds

    with time_machine.travel(start - timezone.timedelta(minutes=1), tick=False):
        advance_rounds()
        round_.refresh_from_db()
        assert round_.phase == "scheduled"
    with time_machine.travel(start, tick=False):
        advance_rounds()
        round_.refresh_from_db()
        assert round_.phase == "open"
        proposal = propose(draft, clause, people)
    voters = make_voters(draft, government=2)
    with time_machine.travel(start + hour + timezone.timedelta(seconds=5), tick=False):
        advance_rounds()
        round_.refresh_from_db()
        assert round_.phase == "voting"
        cast(voters, proposal, {"government": "yy"})
    with time_machine.travel(start + 2 * hour, tick=False):
        advance_rounds()
        advance_rounds()  # a retried or doubled tick changes nothing
    round_.refresh_from_db()
    assert round_.phase == "closed" and round_.closed_at == start + 2 * hour
    assert ItemResult.objects.get(round=round_).outcome == "accepted"
    assert Snapshot.objects.filter(round=round_).count() == 1
    assert round_.history.order_by("-history_id").first().history_change_reason == "Round closed on schedule"


def test_a_late_tick_catches_up_every_due_move(draft, people):
    past = timezone.now() - timezone.timedelta(hours=3)
    round_ = services.round_create(
        draft=draft,
        by=people["moderator"],
        title="Late",
        opens_at=past,
        voting_opens_at=past + timezone.timedelta(hours=1),
        closes_at=past + timezone.timedelta(hours=2),
    )
    services.rounds_advance_on_schedule()
    round_.refresh_from_db()
    assert round_.phase == "closed"
