"""Every write to drafts and their members goes through here: a draft created, changed (title,
who may read it, its document identity), a person appointed to it or removed.

The API, the pages, the admin and the demo loader call these functions (and those of
``sections.py`` and ``clauses.py``), so each rule, each history entry and each refusal exists once.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from accounts import twofactor
from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from live import services as live_pages
from notifications import services as notifications

from .. import rules
from ..models import Distribution, Draft, DraftMembership, Role, Visibility
from .common import choose, clean_text
from .sections import section_create  # noqa: F401 - importing a draft file (documents/imports.py) takes it from here
from .translations import translators_release


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
    if "visibility" in changed:
        live_pages.access_changed(draft.pk)  # its open streams ask again who may follow them
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
            _(
                "A document symbol is capital letters, digits and / . - such as CCC/2026/L.1 "
                "(at most 60 characters; revisions add their own /Rev.N)."
            ),
            field="symbol",
        )
    if symbol_holder(symbol, draft) is not None:
        raise Conflict(_("Another draft already has the symbol %(symbol)s.") % {"symbol": symbol}, field="symbol")
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
            _("Give the original language as a language code such as en, fr or es."), field="original_language"
        )
    return language


@transaction.atomic
def draft_member_remove(*, draft: Draft, user_id: int, by: User) -> None:
    """Take a person's role in a draft away; their words and votes stay on record."""
    rules.check("member_appoint", rules.Subject(rules.standing(by, draft)))
    membership = DraftMembership.objects.select_for_update().filter(draft=draft, user_id=user_id).first()
    if membership is None:
        raise InvalidInput(_("This person has no role in this draft."), field="user")
    membership._history_user, membership._change_reason = by, f"Removed as {membership.role}"
    membership.delete()
    translators_release(draft=draft, user_id=user_id, by=by)


@transaction.atomic
def draft_member_set(*, draft: Draft, user_id: int, role: str, by: User) -> DraftMembership:
    """Appoint a person to a draft with a role, or change the role they have."""
    rules.check("member_appoint", rules.Subject(rules.standing(by, draft)))
    choose(role, Role, field="role")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput(_("No such person."), field="user")
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
