"""A draft's text in the other official languages: who translates it, and each paragraph's
translation, which records the version of the original it translates (``ClauseTranslation``)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput, NotFound
from codeofconduct.history import save_with_history
from codeofconduct.languages import recorded

from .. import rules
from ..markdown import render_markdown
from ..models import ClauseTranslation, Draft, DraftMembership, Language, Translator
from ..selectors import clause_for
from ..selectors.translations import target_languages, translate_subject
from .common import choose, clean_text, lock_draft


def target_language(draft: Draft, language: str) -> str:
    """``language`` if the draft's text may be translated into it (``target_languages``: the six but
    its original's); 404 otherwise, as for a page that does not exist."""
    languages = target_languages(draft)
    if language not in languages:
        raise NotFound(
            # Translators: "%(languages)s" lists language codes ("fr, es, ru").
            _("No such language for this draft's text: it is translated into %(languages)s.")
            % {"languages": ", ".join(languages)}
        )
    return language


@transaction.atomic
def translator_appoint(*, draft: Draft, user_id: int, language: str, by: User) -> tuple[Translator, bool]:
    """Appoint a member of the draft to translate its text into a language; returns the appointment
    and whether it is new (appointed again: nothing changes)."""
    rules.check("translator_appoint", rules.Subject(rules.standing(by, draft)))
    choose(language, Language, field="language")
    if language not in target_languages(draft):  # one of the six, so the original's
        raise InvalidInput(
            _("%(language)s is this draft's original language.") % {"language": Language(language).label},
            field="language",
        )
    lock_draft(draft)  # two appointments of the same person at once: one, not a clash at the constraint
    if not DraftMembership.objects.filter(draft=draft, user_id=user_id, user__is_active=True).exists():
        raise InvalidInput(_("Only a member of this draft can translate it; give them a role first."), field="user")
    found = Translator.objects.filter(draft=draft, user_id=user_id, language=language).first()
    if found is not None:
        return found, False
    translator = Translator(draft=draft, user_id=user_id, language=language, appointed_by=by)
    with recorded():
        reason = f"Appointed translator into {Language(language).label}"
    save_with_history(translator, by=by, reason=reason)
    return translator, True


def translators_release(*, draft: Draft, user_id: int, by: User) -> None:
    """A person who leaves a draft translates it no more (their translations stay, with their history)."""
    for translator in Translator.objects.select_for_update().filter(draft=draft, user_id=user_id):
        translator._history_user, translator._change_reason = by, "Left the draft"
        translator.delete()


@transaction.atomic
def translator_remove(*, draft: Draft, translator_id: int, by: User) -> None:
    rules.check("translator_appoint", rules.Subject(rules.standing(by, draft)))
    translator = Translator.objects.select_for_update().filter(draft=draft, pk=translator_id).first()
    if translator is None:
        raise NotFound(_("No such translator of this draft."))
    translator._history_user = by
    with recorded():
        translator._change_reason = f"No longer translates into {translator.get_language_display()}"
    translator.delete()


@transaction.atomic
def translation_save(
    *, clause_id: int, language: str, of_version: int, title: str, text: str, by: User
) -> tuple[ClauseTranslation, bool]:
    """Write a paragraph's translation of the original's current version ``of_version``; a version
    that is no longer the current one is refused (409 with ``current_version``), so a translation
    is never recorded as current for a text its translator did not see. Returns it and whether it
    is new."""
    clause, standing = clause_for(by, clause_id, for_update=True)  # one translator at a time
    language = target_language(clause.draft, language)
    rules.check("translate", translate_subject(by, clause, standing, language))
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    text = clean_text(text, field="text", limit=settings.MAX_CLAUSE_TEXT)
    if of_version != clause.version:
        raise Conflict(
            _(
                "The original of %(clause)s is at version %(version)s now; translate that version "
                "(its changes since version %(since)s are shown beside it)."
            )
            % {"clause": clause.ref, "version": clause.version, "since": of_version},
            current_version=clause.version,
        )
    translation = ClauseTranslation.objects.filter(clause=clause, language=language).first()
    created = translation is None
    if created:
        translation = ClauseTranslation(clause=clause, language=language)
    elif (translation.title, translation.text, translation.of_version) == (title, text, of_version):
        return translation, False  # the same words for the same version: nothing to record
    translation.title, translation.text, translation.of_version = title, text, of_version
    translation.text_html = render_markdown(text)
    translation.translated_by = by
    save_with_history(translation, by=by, reason=f"Translation of version {of_version}")
    return translation, created
