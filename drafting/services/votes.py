"""Votes: one per voter, item and round, during the voting phase, by verified participants."""

from dataclasses import replace

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.selectors import is_verified
from codeofconduct.errors import InvalidInput
from codeofconduct.history import save_with_history

from .. import rules
from ..models import Vote, VoteChoice
from ..selectors import active_round, amendment_subject, clause_subject, phase_now, reading
from .common import choose


@transaction.atomic
def vote_cast(*, by: User, choice: str, clause_id: int | None = None, amendment_id: int | None = None) -> Vote:
    """Cast or change a vote on a proposed clause or a submitted amendment.

    Holds a share of the round's row lock from the phase check to the write, so a vote either
    lands before the round closes (and is counted) or is refused after; it is never written after
    the tally. Closing takes the whole lock, which waits for the votes holding a share.
    """
    choose(choice, VoteChoice, field="choice")
    if (clause_id is None) == (amendment_id is None):
        raise InvalidInput("Vote on a clause or on an amendment.", field="item")
    kind, item_id = ("clause", clause_id) if clause_id is not None else ("amendment", amendment_id)
    # The reads are single statements (selectors.reading): a vote is the platform's busiest write.
    item, draft, standing_ = reading.vote_item(by, kind, item_id)
    subject_of = clause_subject if kind == "clause" else amendment_subject
    round_ = active_round(draft, for_share=True)
    membership = reading.voting_membership(by, round_.eligible_groups) if round_ is not None else None
    subject = replace(
        subject_of(by, item, standing_, phase=phase_now(draft, round_)),
        verified=membership is not None or is_verified(by),
        eligible=membership is not None,
        context={"round": round_.title, "eligible_groups": round_.eligible_groups} if round_ else {},
    )
    rules.check("vote", subject)

    # Votes of others go on side by side (the round is only share-locked); the same person's two
    # votes on one item queue on the vote's row, or, for a first vote, on its unique constraint.
    vote = reading.own_vote(round_, by, kind, item_id)
    if vote is None:
        vote = Vote(round=round_, voter=by, **{f"{kind}_id": item_id})
        try:
            with transaction.atomic():
                _record(vote, choice, membership, by=by)
            return vote
        except IntegrityError:  # the same person's other request cast it first: change that one
            vote = reading.own_vote(round_, by, kind, item_id)
    if vote.choice != choice:
        _record(vote, choice, membership, by=by)
    return vote


def _record(vote: Vote, choice: str, membership, *, by: User) -> None:
    vote.choice = choice
    vote.stakeholder_group = membership.stakeholder_group
    vote.organization_id = membership.organization_id
    save_with_history(vote, by=by, reason="Vote cast" if vote.pk is None else "Vote changed")
