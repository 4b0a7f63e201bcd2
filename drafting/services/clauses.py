"""Every write to clauses goes through here: a clause added to its section (at its end, at its start
or after one of its paragraphs), changed as a new version only by whoever read the current one, or
brought back to an earlier version (history is never rewritten)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organization, User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from notifications import services as notifications

from .. import rules
from ..markdown import render_markdown, square_brackets
from ..models import (
    OUT_OF_THE_TEXT,
    READING_ORDER,
    Clause,
    ClauseStatus,
    Draft,
    Phase,
    Section,
    paragraph_ref,
    suffix_between,
)
from ..selectors import active_round, clause_for, clause_subject, clause_version, delegations_in, draft_subject
from .common import acts_as_chair, choose, clean_text, lock_draft

# ``clause_create(after=AT_START)``: the new paragraph reads before the first one of its section.
AT_START = "start"


def _number_placed(section: Section, *, after: Clause | str | None = None) -> tuple[int, int]:
    """``(number, suffix)`` for a paragraph put in ``section`` at its end (``after=None``), at its
    start (``AT_START``), or right after ``after``, one of its paragraphs of the text, so that no cited
    number moves.

    Reading order is section position, then number and suffix, and the labels keep to it: the new
    paragraph takes the number of the paragraph before it in reading order with the next Latin word
    ("16 bis" after 16, "16 ter" after 16 bis), or a letter when the next paragraph already has that
    word ("16 A" right after 16 when 16 bis follows it; see ``suffix_between``); after the last
    paragraph of the whole draft it takes the next plain number. With no paragraph before it (the
    start of the first section) it takes the number before the first paragraph's, as negotiators
    write "OP0" for a paragraph put before OP1: 0 when the text starts at 1. At the start of a later
    section, the paragraph before it is the last of the sections before ("10 bis" before OP11).

    Where no label fits between its neighbours (26 letters used up, "16" and "16 A" side by side,
    numbers out of order after a paragraph moved section), a paragraph at the end of its section
    takes a free one, which still reads at the end of its section (sections come first in reading
    order); anywhere else it would read out of place, so the place is refused (``InvalidInput`` on
    ``after``) until a revision renumbers the text 1, 2, 3 in reading order (a round's close, or a
    snapshot while no round is open or voting). A paragraph out of the text holds no number of it.
    Call holding the draft's lock (``lock_draft``).
    """
    # Numbers are the text's: a paragraph that left it (rejected, withdrawn) holds none.
    clauses = Clause.objects.filter(draft_id=section.draft_id, preambular=section.is_preamble)
    clauses = clauses.exclude(status__in=OUT_OF_THE_TEXT)
    up_to_here = Q(section__position__lt=section.position) | Q(
        section__position=section.position, section_id__lt=section.pk
    )
    if after is None:
        up_to_here |= Q(section_id=section.pk)
    elif after != AT_START:
        up_to_here |= Q(section_id=section.pk) & (
            Q(number__lt=after.number) | Q(number=after.number, number_suffix__lte=after.number_suffix)
        )
    keys = ("number", "number_suffix", "section_id")
    before = clauses.filter(up_to_here).order_by(*(f"-{key}" for key in READING_ORDER))
    following = clauses.exclude(up_to_here).order_by(*READING_ORDER)
    before, following = before.values_list(*keys).first(), following.values_list(*keys).first()
    if following is None:
        return (clauses.aggregate(m=Max("number"))["m"] or 0) + 1, 0
    if before is None:
        number, suffix = max(following[0] - 1, 0), 0 if following[0] > 0 or following[1] > 0 else None
    else:
        number = before[0]
        suffix = suffix_between(before[1], following[1] if following[0] == number else None)
    if suffix is None or clauses.filter(number=number, number_suffix=suffix).exists():
        if following[2] == section.pk:
            part = section.is_preamble
            then = paragraph_ref(following[0], following[1], preambular=part)
            if before is None:
                message = _(
                    "No number fits before %(next)s until a revision renumbers the text: "
                    "choose another place, such as after %(next)s."
                ) % {"next": then}
            else:
                message = _(
                    "No number fits between %(previous)s and %(next)s until a revision renumbers the text: "
                    "choose another place, such as after %(next)s."
                ) % {"previous": paragraph_ref(before[0], before[1], preambular=part), "next": then}
            raise InvalidInput(message, field="after")
        # A free label keeps every cited number where it is, and still reads at the end of the section.
        suffix = (clauses.filter(number=number).aggregate(m=Max("number_suffix"))["m"] or 0) + 1
    return number, suffix


def _paragraph_to_follow(section: Section, after: int | str | None) -> Clause | str | None:
    """What ``clause_create``'s ``after`` names: None (the end), ``AT_START``, or a paragraph of the
    text in ``section``; anything else is refused naming ``after``, a paragraph of another draft in
    the same words as one that does not exist."""
    if after is None or after == AT_START:
        return after
    if isinstance(after, bool) or not isinstance(after, int):
        raise InvalidInput(
            _("Give the id of a paragraph of the section, or “%(start)s”.") % {"start": AT_START}, field="after"
        )
    paragraph = Clause.objects.filter(pk=after, draft_id=section.draft_id).select_related("section").first()
    if paragraph is None:
        raise InvalidInput(_("No such paragraph in this draft."), field="after")
    if paragraph.status in OUT_OF_THE_TEXT:
        raise InvalidInput(
            # Translators: "%(paragraph)s" is a paragraph's number (OP3); "%(status)s" its status (rejected, withdrawn).
            _("%(paragraph)s has left the text (%(status)s): choose a paragraph of the text.")
            % {"paragraph": paragraph.ref, "status": str(paragraph.get_status_display()).lower()},
            field="after",
        )
    if paragraph.section_id != section.pk:
        raise InvalidInput(
            _(
                "%(paragraph)s is in “%(section)s”, not in “%(other)s”: "
                "choose a paragraph of the section the new one goes in."
            )
            % {"paragraph": paragraph.ref, "section": paragraph.section.title, "other": section.title},
            field="after",
        )
    return paragraph


@transaction.atomic
def clause_create(
    *,
    draft: Draft,
    section_id: int,
    title: str,
    text: str,
    rationale: str = "",
    status: str = ClauseStatus.PROPOSED,
    speaking_as: str | None = None,
    after: int | str | None = None,
    by: User,
) -> Clause:
    """Add a clause to its section at version 1: at the end (``after=None``), at the start
    (``AT_START``) or right after the paragraph of the text whose id is ``after``, numbered as
    ``_number_placed`` says.

    Moderators add clauses at any time (and may set another starting status, as when a zero draft is
    loaded); participants propose them once consultation rounds are open. A moderator's clause is
    the Chair's (the zero draft is the Chair's text) unless they speak for their delegation on it
    (``speaking_as="delegation"``).
    """
    standing_ = rules.standing(by, draft)
    subject = draft_subject(draft, standing_)
    rules.check("view", subject)
    rules.check("clause_add", subject)
    as_chair = acts_as_chair(subject, speaking_as)
    choose(status, ClauseStatus, field="status")
    if status != ClauseStatus.PROPOSED:
        rules.check("clause_set_status", subject)  # participants propose; a moderator decides status
    round_ = active_round(draft)
    round_ = round_ if round_ is not None and round_.phase == Phase.OPEN else None
    section = Section.objects.filter(pk=section_id, draft=draft).first()
    if section is None:
        raise InvalidInput(_("No such section in this draft."), field="section")
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
    rationale = clean_text(rationale, field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False)
    lock_draft(draft)
    # Read under the lock: the paragraph followed, and the numbers around it, are as they stand now.
    number, suffix = _number_placed(section, after=_paragraph_to_follow(section, after))
    clause = Clause(
        draft=draft,
        section=section,
        number=number,
        number_suffix=suffix,
        preambular=section.is_preamble,
        title=title,
        text=text,
        text_html=render_markdown(text),
        rationale=rationale,
        status=status,
        proposer=by,
        proposed_as_chair=as_chair,
        round=round_,
        version=1,
    )
    agreed_without_brackets(clause)
    reason = "Clause proposed" if status == ClauseStatus.PROPOSED else "Clause added"
    save_with_history(clause, by=by, reason=reason, history={"history_as_chair": as_chair})
    notifications.follow(user=by, clause=clause)
    if round_ is not None and status == ClauseStatus.PROPOSED:
        notifications.notify(
            kind="clause_proposed",
            draft=draft,
            actor=by,
            followers_of_draft=True,
            moderators=True,
            message=f"{notifications.who(by, draft_id=draft.pk, round_=round_, as_chair=as_chair)} proposed clause {clause.ref} "
            f"“{clause.title}” in {draft.title}; it awaits review.",
            url=reverse("clause-detail", args=[clause.pk]),
        )
    return clause


def agreed_without_brackets(clause: Clause) -> None:
    """A paragraph whose words still hold square brackets is not agreed: 409 naming the brackets."""
    if clause.status != ClauseStatus.AGREED:
        return
    held = square_brackets(clause.text)
    if held:
        shown = ", ".join(f"“{passage if len(passage) <= 60 else passage[:57] + '…]'}”" for passage in held[:5])
        if len(held) > 5:
            message = ngettext(
                # Translators: "%(brackets)s" lists the first five bracketed passages, each in quotation marks.
                "%(paragraph)s cannot be agreed while its text holds square brackets: %(brackets)s and %(more)d "
                "more. Settle the bracketed words first, or keep the paragraph bracketed.",
                "%(paragraph)s cannot be agreed while its text holds square brackets: %(brackets)s and %(more)d "
                "more. Settle the bracketed words first, or keep the paragraph bracketed.",
                len(held) - 5,
            ) % {"paragraph": clause.ref, "brackets": shown, "more": len(held) - 5}
        else:
            message = _(
                # Translators: "%(brackets)s" lists the bracketed passages, each in quotation marks.
                "%(paragraph)s cannot be agreed while its text holds square brackets: %(brackets)s. "
                "Settle the bracketed words first, or keep the paragraph bracketed."
            ) % {"paragraph": clause.ref, "brackets": shown}
        raise Conflict(message, field="status", brackets=held)


def save_new_version(clause: Clause, *, by: User, reason: str, as_chair: bool, on_proposal_of=None) -> Clause:
    """``as_chair``: the change is the Chair's (a moderator's edit), as the history will name it;
    ``on_proposal_of``: the delegation (an organization) whose proposal the Chair took."""
    clause.version += 1
    clause.text_html = render_markdown(clause.text)
    history = {"history_as_chair": as_chair, "history_on_proposal_of": on_proposal_of if as_chair else None}
    save_with_history(clause, by=by, reason=reason, history=history)
    return clause


def _proposing_delegation(subject, clause: Clause, organization_id: int | None) -> Organization | None:
    """The delegation a Chair's change is made on the proposal of (None: the Chair's own). Only the
    Chair names one, and only a delegation taking part in the draft."""
    if organization_id is None:
        return None
    rules.check("speak_as_chair", subject)
    found = delegations_in(clause.draft_id).filter(pk=organization_id).first()
    if found is None:
        raise InvalidInput(_("No such delegation takes part in this draft."), field="on_proposal_of")
    return found


def _chairs_change(clause: Clause, by: User, standing_: str) -> bool:
    """A change of a clause is the Chair's when a moderator makes it, except to their own proposal
    made for their delegation, which stays theirs."""
    if standing_ not in rules.MODERATORS:
        return False
    return clause.proposed_as_chair or clause.proposer_id != by.pk


@transaction.atomic
def clause_update(
    *,
    clause_id: int,
    version: int | None,
    by: User,
    title: str | None = None,
    text: str | None = None,
    status: str | None = None,
    section_id: int | None = None,
    reason: str = "",
    on_proposal_of: int | None = None,
) -> Clause:
    """Change a clause as a new version, only if nobody changed it since ``version``. A moderator
    may name the delegation (``on_proposal_of``, an organization id) whose proposal the change
    takes, as the Chair does editing in the room: the version is the Chair's, on that proposal.

    Holds the clause's row lock from the version check to the save, so of two editors who read the
    same version one wins and the other gets a Conflict carrying the current version: nothing is
    overwritten unseen.
    """
    clause, standing_ = clause_for(by, clause_id, for_update=True)
    subject = clause_subject(by, clause, standing_)
    if (status is not None and status != clause.status) or (section_id is not None and section_id != clause.section_id):
        rules.check("clause_set_status", subject)  # first: a proposer is told it is not theirs, not "later"
    rules.check("clause_edit", subject)
    if (title is not None and title.strip() != clause.title) or (text is not None and text.strip() != clause.text):
        rules.check("clause_reword", subject)
    proposing = _proposing_delegation(subject, clause, on_proposal_of)
    if version is None:
        raise InvalidInput(_("Send the version your change is based on."), field="version")
    if version != clause.version:
        raise Conflict(
            _(
                "Clause %(clause)s was changed by someone else (now version %(version)s); "
                "review the current text and apply your change again."
            )
            % {"clause": clause.ref, "version": clause.version},
            current_version=clause.version,
        )
    changed = []
    if title is not None:
        new_title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
        if new_title != clause.title:
            clause.title, changed = new_title, [*changed, "title"]
    if text is not None:
        new_text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
        if new_text != clause.text:
            clause.text, changed = new_text, [*changed, "text"]
    renumber = False
    if status is not None and status != clause.status:
        # Back into the text from rejected or withdrawn: the number it kept may be the text's now.
        renumber = clause.status in OUT_OF_THE_TEXT and status not in OUT_OF_THE_TEXT
        clause.status, changed = choose(status, ClauseStatus, field="status"), [*changed, "status"]
    if section_id is not None and section_id != clause.section_id:
        section = Section.objects.filter(pk=section_id, draft_id=clause.draft_id).first()
        if section is None:
            raise InvalidInput(_("No such section in this draft."), field="section")
        # Into the other part, it takes a number there (PP3 bis) as any clause added to that section.
        renumber = renumber or section.is_preamble != clause.preambular
        clause.preambular = section.is_preamble
        clause.section, changed = section, [*changed, "section"]
    if renumber and clause.status not in OUT_OF_THE_TEXT:
        lock_draft(clause.draft)
        clause.number, clause.number_suffix = _number_placed(clause.section)
    if not changed:
        return clause
    agreed_without_brackets(clause)
    reason = clean_text(reason, field="reason", limit=1000, required=False) or f"Changed {', '.join(changed)}"
    as_chair = proposing is not None or _chairs_change(clause, by, standing_)
    return save_new_version(clause, by=by, reason=reason, as_chair=as_chair, on_proposal_of=proposing)


@transaction.atomic
def clause_revert(*, clause_id: int, to_version: int, reason: str, by: User) -> Clause:
    """Bring back an earlier version's title and text as a new version; history is never rewritten."""
    clause, standing_ = clause_for(by, clause_id, for_update=True)
    rules.check("clause_revert", rules.Subject(standing_))
    reason = clean_text(reason, field="reason", limit=1000)
    if to_version == clause.version:
        raise Conflict(
            _("Clause %(clause)s is already at version %(version)s.") % {"clause": clause.ref, "version": to_version},
            current_version=clause.version,
        )
    old = clause_version(clause, to_version)
    clause.title, clause.text = old.title, old.text
    agreed_without_brackets(clause)
    reason = f"Reverted to version {to_version}: {reason}"
    return save_new_version(clause, by=by, reason=reason, as_chair=_chairs_change(clause, by, standing_))
