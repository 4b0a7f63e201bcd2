"""Who co-sponsors a delegation's proposal, and when: the co-sponsorship rules of ``drafting.rules``'s
table, registered there (``rules.py`` imports this module), asked as every other rule is
(``rules.check("cosponsor", subject)``).

A proposal is a clause a participant proposed in a round, or an amendment; the Chair's are nobody's
to co-sponsor. The subject (``selectors.cosponsors.cosponsor_subject``) carries:

- ``standing`` and ``verified``: the person's role in the draft, and whether the delegation they
  speak for (``accounts.selectors.speaking_for_now``'s rule) has verified them: only a verified
  member acts for a delegation;
- ``owner``: they speak for the proposing delegation, verified or not (a delegation never
  co-sponsors its own proposal); its proponent, who decides, is a verified ``owner`` (a proposal
  made for no delegation has none: it keeps the setting it was made with);
- ``phase``: the phase of the proposal's own round; ``state``: the proposal's status
  (``CHAIR_PROPOSAL`` for the Chair's). A request already decided is the service's conflict.

Administrators act for no delegation here, as in voting.
"""

from .models import Phase
from .refusals import forbidden, membership_said, not_now
from .rules import MODERATOR, PARTICIPANTS, VOTABLE, Subject, rule

# A proposal no delegation made: the Chair's, or a clause a moderator put in the text outside a round.
CHAIR_PROPOSAL = "chair_proposal"


# Who may act for a delegation: participants and moderators of the draft, never an administrator.
_DELEGATES = PARTICIPANTS | {MODERATOR}


def acts_for_a_delegation(s: Subject, doing: str):
    if s.standing not in _DELEGATES:
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
    refused = acts_for_a_delegation(s, "co-sponsor proposals")
    if refused is None and s.owner:
        refused = forbidden("Your delegation made this proposal; it cannot co-sponsor its own.")
    return refused or _proposal_live(s) or _round_open(s, "co-sponsored")


@rule("cosponsor_withdraw")
def _cosponsor_withdraw(s: Subject):
    """A delegation withdraws its co-sponsorship (or its request) of a proposal still before its
    round, while the round is open."""
    return acts_for_a_delegation(s, "withdraw a co-sponsorship") or _proposal_live(s) or _round_open(s, "co-sponsored")


def _proponent(s: Subject, doing: str):
    if not (s.owner and s.verified) or s.standing not in _DELEGATES:
        return forbidden(f"Only a verified member of the proposing delegation {doing}.{membership_said(s)}")
    return None


@rule("cosponsor_decide")
def _cosponsor_decide(s: Subject):
    """The proponent accepts or declines a delegation's request to co-sponsor a proposal still before
    its round, while the round is open."""
    return _proponent(s, "accepts or declines co-sponsors") or _proposal_live(s) or _round_open(s, "co-sponsored")


@rule("cosponsorship_set")
def _cosponsorship_set(s: Subject):
    """The proponent chooses whether co-sponsors join at once or on acceptance, while the round is open."""
    return _proponent(s, "chooses how it takes co-sponsors") or _proposal_live(s) or _round_open(s, "co-sponsored")
