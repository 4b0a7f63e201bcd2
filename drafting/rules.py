"""Who may do what, and when: every rule of the platform, declared once.

A rule looks at a ``Subject``: the person's standing in the draft, the phase the draft's round is
in, the state of the item, and whether the person wrote it. It answers with nothing (allowed) or a
``Refusal``: 404 when the person may not even see the draft, 403 when their standing does not
allow the action, 409 when it would be allowed at another time or in another state.

Services call ``check`` and so refuse with the domain error; API views, page views, serializers and
templates ask ``allowed`` or ``abilities`` of the same rules, so no rule is written anywhere else.
The table is tested cell by cell in ``tests/drafting/test_rules.py``. The rules' database queries (a
person's standing, the ``view`` rule as a query, ...) are in ``rules_queries.py``, asked here as
``rules.standing``; refusals' words in ``refusals.py``; co-sponsoring's rules in ``rules_cosponsors.py``, the
live room's in ``rules_room.py``.

Standings: anonymous, non-member, observer, unverified participant (a participant with no verified
membership yet), participant, moderator, admin (a superuser); "owner": who wrote the item.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codeofconduct.errors import NotFound

from .models import OUT_OF_THE_TEXT, AmendmentStatus, ClauseStatus, Phase, Role, Visibility
from .refusals import Refusal, forbidden, membership_said, not_now, said
from .rules_queries import hidden_comments_readable, readers_of, standing, viewable_drafts  # noqa: F401 - rules.*

ANONYMOUS = "anonymous"
NON_MEMBER = "non_member"
OBSERVER = Role.OBSERVER.value
UNVERIFIED = "unverified_participant"
PARTICIPANT = Role.PARTICIPANT.value
MODERATOR = Role.MODERATOR.value
ADMIN = "admin"
STANDINGS = (ANONYMOUS, NON_MEMBER, OBSERVER, UNVERIFIED, PARTICIPANT, MODERATOR, ADMIN)

NO_ROUND = "none"
PHASES = (NO_ROUND, Phase.SCHEDULED.value, Phase.OPEN.value, Phase.VOTING.value, Phase.CLOSED.value)

MODERATORS = frozenset({MODERATOR, ADMIN})
PARTICIPANTS = frozenset({UNVERIFIED, PARTICIPANT})
MEMBERS = frozenset({OBSERVER, *PARTICIPANTS, *MODERATORS})
# A comment's state for the rules: hidden by a moderator or not.
HIDDEN, VISIBLE = "hidden", "visible"
# A round's tallies: hidden from everyone until close, or shown as votes come in.
TALLIES_HIDDEN, TALLIES_SHOWN = "tallies_hidden", "tallies_shown"


@dataclass(frozen=True)
class Subject:
    """What a rule looks at. ``label`` and ``context`` only fill in the wording of a refusal."""

    role: str
    phase: str = NO_ROUND
    state: str = ""
    owner: bool = False
    verified: bool = True
    eligible: bool = True
    # The title of another round of the draft that is open or voting ("" when none): only one is at a time.
    other_active: str = ""
    # Appointed to translate the draft into the language at hand (``Translator``).
    translates: bool = False
    label: str = ""
    context: dict = field(default_factory=dict)

    @property
    def standing(self) -> str:
        return UNVERIFIED if self.role == PARTICIPANT and not self.verified else self.role


RULES: dict[str, Callable[[Subject], Refusal | None]] = {}


def rule(name: str):
    def register(fn):
        RULES[name] = fn
        return fn

    return register


def refusal(action: str, subject: Subject) -> Refusal | None:
    return RULES[action](subject)


def allowed(action: str, subject: Subject) -> bool:
    return RULES[action](subject) is None


def check(action: str, subject: Subject) -> None:
    """Raise the domain error (403, 404 or 409) if ``subject`` may not do ``action``."""
    found = RULES[action](subject)
    if found is not None:
        raise found.exception()


def abilities(subject: Subject, *actions: str) -> dict[str, bool]:
    """``{action: allowed}`` for pages and serializers: ``{% if can.amend %}``."""
    return {action: allowed(action, subject) for action in actions}


# Reading ------------------------------------------------------------------------------------------


# What the ``view`` rule's label names, as its refusal says there is none.
_NO_SUCH = {
    "draft": gettext_lazy("No such draft."),
    "clause": gettext_lazy("No such clause."),
    "amendment": gettext_lazy("No such amendment."),
    "comment": gettext_lazy("No such comment."),
    "round": gettext_lazy("No such round."),
    "request": gettext_lazy("No such request."),
    "snapshot": gettext_lazy("No such snapshot."),
}


@rule("view")
def _view(s: Subject):
    """A public draft is read by anyone; a members-only one does not exist for outsiders."""
    if s.state == Visibility.MEMBERS and s.standing not in MEMBERS:
        what = s.label or "draft"
        known = _NO_SUCH.get(what)
        # Translators: "%(what)s" is what was looked for, named by its code ("export").
        return Refusal(NotFound, str(known) if known is not None else _("No such %(what)s.") % {"what": what})
    return None


@rule("comment_read_hidden")
def _comment_read_hidden(s: Subject):
    if s.state == HIDDEN and s.standing not in MODERATORS and not s.owner:
        return Refusal(NotFound, _("This comment is hidden."))
    return None


@rule("tallies_see")
def _tallies_see(s: Subject):
    """Hidden means hidden: no count of yes, no or abstain before the close, for anyone (moderators
    and administrators too, who may also speak for a delegation). Participation is not a tally:
    the console shows how many voted, per group."""
    if s.phase != Phase.CLOSED and s.state == TALLIES_HIDDEN:
        return not_now(
            _(
                "This round hides its tallies until it closes: nobody sees how the votes stand before then, "
                "moderators included."
            ),
            phase=s.phase,
        )
    return None


@rule("dispositions_see")
def _dispositions_see(s: Subject):
    if s.phase != Phase.CLOSED and s.standing not in MODERATORS:
        return not_now(_("Dispositions are published with the round's results, at close."), phase=s.phase)
    return None


@rule("report_see")
def _report_see(s: Subject):
    if s.phase != Phase.CLOSED:
        return not_now(_("The report is published when the round closes."), phase=s.phase)
    return None


# Drafts, members, sections, snapshots ---------------------------------------------------------------


@rule("draft_create")
def _draft_create(s: Subject):
    """Creating a draft, by hand or by importing a file, is for administrators."""
    if s.standing != ADMIN:
        return forbidden(_("Only an administrator can create drafts."))
    return None


def _moderators_only(message):
    """``message``: a lazy translation, said in the language of the request that is refused."""

    def check_moderator(s: Subject):
        return None if s.standing in MODERATORS else forbidden(str(message))

    return check_moderator


for _name, _message in {
    "draft_manage": gettext_lazy("Only a moderator of this draft can manage it."),
    "member_appoint": gettext_lazy("Only an administrator or a moderator of this draft can appoint members."),
    "section_add": gettext_lazy("Only a moderator of this draft can add sections."),
    "section_edit": gettext_lazy("Only a moderator of this draft can change its sections."),
    "snapshot_publish": gettext_lazy("Only a moderator of this draft can publish snapshots."),
    "round_create": gettext_lazy("Only a moderator of this draft can create rounds."),
    "round_console": gettext_lazy("The console is for the draft's moderators."),
    "clause_revert": gettext_lazy("Only a moderator of this draft can revert a clause."),
    "clause_set_status": gettext_lazy("Only a moderator can change a clause's status or section."),
    "comment_hide": gettext_lazy("Only a moderator of this draft can hide comments."),
    "comment_restore": gettext_lazy("Only a moderator of this draft can restore comments."),
    "comment_dispose": gettext_lazy("Only a moderator of this draft can record what happened to a comment."),
    "translator_appoint": gettext_lazy("Only a moderator of this draft can appoint its translators."),
}.items():
    rule(_name)(_moderators_only(_message))


@rule("translate")
def _translate(s: Subject):
    """A paragraph's translation is written by the draft's translators into that language (members
    of it), or by its moderators; at any phase (a translation changes no text that is voted on)."""
    if (s.translates and s.standing in MEMBERS) or s.standing in MODERATORS:
        return None
    return forbidden(_("Only a translator appointed into this language, or a moderator, can translate this draft."))


# Asking to join --------------------------------------------------------------------------------


@rule("join_request")
def _join_request(s: Subject):
    """A signed-in person with no role in a draft they can see asks for one, and an observer asks to
    take part as a participant. A members-only draft does not exist for outsiders, so no outsider
    asks to join one: its moderators appoint its members."""
    if s.state == Visibility.MEMBERS and s.standing not in MEMBERS:
        return Refusal(NotFound, _("No such draft."))
    if s.standing == ANONYMOUS:
        return forbidden(_("Log in to ask to join this draft."))
    if s.standing == ADMIN:
        return not_now(_("Administrators act in every draft already."), role=ADMIN)
    if s.standing not in (NON_MEMBER, OBSERVER):
        return not_now(_("You already have a role in this draft (%(role)s).") % {"role": said(s.role)}, role=s.role)
    return None


@rule("join_decide")
def _join_decide(s: Subject):
    """Moderators approve or decline a request once; ``state`` is the request's status."""
    if s.standing not in MODERATORS:
        return forbidden(_("Only a moderator of this draft can decide on requests to join it."))
    if s.state != "pending":
        return not_now(_("This request was already %(status)s.") % {"status": said(s.state)}, status=s.state)
    return None


