"""Amendments: submitted by participants while a round is open, withdrawn by their authors."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import services as account_services
from accounts.models import User
from accounts.selectors import speaking_for
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from codeofconduct.inputs import refuse_control_characters
from notifications import services as notifications

from .. import rules, suggestions
from ..models import Amendment, AmendmentKind, AmendmentStatus
from ..selectors import (
    active_round,
    amendment_for,
    amendment_subject,
    clause_for,
    clause_subject,
    clause_version,
    phase_now,
)
from .common import acts_as_chair, choose, clean_text


@transaction.atomic
def amendment_submit(
    *, clause_id: int, by: User, kind: str, text: str = "", rationale: str = "", speaking_as: str | None = None
) -> Amendment:
    """A moderator's amendment is the Chair's (a compromise text) unless they speak for their
    delegation on it; the Chair's records no organization."""
    clause, standing_ = clause_for(by, clause_id)
    round_, subject = _amending(by, clause, standing_)
    return _submit(clause, round_, subject, by=by, kind=kind, text=text, rationale=rationale, speaking_as=speaking_as)


@transaction.atomic
def amendment_suggest(
    *,
    clause_id: int,
    by: User,
    version: int,
    quote: str,
    replacement: str,
    start: int | None = None,
    end: int | None = None,
    occurrence: int | None = None,
    rationale: str = "",
    speaking_as: str | None = None,
) -> Amendment:
    """Suggest on the words: the amendment replacing ``quote`` with ``replacement`` (empty: delete
    the words) in the clause's text, under every rule of ``amendment_submit``.

    ``start`` and ``end`` are offsets in the text of ``version`` (the Markdown the amendment API's
    ``text`` carries) and ``quote`` must be the words between them; without them, ``quote`` is found
    in that text as a page's reader selected it (``suggestions.locate``; ``occurrence`` says which,
    1 for the first). When the clause moved on since ``version``, the words are carried over to its
    text now if they still stand there unchanged; else a 409 says they changed. The clause's row
    stays locked until the amendment records the text it was computed from. The amendment returned
    carries ``span``: ``{version, start, end, quote}`` in the text it amends.
    """
    clause, standing_ = clause_for(by, clause_id, for_update=True)
    round_, subject = _amending(by, clause, standing_)
    if not 1 <= version <= clause.version:
        # A field error, as every 400 is (the message says which versions there are).
        raise InvalidInput(
            _("Clause %(clause)s has versions 1 to %(version)s.") % {"clause": clause.ref, "version": clause.version},
            field="version",
        )
    then = clause.text if version == clause.version else clause_version(clause, version).text
    as_shown = start is None or end is None
    if as_shown:
        start, end = suggestions.locate(then, quote, occurrence)
        quote = then[start:end]
    suggestions.check_span(then, start, end, quote)
    refuse_control_characters(replacement, field="replacement")
    if replacement == quote:
        raise InvalidInput(
            _("The replacement is the words selected: change them, or leave it empty."), field="replacement"
        )
    if version != clause.version:
        moved = suggestions.relocate(then, clause.text, start, end)
        if moved is None:
            raise Conflict(
                _(
                    "The words “%(quote)s” have changed since version %(version)s: clause %(clause)s is at version "
                    "%(current)s now. Select the words again in its text."
                )
                % {
                    "quote": suggestions.short(quote),
                    "version": version,
                    "clause": clause.ref,
                    "current": clause.version,
                },
                current_version=clause.version,
            )
        start, end = moved
    text = (suggestions.replaced_as_shown if as_shown else suggestions.replaced)(clause.text, start, end, replacement)
    if not text.strip():
        raise InvalidInput(
            _("That leaves no text: to delete the whole clause, amend it with a deletion."), field="quote"
        )
    amendment = _submit(
        clause,
        round_,
        subject,
        by=by,
        kind=AmendmentKind.MODIFY,
        text=text,
        rationale=rationale,
        speaking_as=speaking_as,
    )
    amendment.span = {"version": clause.version, "start": start, "end": end, "quote": quote}
    return amendment


def _amending(by: User, clause, standing_: str):
    """The round amendments go to and the rule's subject, once the rule lets ``by`` amend ``clause``."""
    round_ = active_round(clause.draft)
    subject = clause_subject(by, clause, standing_, phase=phase_now(clause.draft, round_))
    rules.check("amend", subject)
    return round_, subject


def _submit(clause, round_, subject, *, by: User, kind: str, text: str, rationale: str, speaking_as: str | None):
    """Record an amendment of ``clause`` as it reads now, once ``_amending`` let ``by`` make it."""
    as_chair = acts_as_chair(subject, speaking_as)
    choose(kind, AmendmentKind, field="kind")
    if kind == AmendmentKind.MODIFY:
        text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
        if text == clause.text.strip():
            raise InvalidInput(_("The new text is the same as the clause's current text."), field="text")
    else:
        text = ""
    rationale = clean_text(rationale, field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False)
    _refuse_past_the_waiting_limit(clause, round_, by)
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


def _refuse_past_the_waiting_limit(clause, round_, by: User) -> None:
    """A person has at most ``AMENDMENTS_WAITING_PER_CLAUSE`` amendments waiting on one paragraph in
    a round (a flood of them made its pages slow for every reader); their requests are counted one
    at a time (their row is locked until the commit)."""
    account_services.one_at_a_time(by)
    limit = settings.AMENDMENTS_WAITING_PER_CLAUSE
    waiting = Amendment.objects.filter(clause=clause, round=round_, author=by, status=AmendmentStatus.SUBMITTED)
    if waiting.count() >= limit:
        raise Conflict(
            ngettext(
                "You have %(count)d amendment waiting on %(clause)s in this round, the most one person may; "
                "withdraw it before proposing another.",
                "You have %(count)d amendments waiting on %(clause)s in this round, the most one person may; "
                "withdraw one before proposing another.",
                limit,
            )
            % {"count": limit, "clause": clause.ref}
        )


@transaction.atomic
def amendment_withdraw(*, amendment_id: int, by: User) -> Amendment:
    amendment, standing_ = amendment_for(by, amendment_id, for_update=True)
    rules.check("amendment_withdraw", amendment_subject(by, amendment, standing_))
    amendment.status = AmendmentStatus.WITHDRAWN
    save_with_history(amendment, by=by, reason="Withdrawn by the author")
    return amendment
