"""Every write to drafts, sections and clauses goes through here.

The API, the pages, the admin and the demo loader call these functions, so each rule, each history
entry and each refusal exists once.
"""

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.text import slugify

from accounts import services as accounts_services
from accounts import twofactor
from accounts.models import User
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
    Distribution,
    Draft,
    DraftMembership,
    Phase,
    Role,
    Section,
    SectionKind,
    Visibility,
    suffix_between,
)
from ..selectors import active_round, clause_for, clause_subject, clause_version, draft_subject
from .common import LARGEST_COUNT, acts_as_chair, choose, clean_text


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "draft"
    slug, n = base, 2
    while Draft.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def draft_create(*, title: str, summary: str = "", visibility: str = Visibility.PUBLIC, by: User) -> Draft:
    rules.check("draft_create", rules.Subject(rules.standing(by)))
    return new_draft(title=title, summary=summary, visibility=visibility, by=by)


def new_draft(*, title: str, summary: str, visibility: str, by: User) -> Draft:
    """Write a draft; the caller has checked that ``by`` may create it."""
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    summary = clean_text(summary, field="summary", limit=settings.MAX_SUMMARY, required=False)
    choose(visibility, Visibility, field="visibility")
    draft = Draft(title=title, summary=summary, visibility=visibility, slug=_unique_slug(title), created_by=by)
    save_with_history(draft, by=by, reason="Draft created")
    # Its symbol until a moderator sets one ("CCC/2026/L.12"), stored so no symbol typed later takes it.
    draft.symbol = _free_symbol(draft.document_symbol)
    Draft.objects.filter(pk=draft.pk).update(symbol=draft.symbol)
    return draft


def _free_symbol(symbol: str) -> str:
    """``symbol``, or, where another draft was given it already, the first free "symbol-2", "-3" ..."""
    candidate, n = symbol, 2
    while Draft.objects.filter(symbol=candidate).exists():
        candidate, n = f"{symbol}-{n}", n + 1
    return candidate


@transaction.atomic
def draft_update(
    *,
    draft: Draft,
    by: User,
    title=None,
    summary=None,
    visibility=None,
    symbol=None,
    original_language=None,
    distribution=None,
    issuing_body=None,
    chair=None,
    titles_in_text=None,
) -> Draft:
    """Change a draft's title, summary, who may read it, its document identity (symbol, original
    language, distribution, issuing body), how its Chair is named, or whether its circulated texts
    print paragraph titles; its address (slug) stays."""
    rules.check("draft_manage", rules.Subject(rules.standing(by, draft)))
    changed = []
    if symbol is not None and symbol.strip() != draft.symbol:
        draft.symbol, changed = _clean_symbol(symbol, draft), [*changed, "symbol"]
    if original_language is not None and original_language.strip() != draft.original_language:
        draft.original_language, changed = _clean_language(original_language), [*changed, "original language"]
    if distribution is not None and distribution != draft.distribution:
        draft.distribution = choose(distribution, Distribution, field="distribution")
        changed.append("distribution")
    if issuing_body is not None and issuing_body.strip() != draft.issuing_body:
        draft.issuing_body = clean_text(issuing_body, field="issuing_body", limit=200, one_line=True, required=False)
        changed.append("issuing body")
    if chair is not None and chair.strip() != draft.chair:
        draft.chair = clean_text(chair, field="chair", limit=200, one_line=True, required=False)
        changed.append("chair")
    if titles_in_text is not None and bool(titles_in_text) != draft.titles_in_text:
        draft.titles_in_text = bool(titles_in_text)
        changed.append("paragraph titles in the text" if titles_in_text else "paragraph titles left out of the text")
    if title is not None and title.strip() != draft.title:
        draft.title, changed = (
            clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True),
            [*changed, "title"],
        )
    if summary is not None and summary.strip() != draft.summary:
        draft.summary = clean_text(summary, field="summary", limit=settings.MAX_SUMMARY, required=False)
        changed.append("summary")
    if visibility is not None and visibility != draft.visibility:
        draft.visibility, changed = choose(visibility, Visibility, field="visibility"), [*changed, "visibility"]
    if changed:
        save_with_history(draft, by=by, reason=f"Changed {', '.join(changed)}")
    return draft


SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9./-]*[A-Z0-9]$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _clean_symbol(symbol: str, draft: Draft) -> str:
    """A UN-style document symbol: capitals, digits and the separators / . - ("CCC/2026/L.1"); no
    other draft has it, as it names the document on everything circulated. Blank: one is made up."""
    symbol = symbol.strip()
    if not symbol:
        return ""
    if len(symbol) > 60 or not SYMBOL.match(symbol) or "//" in symbol or "/REV." in symbol.upper():
        raise InvalidInput(
            "A document symbol is capital letters, digits and / . - such as CCC/2026/L.1 "
            "(at most 60 characters; revisions add their own /Rev.N).",
            field="symbol",
        )
    if symbol_holder(symbol, draft) is not None:
        raise Conflict(f"Another draft already has the symbol {symbol}.", field="symbol")
    return symbol


MADE_UP_SYMBOL = re.compile(r"^CCC/(\d{4})/L\.(\d{1,18})$")


def symbol_holder(symbol: str, draft: Draft | None) -> Draft | None:
    """The draft other than ``draft`` whose documents carry ``symbol``: stored, or made up for one
    that has none stored."""
    others = Draft.objects.exclude(pk=draft.pk) if draft is not None else Draft.objects.all()
    holder = others.filter(symbol=symbol).first()
    match = MADE_UP_SYMBOL.match(symbol)
    if holder is None and match is not None:
        year, pk = int(match.group(1)), int(match.group(2))
        holder = others.filter(pk=pk, symbol="", created_at__year=year).first()
    return holder


def _clean_language(language: str) -> str:
    language = language.strip()
    if not LANGUAGE.match(language):
        raise InvalidInput(
            "Give the original language as a language code such as en, fr or es.", field="original_language"
        )
    return language


@transaction.atomic
def draft_member_remove(*, draft: Draft, user_id: int, by: User) -> None:
    """Take a person's role in a draft away; their words and votes stay on record."""
    rules.check("member_appoint", rules.Subject(rules.standing(by, draft)))
    membership = DraftMembership.objects.select_for_update().filter(draft=draft, user_id=user_id).first()
    if membership is None:
        raise InvalidInput("This person has no role in this draft.", field="user")
    membership._history_user, membership._change_reason = by, f"Removed as {membership.role}"
    membership.delete()


@transaction.atomic
def draft_member_set(*, draft: Draft, user_id: int, role: str, by: User) -> DraftMembership:
    """Appoint a person to a draft with a role, or change the role they have."""
    rules.check("member_appoint", rules.Subject(rules.standing(by, draft)))
    choose(role, Role, field="role")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput("No such person.", field="user")
    membership = DraftMembership.objects.select_for_update().filter(draft=draft, user=user).first()
    if role == Role.MODERATOR:
        notifications.follow(user=user, draft=draft)  # moderators hear of everything awaiting review
        if not twofactor.is_privileged(user):
            accounts_services.privilege_granted(user=user, by=by, reason=f"Appointed moderator of {draft.title}")
    if membership is None:
        membership = DraftMembership(draft=draft, user=user, role=role)
        save_with_history(membership, by=by, reason=f"Appointed {role}")
    elif membership.role != role:
        membership.role = role
        save_with_history(membership, by=by, reason=f"Role changed to {role}")
    return membership


@transaction.atomic
def section_create(
    *, draft: Draft, title: str, position: int | None = None, kind: str = SectionKind.OPERATIVE, by: User
) -> Section:
    rules.check("section_add", rules.Subject(rules.standing(by, draft)))
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    choose(kind, SectionKind, field="kind")
    _lock_draft(draft)  # two sections added at once do not take the same place
    if position is None and kind == SectionKind.PREAMBLE:
        position = _end_of_preamble(draft, by=by)
    elif position is None:
        position = (Section.objects.filter(draft=draft).aggregate(m=Max("position"))["m"] or 0) + 1
    _check_position(position)
    _check_preamble_first(draft, kind, position)
    section = Section(draft=draft, title=title, position=position, kind=kind)
    save_with_history(section, by=by, reason="Section added")
    return section