# Clauses -----------------------------------------------------------------------------------------


@rule("clause_add")
def _clause_add(s: Subject):
    """Moderators add clauses at any time; participants propose them while a round is open."""
    if s.standing in MODERATORS:
        return None
    if s.standing not in PARTICIPANTS:
        return forbidden(_("Only participants and moderators of this draft can propose clauses."))
    if s.phase != Phase.OPEN:
        return not_now(
            _("Clauses can be proposed only while a consultation round is open (now: %(phase)s).")
            % {"phase": said(s.phase)},
            phase=s.phase,
        )
    return None


@rule("clause_edit")
def _clause_edit(s: Subject):
    """Moderators edit any clause; its proposer edits a proposed clause while the round is open."""
    if s.standing in MODERATORS:
        return None
    if not (s.standing in PARTICIPANTS and s.owner and s.state == ClauseStatus.PROPOSED):
        return forbidden(_("Only a moderator, or its proposer while it is still proposed, can change this clause."))
    if s.phase != Phase.OPEN:
        return not_now(
            _("A proposed clause can be edited only while a consultation round is open (now: %(phase)s).")
            % {"phase": said(s.phase)},
            phase=s.phase,
        )
    return None


@rule("clause_reword")
def _clause_reword(s: Subject):
    """What is on the ballot does not change while people vote on it."""
    if s.state == ClauseStatus.PROPOSED and s.phase == Phase.VOTING:
        return not_now(_("Proposed clauses are frozen while the round is voting."), phase=s.phase)
    return None


