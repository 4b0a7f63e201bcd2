"""Amendments: submitted by participants while a round is open, withdrawn by their authors."""

from django.conf import settings
from django.db import transaction
from django.db.models import Case, When
from django.urls import reverse

from accounts.models import Membership, User
from codeofconduct.errors import Conflict, InvalidInput, NotAllowed
from codeofconduct.history import save_with_history

from .. import permissions
from ..models import Amendment, AmendmentKind, AmendmentStatus, ClauseStatus, Phase, Role
from ..selectors import active_round, amendment_for, clause_for
from . import notifications
from .common import choose, clean_text, require_open_round

AMENDING_STANDINGS = (permissions.ADMIN, Role.MODERATOR, Role.PARTICIPANT)


def speaking_for(user: User):
    """The organization a person speaks for: their first verified membership, else their first."""
    membership = (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by(Case(When(status=Membership.Status.VERIFIED, then=0), default=1), "created_at")
        .first()
    )
    return membership.organization if membership else None


@transaction.atomic
def amendment_submit(*, clause_id: int, by: User, kind: str, text: str = "", rationale: str = "") -> Amendment:
    clause, standing_ = clause_for(by, clause_id)
    if standing_ not in AMENDING_STANDINGS:
        raise NotAllowed("Only participants and moderators of this draft can amend its clauses.")
    choose(kind, AmendmentKind, field="kind")
    if clause.status in (ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN):
        raise Conflict(f"Clause {clause.number} is {clause.status}; it can no longer be amended.", status=clause.status)
    round_ = require_open_round(clause.draft, "Amendments can be submitted")
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
        organization=speaking_for(by),
    )
    save_with_history(amendment, by=by, reason="Amendment submitted")
    notifications.follow(user=by, clause=clause)
    notifications.notify(
        kind="amendment_submitted",
        draft=clause.draft,
        actor=by,
        followers_of_clause=clause,
        moderators=True,
        message=f"{notifications.who(by, chatham_house=round_.chatham_house)} proposed "
        f"{'deleting' if kind == AmendmentKind.DELETE else 'an amendment to'} clause {clause.number} "
        f"“{clause.title}” in {clause.draft.title}.",
        url=reverse("amendment-detail", args=[amendment.pk]),
    )
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment_id: int, by: User) -> Amendment:
    amendment, _ = amendment_for(by, amendment_id, for_update=True)
    if amendment.author_id != by.id:
        raise NotAllowed("Only the author can withdraw an amendment.")
    if amendment.status != AmendmentStatus.SUBMITTED:
        raise Conflict(
            f"This amendment is {amendment.status}; only a submitted one can be withdrawn.", status=amendment.status
        )
    round_ = active_round(amendment.clause.draft)
    if round_ is not None and round_.phase == Phase.VOTING:
        raise Conflict("Amendments are frozen while the round is voting.", phase=round_.phase)
    amendment.status = AmendmentStatus.WITHDRAWN
    save_with_history(amendment, by=by, reason="Withdrawn by the author")
    return amendment