def _end_of_preamble(draft: Draft, *, by: User) -> int:
    """The place for a new preamble section: after the preamble there is, before every operative
    section, which move one place down to make room (each with a history row)."""
    sections = list(Section.objects.select_for_update().filter(draft=draft).order_by("position", "id"))
    preamble = [s.position for s in sections if s.is_preamble]
    operative = [s for s in sections if not s.is_preamble]
    position = (max(preamble) + 1) if preamble else (operative[0].position if operative else 1)
    for later in operative:
        if later.position >= position:
            later.position += 1
            save_with_history(later, by=by, reason="Moved down to make room for a preamble section")
    return position


def _check_preamble_first(draft: Draft, kind: str, position: int, *, section_id: int | None = None) -> None:
    """The preamble reads before the operative part (UN paragraph style): a preamble section may not
    stand after an operative one, nor an operative section before the preamble."""
    others = Section.objects.filter(draft=draft).exclude(pk=section_id)
    if kind == SectionKind.PREAMBLE:
        first_operative = others.exclude(kind=SectionKind.PREAMBLE).aggregate(m=Min("position"))["m"]
        if first_operative is not None and position >= first_operative:
            raise InvalidInput(
                f"The preamble comes before the operative sections: give it a position below {first_operative}.",
                field="position",
            )
    else:
        last_preamble = others.filter(kind=SectionKind.PREAMBLE).aggregate(m=Max("position"))["m"]
        if last_preamble is not None and position <= last_preamble:
            raise InvalidInput(
                f"Operative sections come after the preamble: give it a position above {last_preamble}.",
                field="position",
            )


@transaction.atomic
def section_update(
    *, section_id: int, by: User, title: str | None = None, position: int | None = None, kind: str | None = None
) -> Section:
    section = Section.objects.select_for_update().select_related("draft").filter(pk=section_id).first()
    if section is None:
        raise InvalidInput("No such section.", field="section")
    rules.check("section_edit", rules.Subject(rules.standing(by, section.draft)))
    if title is not None:
        section.title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    if kind is not None and kind != section.kind:
        choose(kind, SectionKind, field="kind")
        if section.clauses.exists():
            # Its paragraphs would change their numbers (OP3 becoming PP5) under everyone citing them.
            raise Conflict(
                "This section has clauses: move them to a section of the other kind instead, "
                "so each takes its number there.",
                field="kind",
            )
        section.kind = kind
    if position is not None:
        _check_position(position)
        section.position = position
    if position is not None or kind is not None:
        _check_preamble_first(section.draft, section.kind, section.position, section_id=section.pk)
    save_with_history(section, by=by, reason="Section changed")
    return section


def _check_position(position: int) -> None:
    if not 0 <= position <= LARGEST_COUNT:
        raise InvalidInput(f"Position is a number from 0 to {LARGEST_COUNT:,}.", field="position")


def _lock_draft(draft: Draft) -> None:
    """Serialise clause numbering in one draft: the draft's row stays locked until the commit."""
    Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk", flat=True).get()


