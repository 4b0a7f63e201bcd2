"""The live room's rules, registered in ``drafting.rules``'s table (``rules.py`` imports this module)
and asked as every other rule is: the Chair runs a live session (opens and closes it, puts a
paragraph on the screen, gives and ends the floor, opens and closes the list of speakers, edits the
text on a delegation's proposal); a delegation asks for the floor while the list is open and
withdraws at any time.

The subject's ``state`` for the floor is the list's: ``LIST_OPEN`` or ``LIST_CLOSED``. Asking for
the floor is a delegation's act, as co-sponsoring is: a verified member of it who takes part in the
draft (an administrator speaks for no delegation here). Whether a session is open at all, and
whether the delegation already has its place, are the service's 404 and 409.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .refusals import forbidden, not_now
from .rules import MODERATORS, Subject, rule
from .rules_cosponsors import acts_for_a_delegation

LIST_OPEN, LIST_CLOSED = "list_open", "list_closed"


@rule("session_run")
def _session_run(s: Subject):
    if s.standing not in MODERATORS:
        return forbidden(_("Only a moderator of this draft runs its live session, as the Chair."))
    return None


@rule("floor_ask")
def _floor_ask(s: Subject):
    """A delegation asks for the floor while the list of speakers is open."""
    refused = acts_for_a_delegation(
        s,
        gettext_lazy("Only participants of this draft ask for the floor, for their delegation."),
        gettext_lazy("Only a verified member of a delegation can ask for the floor for it."),
    )
    if refused is None and s.state == LIST_CLOSED:
        return not_now(_("The Chair has closed the list of speakers."), status=s.state)
    return refused


@rule("floor_withdraw")
def _floor_withdraw(s: Subject):
    """A delegation gives up its place at any time, the list open or closed."""
    return acts_for_a_delegation(
        s,
        gettext_lazy("Only participants of this draft withdraw from the list of speakers, for their delegation."),
        gettext_lazy("Only a verified member of a delegation can withdraw from the list of speakers for it."),
    )
