"""Amendments: submitted by participants while a round is open, withdrawn by their authors."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.selectors import speaking_for
from codeofconduct.errors import InvalidInput
from codeofconduct.history import save_with_history
from notifications import services as notifications

from .. import rules
from ..models import Amendment, AmendmentKind, AmendmentStatus
from ..selectors import active_round, amendment_for, amendment_subject, clause_for, clause_subject, phase_now
from .common import acts_as_chair, choose, clean_text


@transaction.atomic
def amendment_submit(
    *, clause_id: int, by: User, kind: str, text: str = "", rationale: str = "", speaking_as: str | None = None
) -> Amendment:
    """A moderator's amendment is the Chair's (a compromise text) unless they speak for their
    delegation on it; the Chair's records no organization."""
    clause, standing_ = clause_for(by, clause_id)
    round_ = active_round(clause.draft)
    subject = clause_subject(by, clause, standing_, phase=phase_now(clause.draft, round_))
    rules.check("amend", subject)
    as_chair = acts_as_chair(subject, speaking_as)
    choose(kind, AmendmentKind, field="kind")
    if kind == AmendmentKind.MODIFY:
        text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
        if text == clause.text.strip():
            raise InvalidInput("The new text is the same as the clause's current text.", field="text")
    else:
        text = ""
    rationale = clean_text(rationale, field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False)
    amendment = Amendment(
        clause=clause,
        round=round_,
        kind=kind,
        text=text,
        rationale=rationale,
        base_version=clause.version,
        base_text=clause.text,
        author=by,
        organization=None if as_chair else speaking_for(by),
        as_chair=as_chair,
    )
    save_with_history(amendment, by=by, reason="Amendment submitted")
    notifications.follow(user=by, clause=clause)
    notifications.notify(
        kind="amendment_submitted",
        draft=clause.draft,
        actor=by,
        followers_of_clause=clause,
        moderators=True,
        message=f"{notifications.who(by, draft_id=clause.draft_id, round_=round_, as_chair=as_chair)} proposed "
        f"{'deleting' if kind == AmendmentKind.DELETE else 'an amendment to'} clause {clause.ref} "
        f"“{clause.title}” in {clause.draft.title}.",
        url=reverse("amendment-detail", args=[amendment.pk]),
    )
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment_id: int, by: User) -> Amendment:
    amendment, standing_ = amendment_for(by, amendment_id, for_update=True)
    rules.check("amendment_withdraw", amendment_subject(by, amendment, standing_))
    amendment.status = AmendmentStatus.WITHDRAWN
    save_with_history(amendment, by=by, reason="Withdrawn by the author")
    return amendment