def _number_at_end_of(section: Section) -> tuple[int, int]:
    """``(number, suffix)`` for a clause added at the end of ``section``, so no cited number moves.

    Reading order is section position, then number and suffix, and the labels keep to it: the new
    clause takes the number of the clause before it in reading order with the next Latin word
    ("16 bis", then "16 ter"), or a letter when the next clause already has that word ("16 A"
    between 16 and 16 bis; see ``suffix_between``); after the last clause of the whole draft it takes
    the next plain number. With no clause before it (an empty first section) it takes the number
    before the first clause's, as negotiators write "OP0" for a paragraph put before OP1: 0 when the
    text starts at 1. A revision renumbers the text 1, 2, 3 in reading order (a round's close, or a
    snapshot while no round is open or voting); a paragraph out of the text holds no number of it. Call
    holding the draft's lock (``_lock_draft``).
    """
    # Numbers are the text's: a paragraph that left it (rejected, withdrawn) holds none.
    clauses = Clause.objects.filter(draft_id=section.draft_id, preambular=section.is_preamble)
    clauses = clauses.exclude(status__in=OUT_OF_THE_TEXT)
    up_to_here = Q(section__position__lt=section.position) | Q(
        section__position=section.position, section_id__lte=section.pk
    )
    keys = ("number", "number_suffix")
    before = clauses.filter(up_to_here).order_by(*(f"-{key}" for key in READING_ORDER))
    after = clauses.exclude(up_to_here).order_by(*READING_ORDER)
    before, after = before.values_list(*keys).first(), after.values_list(*keys).first()
    if after is None:
        return (clauses.aggregate(m=Max("number"))["m"] or 0) + 1, 0
    if before is None:
        number, suffix = max(after[0] - 1, 0), 0 if after[0] > 0 or after[1] > 0 else None
    else:
        number = before[0]
        suffix = suffix_between(before[1], after[1] if after[0] == number else None)
    if suffix is None or clauses.filter(number=number, number_suffix=suffix).exists():
        # No label fits between its neighbours (26 letters used up, or numbers out of order):
        # a free one still keeps every cited number where it is.
        suffix = (clauses.filter(number=number).aggregate(m=Max("number_suffix"))["m"] or 0) + 1
    return number, suffix


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
    by: User,
) -> Clause:
    """Add a clause at the end of its section, at version 1, numbered as ``_number_at_end_of`` says.

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
        raise InvalidInput("No such section in this draft.", field="section")
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
    rationale = clean_text(rationale, field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False)
    _lock_draft(draft)
    number, suffix = _number_at_end_of(section)
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
        more = f" and {len(held) - 5} more" if len(held) > 5 else ""
        raise Conflict(
            f"{clause.ref} cannot be agreed while its text holds square brackets: {shown}{more}. "
            "Settle the bracketed words first, or keep the paragraph bracketed.",
            field="status",
            brackets=held,
        )


def save_new_version(clause: Clause, *, by: User, reason: str, as_chair: bool) -> Clause:
    """``as_chair``: the change is the Chair's (a moderator's edit), as the history will name it."""
    clause.version += 1
    clause.text_html = render_markdown(clause.text)
    save_with_history(clause, by=by, reason=reason, history={"history_as_chair": as_chair})
    return clause


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
) -> Clause:
    """Change a clause as a new version, only if nobody changed it since ``version``.

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
    if version is None:
        raise InvalidInput("Send the version your change is based on.", field="version")
    if version != clause.version:
        raise Conflict(
            f"Clause {clause.ref} was changed by someone else (now version {clause.version}); "
            "review the current text and apply your change again.",
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
            raise InvalidInput("No such section in this draft.", field="section")
        # Into the other part, it takes a number there (PP3 bis) as any clause added to that section.
        renumber = renumber or section.is_preamble != clause.preambular
        clause.preambular = section.is_preamble
        clause.section, changed = section, [*changed, "section"]
    if renumber and clause.status not in OUT_OF_THE_TEXT:
        _lock_draft(clause.draft)
        clause.number, clause.number_suffix = _number_at_end_of(clause.section)
    if not changed:
        return clause
    agreed_without_brackets(clause)
    reason = clean_text(reason, field="reason", limit=1000, required=False) or f"Changed {', '.join(changed)}"
    return save_new_version(clause, by=by, reason=reason, as_chair=_chairs_change(clause, by, standing_))


@transaction.atomic
def clause_revert(*, clause_id: int, to_version: int, reason: str, by: User) -> Clause:
    """Bring back an earlier version's title and text as a new version; history is never rewritten."""
    clause, standing_ = clause_for(by, clause_id, for_update=True)
    rules.check("clause_revert", rules.Subject(standing_))
    reason = clean_text(reason, field="reason", limit=1000)
    if to_version == clause.version:
        raise Conflict(f"Clause {clause.ref} is already at version {to_version}.", current_version=clause.version)
    old = clause_version(clause, to_version)
    clause.title, clause.text = old.title, old.text
    agreed_without_brackets(clause)
    reason = f"Reverted to version {to_version}: {reason}"
    return save_new_version(clause, by=by, reason=reason, as_chair=_chairs_change(clause, by, standing_))