@rule("amend")
def _amend(s: Subject):
    if s.standing not in PARTICIPANTS | MODERATORS:
        return forbidden(_("Only participants and moderators of this draft can amend its clauses."))
    if s.state in OUT_OF_THE_TEXT:
        return not_now(
            # Translators: "%(clause)s" is "Clause OP3" (or "The clause"); "%(status)s" is "rejected" or "withdrawn".
            _("%(clause)s is %(status)s; it can no longer be amended.")
            % {"clause": s.label or _("The clause"), "status": said(s.state)},
            status=s.state,
        )
    if s.phase != Phase.OPEN:
        return not_now(
            _("Amendments can be submitted only while a consultation round is open (now: %(phase)s).")
            % {"phase": said(s.phase)},
            phase=s.phase,
        )
    return None


# Amendments --------------------------------------------------------------------------------------


@rule("amendment_withdraw")
def _amendment_withdraw(s: Subject):
    if not s.owner:
        return forbidden(_("Only the author can withdraw an amendment."))
    if s.state != AmendmentStatus.SUBMITTED:
        return not_now(
            _("This amendment is %(status)s; only a submitted one can be withdrawn.") % {"status": said(s.state)},
            status=s.state,
        )
    if s.phase == Phase.VOTING:
        return not_now(_("Amendments are frozen while the round is voting."), phase=s.phase)
    return None


