"""Votes: one per voter, item and round, during the voting phase, by verified participants."""

from dataclasses import replace

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.selectors import is_verified, voting_membership
from codeofconduct.errors import InvalidInput
from codeofconduct.history import save_with_history

from .. import rules
from ..models import Vote, VoteChoice
from ..selectors import active_round, amendment_for, amendment_subject, clause_for, clause_subject, phase_now
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
    if clause_id is not None:
        item, standing_ = clause_for(by, clause_id)
        draft, subject_of = item.draft, clause_subject
    else:
        item, standing_ = amendment_for(by, amendment_id)
        draft, subject_of = item.clause.draft, amendment_subject
    round_ = active_round(draft, for_share=True)
    membership = voting_membership(by, round_.eligible_groups) if round_ is not None else None
    subject = replace(
        subject_of(by, item, standing_, phase=phase_now(draft, round_)),
        verified=membership is not None or is_verified(by),
        eligible=membership is not None,
        context={"round": round_.title, "eligible_groups": round_.eligible_groups} if round_ else {},
    )
    rules.check("vote", subject)

    target = {"clause_id": clause_id} if clause_id is not None else {"amendment_id": amendment_id}
    # Votes of others go on side by side (the round is only share-locked); the same person's two
    # votes on one item queue on the vote's row, or, for a first vote, on its unique constraint.
    votes = Vote.objects.select_for_update().filter(round=round_, voter=by, **target)
    vote = votes.first()
    if vote is None:
        vote = Vote(round=round_, voter=by, **target)
        try:
            with transaction.atomic():
                _record(vote, choice, membership, by=by)
            return vote
        except IntegrityError:  # the same person's other request cast it first: change that one
            vote = votes.get()
    if vote.choice != choice:
        _record(vote, choice, membership, by=by)
    return vote


def _record(vote: Vote, choice: str, membership, *, by: User) -> None:
    vote.choice = choice
    vote.stakeholder_group = membership.organization.stakeholder_group
    vote.organization = membership.organization
    save_with_history(vote, by=by, reason="Vote cast" if vote.pk is None else "Vote changed")
