"""manage.py generate_draft (bench/scale/): a benchmark draft at a tiny scale, counted row by row.

The votes go in by COPY, their history copied from them inside the database.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, StakeholderGroup, User
from drafting import services
from drafting.markdown import render_markdown
from drafting.models import Amendment, Clause, ClauseStatus, Comment, Draft, ItemResult, Phase, Role, Vote
from drafting.tally import ballot

pytestmark = pytest.mark.django_db

VOTERS = 8
VOTER_NAMES = [f"voter{n:03d}" for n in range(1, VOTERS + 1)]


def generate(slug: str, *extra: str) -> str:
    out = io.StringIO()
    call_command("generate_draft", "--scale", "0.05", "--voters", str(VOTERS), "--slug", slug, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def draft():
    generate("bench-tiny")
    return Draft.objects.get(slug="bench-tiny")


def test_clauses_have_ten_versions_of_history_ending_in_their_text(draft):
    clauses = list(draft.clauses.order_by("number"))
    assert [c.number for c in clauses] == [1, 2, 3, 4, 5]
    assert draft.visibility == "public" and draft.title == "Benchmark draft (0.05x)"
    assert draft.sections.count() == 1
    assert ClauseStatus.PROPOSED in {c.status for c in clauses}
    for clause in clauses:
        history = list(clause.history.order_by("history_date"))
        assert [h.version for h in history] == list(range(1, 11))
        assert [h.history_type for h in history] == ["+"] + ["~"] * 9
        assert len({h.text for h in history}) == 10  # every version a real change
        assert history[-1].text == clause.text and history[-1].status == clause.status
        assert all(h.history_user.username == "bench-moderator" and h.history_change_reason for h in history)
        assert all(h.text_html == render_markdown(h.text) for h in history)
        assert clause.version == 10 and clause.text_html == render_markdown(clause.text)
        assert 60 <= len(clause.text.split()) <= 120


def test_each_clause_has_comments_with_replies_and_quotes_and_amendments_by_voters(draft):
    voters = {m.user_id: m.organization_id for m in Membership.objects.filter(user__username__in=VOTER_NAMES)}
    for clause in draft.clauses.all():
        comments = list(clause.comments.all())
        assert len(comments) == 20
        replies = [c for c in comments if c.parent_id]
        assert len(replies) == 5 and all(r.parent.clause_id == clause.id for r in replies)
        quotes = [c.quote for c in comments if c.quote]
        assert quotes and all(q in clause.text for q in quotes)
        assert all(c.author_id in voters for c in comments)

        amendments = list(clause.amendments.all())
        assert len(amendments) == 5
        for amendment in amendments:
            assert amendment.status == "submitted" and amendment.round.phase == Phase.VOTING
            assert (amendment.base_version, amendment.base_text) == (clause.version, clause.text)
            assert amendment.organization_id == voters[amendment.author_id]
            if amendment.kind == "modify":
                assert amendment.text and amendment.text != clause.text
    comment_ids = set(Comment.objects.filter(clause__draft=draft).values_list("id", flat=True))
    assert set(Comment.history.filter(history_type="+").values_list("id", flat=True)) == comment_ids
    amendment_ids = set(Amendment.objects.filter(clause__draft=draft).values_list("id", flat=True))
    assert set(Amendment.history.filter(history_type="+").values_list("id", flat=True)) == amendment_ids
    assert len({c.stance for c in Comment.objects.all()}) >= 4


def test_every_voter_votes_on_every_item_of_the_ballot_with_history(draft):
    round_ = draft.rounds.get()
    assert round_.phase == Phase.VOTING and round_.opened_at and round_.voting_started_at
    assert sorted(round_.eligible_groups) == sorted(StakeholderGroup.values)
    items = ballot(round_)
    proposed = draft.clauses.filter(status=ClauseStatus.PROPOSED).count()
    submitted = Amendment.objects.filter(clause__draft=draft, status="submitted").count()
    assert len(items) == proposed + submitted
    votes = Vote.objects.filter(round=round_)
    assert votes.count() == VOTERS * len(items)
    for kind, item in items:
        assert votes.filter(**{kind: item}).values("voter").distinct().count() == VOTERS
    speaks_for = {m.user_id: m.organization for m in Membership.objects.filter(user__username__in=VOTER_NAMES)}
    for vote in votes.select_related("organization"):
        assert vote.organization == speaks_for[vote.voter_id]
        assert vote.stakeholder_group == vote.organization.stakeholder_group
    assert {"yes", "no"} <= set(votes.values_list("choice", flat=True))

    history = Vote.history.filter(round_id=round_.id)
    assert sorted(history.values_list("id", flat=True)) == sorted(votes.values_list("id", flat=True))
    assert all(h.history_type == "+" and h.history_user_id == h.voter_id for h in history)


def test_voters_are_verified_in_all_four_groups_and_reused_by_the_next_draft(draft):
    voters = User.objects.filter(username__in=VOTER_NAMES)
    assert voters.count() == VOTERS
    assert all(v.is_active and v.email for v in voters)
    memberships = Membership.objects.filter(user__in=voters)
    assert memberships.count() == VOTERS and {m.status for m in memberships} == {"verified"}
    assert {m.organization.stakeholder_group for m in memberships} == set(StakeholderGroup.values)
    assert draft.memberships.filter(role=Role.PARTICIPANT).count() == VOTERS
    assert draft.memberships.get(role=Role.MODERATOR).user.username == "bench-moderator"
    assert draft.created_by.username == "bench-admin" and draft.created_by.is_superuser
    people = User.objects.count()

    generate("bench-tiny-again")
    again = Draft.objects.get(slug="bench-tiny-again")
    assert User.objects.count() == people and Membership.objects.filter(user__in=voters).count() == VOTERS
    assert set(again.memberships.filter(role=Role.PARTICIPANT).values_list("user_id", flat=True)) == set(
        voters.values_list("id", flat=True)
    )
    assert Vote.objects.filter(round__draft=again).count() == Vote.objects.filter(round__draft=draft).count()


def test_an_existing_slug_is_refused_unless_replaced(draft):
    old_clauses = set(draft.clauses.values_list("id", flat=True))
    votes = Vote.objects.count()
    with pytest.raises(CommandError, match="exists"):
        generate("bench-tiny")
    assert Vote.objects.count() == votes

    out = generate("bench-tiny", "--replace")
    replaced = Draft.objects.get(slug="bench-tiny")
    assert replaced.pk != draft.pk and "bench-tiny" in out
    assert Clause.objects.count() == 5 and not Clause.objects.filter(id__in=old_clauses).exists()
    assert Vote.objects.count() == votes == Vote.history.count()
    assert not Clause.history.filter(id__in=old_clauses).exists()


def test_a_scale_that_is_not_positive_is_refused():
    with pytest.raises(CommandError, match="positive"):
        generate("bench-zero", "--scale", "0")
    assert not Draft.objects.exists()


def test_pages_answer_and_the_round_closes_then_the_draft_can_be_replaced(draft, client, api):
    assert client.get(f"/drafts/{draft.slug}/").status_code == 200
    response = api.get(f"/api/v1/drafts/{draft.slug}/clauses/")
    assert response.status_code == 200 and response.json()["count"] == 5

    round_ = draft.rounds.get()
    on_ballot = len(ballot(round_))
    moderator = User.objects.get(username="bench-moderator")
    closed = services.round_close(round_id=round_.id, by=moderator)
    assert closed.phase == Phase.CLOSED
    assert ItemResult.objects.filter(round=round_).count() == on_ballot
    assert not draft.clauses.filter(status=ClauseStatus.PROPOSED).exists()

    # Results and the snapshot protect the clauses; replacing deletes them in the right order.
    generate("bench-tiny", "--replace")
    assert Draft.objects.get(slug="bench-tiny").rounds.get().phase == Phase.VOTING
