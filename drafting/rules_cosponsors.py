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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Phase
from .refusals import forbidden, membership_said, not_now, said
from .rules import MODERATOR, PARTICIPANTS, VOTABLE, Subject, rule

# A proposal no delegation made: the Chair's, or a clause a moderator put in the text outside a round.
CHAIR_PROPOSAL = "chair_proposal"


# Who may act for a delegation: participants and moderators of the draft, never an administrator.
_DELEGATES = PARTICIPANTS | {MODERATOR}


def acts_for_a_delegation(s: Subject, not_a_delegate, not_verified):
    """Refused unless ``s`` acts for a delegation as a verified member of it. ``not_a_delegate`` and
    ``not_verified`` say why (lazy translations, said in the language of the request refused)."""
    if s.standing not in _DELEGATES:
        return forbidden(str(not_a_delegate))
    if not s.verified:
        return forbidden(str(not_verified) + membership_said(s))
    return None


def _round_open(s: Subject):
    if s.phase != Phase.OPEN:
        return not_now(
            _("Proposals are co-sponsored only while their round is open (now: %(phase)s).") % {"phase": said(s.phase)},
            phase=s.phase,
        )
    return None


def _proposal_live(s: Subject):
    if s.state == CHAIR_PROPOSAL:
        return not_now(_("This is the Chair's proposal, not a delegation's: it takes no co-sponsors."), status=s.state)
    if s.state not in VOTABLE:
        what = s.label or _("This proposal")
        return not_now(
            # Translators: "%(proposal)s" is "Clause OP3", "Amendment 12" or "This proposal".
            _("%(proposal)s is %(status)s; it no longer takes co-sponsors.")
            % {"proposal": what, "status": said(s.state)},
            status=s.state,
        )
    return None


@rule("cosponsor")
def _cosponsor(s: Subject):
    """A delegation other than the proposing one co-sponsors (or asks to) a proposal still before
    its round, while the round is open."""
    refused = acts_for_a_delegation(
        s,
        gettext_lazy("Only participants of this draft co-sponsor proposals, for their delegation."),
        gettext_lazy("Only a verified member of a delegation can co-sponsor proposals for it."),
    )
    if refused is None and s.owner:
        refused = forbidden(_("Your delegation made this proposal; it cannot co-sponsor its own."))
    return refused or _proposal_live(s) or _round_open(s)


@rule("cosponsor_withdraw")
def _cosponsor_withdraw(s: Subject):
    """A delegation withdraws its co-sponsorship (or its request) of a proposal still before its
    round, while the round is open."""
    refused = acts_for_a_delegation(
        s,
        gettext_lazy("Only participants of this draft withdraw a co-sponsorship, for their delegation."),
        gettext_lazy("Only a verified member of a delegation can withdraw a co-sponsorship for it."),
    )
    return refused or _proposal_live(s) or _round_open(s)


def _proponent(s: Subject, refused):
    """Refused (``refused``, a lazy translation) unless ``s`` is a verified member of the proposing delegation."""
    if not (s.owner and s.verified) or s.standing not in _DELEGATES:
        return forbidden(str(refused) + membership_said(s))
    return None


@rule("cosponsor_decide")
def _cosponsor_decide(s: Subject):
    """The proponent accepts or declines a delegation's request to co-sponsor a proposal still before
    its round, while the round is open."""
    refused = _proponent(
        s, gettext_lazy("Only a verified member of the proposing delegation accepts or declines co-sponsors.")
    )
    return refused or _proposal_live(s) or _round_open(s)


@rule("cosponsorship_set")
def _cosponsorship_set(s: Subject):
    """The proponent chooses whether co-sponsors join at once or on acceptance, while the round is open."""
    refused = _proponent(
        s, gettext_lazy("Only a verified member of the proposing delegation chooses how it takes co-sponsors.")
    )
    return refused or _proposal_live(s) or _round_open(s)