# Comments ----------------------------------------------------------------------------------------


@rule("comment_post")
def _comment_post(s: Subject):
    if s.standing not in MEMBERS:
        return forbidden(_("Only members of this draft can comment."))
    return None


@rule("comment_reply")
def _comment_reply(s: Subject):
    """Replying to a comment (``state``: whether it is hidden): a hidden comment's thread is closed
    to all but the moderators, who may answer what they hid."""
    if s.standing not in MEMBERS:
        return forbidden(_("Only members of this draft can comment."))
    if s.state == HIDDEN and s.standing not in MODERATORS:
        return not_now(
            _("A moderator hid this comment, so it takes no replies; comment on the text itself instead."), hidden=True
        )
    return None


@rule("comment_edit")
def _comment_edit(s: Subject):
    if not s.owner:
        return forbidden(_("Only the author can edit a comment."))
    if s.state == HIDDEN:
        return not_now(_("A moderator hid this comment; it can no longer be edited."), hidden=True)
    return None


# Votes -------------------------------------------------------------------------------------------

VOTABLE = frozenset({ClauseStatus.PROPOSED.value, AmendmentStatus.SUBMITTED.value})


# Who the person is in the draft, as the vote rule tells those it refuses for it.
YOUR_STANDING = {
    ANONYMOUS: gettext_lazy("You are not logged in."),
    NON_MEMBER: gettext_lazy("You have no role in this draft."),
    OBSERVER: gettext_lazy("You observe this draft."),
    MODERATOR: gettext_lazy("You moderate this draft."),
    ADMIN: gettext_lazy("You are an administrator."),
}


@rule("vote")
def _vote(s: Subject):
    """Participants vote while the round is voting, on what is still on the ballot, once verified,
    for a stakeholder group the round lets vote. The Chair (the draft's moderators) does not vote."""
    if s.standing in MODERATORS:
        return forbidden(
            _("The Chair does not vote: only participants of this draft vote.") + f" {YOUR_STANDING[s.standing]}"
        )
    if s.standing not in PARTICIPANTS:
        return forbidden(
            _("Only participants of this draft vote.") + f" {YOUR_STANDING[s.standing]}{membership_said(s)}"
        )
    if s.phase != Phase.VOTING:
        return not_now(
            _("Votes are taken only while a round is voting (now: %(phase)s).") % {"phase": said(s.phase)},
            phase=s.phase,
        )
    if s.state not in VOTABLE:
        what = s.label[:1].lower() + s.label[1:] if s.label else _("this item")
        return not_now(
            _(
                # Translators: "%(item)s" is "clause OP3", "this amendment" or "this item".
                "Nothing to vote on: %(item)s is %(status)s; only proposed clauses and submitted amendments "
                "are voted on."
            )
            % {"item": what, "status": said(s.state)},
            status=s.state,
        )
    if s.standing == UNVERIFIED:
        return forbidden(
            _("Your membership must be verified by an administrator before you can vote.") + membership_said(s)
        )
    if not s.eligible:
        from accounts.models import StakeholderGroup

        groups = ", ".join(str(StakeholderGroup(g).label) for g in s.context.get("eligible_groups", ()))
        return forbidden(
            # Translators: "%(round)s" is a round's title; "%(groups)s" a list of stakeholder groups.
            _("In “%(round)s” only these stakeholder groups vote: %(groups)s.")
            % {"round": s.context["round"] if "round" in s.context else _("this round"), "groups": groups}
            + membership_said(s)
        )
    return None


