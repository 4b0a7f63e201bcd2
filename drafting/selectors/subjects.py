"""What the rules look at: the ``rules.Subject`` of a draft, clause, amendment, comment or round as a
person stands to it, the vote rule's subject completed for a voter, and the answers the pages read
straight from them (may they ask to join, may they read a comment's body)."""

from dataclasses import replace

from django.utils.translation import gettext as _

from accounts.selectors import is_verified, speaking_for_now, voting_membership
from codeofconduct.errors import NotAllowed

from .. import rules
from ..models import Amendment, Clause, Comment, Draft, Round
from .rounds import active_round, phase_now


def draft_phase(draft: Draft) -> str:
    """The phase actions on the draft's text happen in: the open or voting round's, else the latest's."""
    return phase_now(draft, active_round(draft))


def clause_subject(user, clause: Clause, standing_: str, *, phase: str | None = None) -> rules.Subject:
    return rules.Subject(
        standing_,
        phase=phase if phase is not None else draft_phase(clause.draft),
        state=clause.status,
        owner=user is not None and clause.proposer_id is not None and clause.proposer_id == user.id,
        label=_("Clause %(ref)s") % {"ref": clause.ref},
    )


def amendment_subject(user, amendment: Amendment, standing_: str, *, phase: str | None = None) -> rules.Subject:
    return rules.Subject(
        standing_,
        phase=phase if phase is not None else draft_phase(amendment.clause.draft),
        state=amendment.status,
        owner=user is not None and amendment.author_id == user.id,
        # Translators: said of an amendment in the middle of a sentence ("Nothing to vote on: this amendment is …").
        label=_("this amendment"),
    )


def comment_subject(user, comment: Comment, standing_: str) -> rules.Subject:
    return rules.Subject(
        standing_,
        state=rules.HIDDEN if comment.hidden else rules.VISIBLE,
        owner=user is not None and comment.author_id == getattr(user, "id", None),
    )


def round_subject(round_: Round, standing_: str, *, active: Round | None = None) -> rules.Subject:
    """The rules' view of a round. ``active``: the draft's round that is open or voting (``active_round``),
    which whether this one may open depends on; the callers asking that rule pass it."""
    return rules.Subject(
        standing_,
        phase=round_.phase,
        state=rules.TALLIES_HIDDEN if round_.hide_tallies_until_close else rules.TALLIES_SHOWN,
        other_active=active.title if active is not None and active.pk != round_.pk else "",
        label=round_.title,
    )


_LOOK_IT_UP = object()


def as_voter(user, subject: rules.Subject, round_, *, membership=_LOOK_IT_UP) -> rules.Subject:
    """The vote rule's ``subject`` completed for ``user`` in ``round_`` (the draft's open or voting
    round, or None): the round, whether they are verified, and whether a membership of theirs votes
    in it (``voting_membership``'s rule). ``membership`` is what the caller already read with the
    round (``reading.voting_round``); otherwise it is looked up only when nothing else refuses them."""
    if round_ is None:
        return subject
    subject = replace(
        subject, context={**subject.context, "round": round_.title, "eligible_groups": round_.eligible_groups}
    )
    if membership is _LOOK_IT_UP:
        if not rules.allowed("vote", subject):
            return subject
        membership = voting_membership(user, round_.eligible_groups)
    return replace(subject, verified=membership is not None or is_verified(user), eligible=membership is not None)


def who_they_are(user, subject: rules.Subject) -> rules.Subject:
    """The vote rule's ``subject`` with whom the person speaks for and whether an administrator has
    verified it, when the rule refuses them for who they are (403): its refusal then tells them.
    Looked up for them only."""
    refused = rules.refusal("vote", subject)
    if refused is None or refused.error is not NotAllowed or not user.is_authenticated:
        return subject
    return replace(subject, context={**subject.context, "speaking_for": speaking_for_now(user)})


def draft_subject(draft: Draft, standing_: str, *, phase: str | None = None) -> rules.Subject:
    return rules.Subject(standing_, phase=phase if phase is not None else draft_phase(draft), state=draft.visibility)


def may_ask_to_join(draft: Draft, standing_: str) -> bool:
    """Whether the join rule lets this person ask for a role in ``draft``, or to take part in it (an observer)."""
    return rules.allowed("join_request", draft_subject(draft, standing_, phase=rules.NO_ROUND))


def comment_body_visible(user, comment: Comment, standing_: str) -> bool:
    """A hidden comment's body is for its author and the moderators only."""
    return rules.allowed("comment_read_hidden", comment_subject(user, comment, standing_))


def comment_body_published(comment: Comment) -> str | None:
    """A comment's body as published with a round's results: what anyone may read of it."""
    subject = rules.Subject(rules.ANONYMOUS, state=rules.HIDDEN if comment.hidden else rules.VISIBLE)
    return comment.body if rules.allowed("comment_read_hidden", subject) else None
