"""Votes: one per voter, item and round, during the voting phase, by verified participants."""

from django.db import transaction

from accounts.models import Membership, User
from codeofconduct.errors import Conflict, InvalidInput, NotAllowed
from codeofconduct.history import save_with_history

from ..models import AmendmentStatus, ClauseStatus, Phase, Role, Vote, VoteChoice
from ..selectors import active_round, amendment_for, clause_for, phase_now
from .common import choose


@transaction.atomic
def vote_cast(*, by: User, choice: str, clause_id: int | None = None, amendment_id: int | None = None) -> Vote:
    """Cast or change a vote on a proposed clause or a submitted amendment.

    Holds the round's row lock from the phase check to the write, so a vote either lands before
    the round closes (and is counted) or is refused after; it is never written after the tally.
    """
    choose(choice, VoteChoice, field="choice")
    if (clause_id is None) == (amendment_id is None):
        raise InvalidInput("Vote on a clause or on an amendment.", field="item")
    if clause_id is not None:
        item, standing_ = clause_for(by, clause_id)
        draft, open_for_vote = item.draft, item.status == ClauseStatus.PROPOSED
        what = f"clause {item.number} is {item.status}, not proposed"
    else:
        item, standing_ = amendment_for(by, amendment_id)
        draft, open_for_vote = item.clause.draft, item.status == AmendmentStatus.SUBMITTED
        what = f"this amendment is {item.status}"
    if standing_ != Role.PARTICIPANT:
        raise NotAllowed("Only participants of this draft vote.")
    round_ = active_round(draft, for_update=True)
    if round_ is None or round_.phase != Phase.VOTING:
        phase = phase_now(draft, round_)
        raise Conflict(f"Votes are taken only while a round is voting (now: {phase}).", phase=phase)
    if not open_for_vote:
        raise Conflict(f"Nothing to vote on: {what}.", status=item.status)

    membership = (
        Membership.objects.filter(
            user=by, status=Membership.Status.VERIFIED, organization__stakeholder_group__in=round_.eligible_groups
        )
        .select_related("organization")
        .order_by("created_at")
        .first()
    )
    if membership is None:
        if Membership.objects.filter(user=by, status=Membership.Status.VERIFIED).exists():
            raise NotAllowed(
                f"In “{round_.title}” only these stakeholder groups vote: {', '.join(round_.eligible_groups)}."
            )
        raise NotAllowed("Your membership must be verified by an administrator before you can vote.")

    target = {"clause_id": clause_id} if clause_id is not None else {"amendment_id": amendment_id}
    vote = Vote.objects.filter(round=round_, voter=by, **target).first()
    if vote is None:
        vote = Vote(round=round_, voter=by, **target)
    elif vote.choice == choice:
        return vote
    vote.choice = choice
    vote.stakeholder_group = membership.organization.stakeholder_group
    vote.organization = membership.organization
    save_with_history(vote, by=by, reason="Vote cast" if vote.pk is None else "Vote changed")
    return vote