# Speaking as the Chair ---------------------------------------------------------------------------

# What an act speaks for: the Chair, or the person's own delegation.
AS_CHAIR, AS_DELEGATION = "chair", "delegation"


@rule("speak_as_chair")
def _speak_as_chair(s: Subject):
    if s.standing not in MODERATORS:
        return forbidden(_("Only a moderator of this draft speaks as the Chair."))
    return None


# Rounds ------------------------------------------------------------------------------------------


def _round_move(source: str, target: str):
    def move(s: Subject):
        if s.standing not in MODERATORS:
            return forbidden(_("Only a moderator of this draft can move its rounds."))
        if s.phase != source:
            return not_now(
                # Translators: "%(round)s" is a round's title; the other three are round phases.
                _("“%(round)s” is %(phase)s; it can only move to %(target)s from %(source)s.")
                % {
                    "round": s.label or _("The round"),
                    "phase": said(s.phase),
                    "target": said(target),
                    "source": said(source),
                },
                phase=s.phase,
            )
        return None

    return move


@rule("round_edit")
def _round_edit(s: Subject):
    """A round's title, schedule and rules change until it closes; what it decided never does."""
    if s.standing not in MODERATORS:
        return forbidden(_("Only a moderator of this draft can change its rounds."))
    if s.phase == Phase.CLOSED:
        return not_now(
            _("“%(round)s” is closed; what it decided stays as it was.") % {"round": s.label or _("The round")},
            phase=s.phase,
        )
    return None


@rule("round_change_rules")
def _round_change_rules(s: Subject):
    """The voting rule, the counting, the quorum and the voting groups are fixed once voting starts."""
    if s.standing not in MODERATORS:
        return forbidden(_("Only a moderator of this draft can change its rounds."))
    if s.phase in (Phase.VOTING, Phase.CLOSED):
        return not_now(
            _("“%(round)s” is %(phase)s: its voting rule, quorum and groups no longer change.")
            % {"round": s.label or _("The round"), "phase": said(s.phase)},
            phase=s.phase,
        )
    return None


@rule("round_open")
def _round_open(s: Subject):
    """A scheduled round opens when no other round of its draft is open or voting."""
    refused = _round_move(Phase.SCHEDULED, Phase.OPEN)(s)
    if refused is None and s.other_active:
        return not_now(
            _("Another round of this draft, “%(other)s”, is open or voting: close it before opening “%(round)s”.")
            % {"other": s.other_active, "round": s.label or _("this one")},
            phase=s.phase,
        )
    return refused


rule("round_start_voting")(_round_move(Phase.OPEN, Phase.VOTING))
rule("round_close")(_round_move(Phase.VOTING, Phase.CLOSED))


def _moderators_while_voting(who, only_then):
    """Moderators only (``who`` says so when refused), and only while the round votes (``only_then``
    says so, of the round ``%(round)s`` in its ``%(phase)s``); both lazy translations, said in the
    language of the request that is refused."""

    def check(s: Subject):
        if s.standing not in MODERATORS:
            return forbidden(str(who))
        if s.phase != Phase.VOTING:
            return not_now(str(only_then) % {"round": s.label or _("The round"), "phase": said(s.phase)}, phase=s.phase)
        return None

    return check


rule("vote_remind")(
    _moderators_while_voting(
        gettext_lazy("Only a moderator of this draft can remind delegations to vote."),
        # Translators: "%(round)s" is a round's title; "%(phase)s" its phase (open, closed...).
        gettext_lazy("“%(round)s” is %(phase)s; delegations are reminded to vote only while it is voting."),
    )
)
rule("round_close_preview")(
    _moderators_while_voting(
        gettext_lazy("Only a moderator of this draft can preview closing its rounds."),
        # Translators: "%(round)s" is a round's title; "%(phase)s" its phase (open, closed...).
        gettext_lazy("“%(round)s” is %(phase)s; closing can be previewed only while it is voting."),
    )
)

from . import rules_cosponsors, rules_room  # noqa: E402, F401 - register their rules in RULES
