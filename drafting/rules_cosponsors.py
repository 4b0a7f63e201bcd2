"""Who co-sponsors a delegation's proposal, and when: the co-sponsorship rules of ``drafting.rules``'s
table, registered there (``rules.py`` imports this module), asked as every other rule is
(``rules.check("cosponsor", subject)``).

A proposal is a clause a participant proposed in a round, or an amendment; the Chair's are nobody's
to co-sponsor. The subject (``selectors.cosponsors.cosponsor_subject``) carries:

- ``standing`` and ``verified``: the person's role in the draft, and whether the delegation they
  speak for (``accounts.selectors.speaking_for_now``'s rule) has verified them: only a verified
  member acts for a delegation;
- ``owner``: they speak for the proposing delegation (its proponent): the proposer themselves, or a
  verified member of the delegation the proposal was made for (who acts as such only as a
  participant or moderator of the draft);
- ``phase``: the phase of the proposal's own round; ``state``: the proposal's status
  (``CHAIR_PROPOSAL`` for the Chair's), or for a decision the request's status.
"""

from .models import Cosponsorship, Phase
from .refusals import forbidden, membership_said, not_now
from .rules import MODERATORS, PARTICIPANTS, VOTABLE, Subject, rule

# A proposal no delegation made: the Chair's, or a clause a moderator put in the text outside a round.
CHAIR_PROPOSAL = "chair_proposal"


def _acts_for_a_delegation(s: Subject, doing: str):
    if s.standing not in PARTICIPANTS | MODERATORS:
        return forbidden(f"Only participants of this draft {doing}, for their delegation.")
    if not s.verified:
        return forbidden(f"Only a verified member of a delegation can {doing} for it.{membership_said(s)}")
    return None


def _round_open(s: Subject, doing: str):
    if s.phase != Phase.OPEN:
        return not_now(f"Proposals are {doing} only while their round is open (now: {s.phase}).", phase=s.phase)
    return None


def _proposal_live(s: Subject):
    if s.state == CHAIR_PROPOSAL:
        return not_now("This is the Chair's proposal, not a delegation's: it takes no co-sponsors.", status=s.state)
    if s.state not in VOTABLE:
        what = s.label or "This proposal"
        return not_now(f"{what} is {s.state}; it no longer takes co-sponsors.", status=s.state)
    return None


@rule("cosponsor")
def _cosponsor(s: Subject):
    """A delegation other than the proposing one co-sponsors (or asks to) a proposal still before
    its round, while the round is open."""
    refused = _acts_for_a_delegation(s, "co-sponsor proposals")
    if refused is None and s.owner:
        refused = forbidden("Your delegation made this proposal; it cannot co-sponsor its own.")
    return refused or _proposal_live(s) or _round_open(s, "co-sponsored")


@rule("cosponsor_withdraw")
def _cosponsor_withdraw(s: Subject):
    """A delegation withdraws its co-sponsorship (or its request) while the round is open."""
    return _acts_for_a_delegation(s, "withdraw a co-sponsorship") or _round_open(s, "co-sponsored")


@rule("cosponsor_decide")
def _cosponsor_decide(s: Subject):
    """The proponent accepts or declines a delegation's request, once, while the round is open."""
    if not s.owner or s.standing not in PARTICIPANTS | MODERATORS:
        return forbidden("Only a verified member of the proposing delegation accepts or declines co-sponsors.")
    if s.state != Cosponsorship.Status.REQUESTED:
        return not_now(f"This request is already {s.state}.", status=s.state)
    return _round_open(s, "co-sponsored")


@rule("cosponsorship_set")
def _cosponsorship_set(s: Subject):
    """The proponent chooses whether co-sponsors join at once or on acceptance, while the round is open."""
    if not s.owner or s.standing not in PARTICIPANTS | MODERATORS:
        return forbidden("Only a verified member of the proposing delegation chooses how it takes co-sponsors.")
    return _proposal_live(s) or _round_open(s, "co-sponsored")
