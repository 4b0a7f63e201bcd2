"""Pages of a draft's text in the other official languages: a paragraph beside its translation
(with the translation's standing, the original's changes since it, and the translator's form), and
the moderators' page of who translates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codeofconduct.errors import Conflict, DomainError, NotAllowed
from codeofconduct.forms import add_domain_error

from .. import rules, selectors, services
from ..forms import TranslationForm, TranslatorForm
from ..models import Language, language_name, text_direction
from ..selectors.translations import (
    OUTDATED,
    changes_since,
    clause_translation,
    target_languages,
    translate_subject,
    translators_of,
)
from ..services.translations import target_language


@require_http_methods(["GET", "POST"])
def clause_translation_page(request, clause_id: int, language: str):
    """The original and its translation side by side; a translator (or moderator) writes it here."""
    clause, standing = selectors.clause_for(request.user, clause_id)
    language = target_language(clause.draft, language)
    may_translate = rules.allowed("translate", translate_subject(request.user, clause, standing, language))
    form, status, refusal = None, 200, None
    seen = None  # the version a translator worked from, when the original moved on meanwhile
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = TranslationForm(request.POST, language=language)
        status = 400
        if form.is_valid():
            try:
                services.translation_save(clause_id=clause.id, language=language, by=request.user, **form.cleaned_data)
            except Conflict as exc:
                # Keep what they typed, show what changed since the version they worked from; the
                # next save goes against the version now beside it.
                seen = form.cleaned_data["of_version"]
                form = TranslationForm(
                    {**request.POST.dict(), "of_version": exc.extra["current_version"]}, language=language
                )
                form.is_valid()
                form.add_error(None, exc.message)
                status = 409
            except NotAllowed as exc:
                refusal, status, form = exc.message, 403, None
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Saved: the %(language)s text of version %(version)d.")
                    % {"language": Language(language).label, "version": clause.version},
                )
                return redirect("clause-translation", clause_id=clause.id, language=language)
    translation, standing_of = clause_translation(clause, language)
    if seen is None and standing_of.state == OUTDATED:
        seen = standing_of.of_version
    if may_translate and form is None and refusal is None:
        initial = {"of_version": clause.version}
        if translation is not None:
            initial |= {"title": translation.title, "text": translation.text}
        form = TranslationForm(initial=initial, language=language)
    context = {
        "draft": clause.draft,
        "clause": clause,
        "language": language,
        "language_name": Language(language).label,
        "original_name": language_name(clause.draft.original_language),
        "translation": translation,
        "standing": standing_of,
        "changes": changes_since(clause, seen, visible=True),
        "changes_from": seen,
        "direction": text_direction(language),
        "original_direction": text_direction(clause.draft.original_language),
        "languages": target_languages(clause.draft),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "drafting/translation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_translators(request, slug: str):
    """Who translates the draft into which language; moderators appoint and release them here."""
    draft, standing = selectors.draft_for(request.user, slug)
    rules.check("translator_appoint", rules.Subject(standing))
    members = list(selectors.draft_members(draft).order_by("user__username"))
    languages = target_languages(draft)
    form, status = TranslatorForm(members=members, languages=languages), 200
    if request.method == "POST":
        form = TranslatorForm(request.POST, members=members, languages=languages)
        status = 400
        if form.is_valid():
            try:
                data = form.cleaned_data
                _translator, created = services.translator_appoint(
                    draft=draft, user_id=data["user"], language=data["language"], by=request.user
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Appointed.") if created else _("Appointed already."))
                return redirect("draft-translators", slug=draft.slug)
    context = {"draft": draft, "translators": translators_of(draft), "form": form}
    return render(request, "drafting/translators.html", context, status=status)


@login_required
@require_POST
def draft_translator_remove(request, slug: str, translator_id: int):
    draft, _standing = selectors.draft_for(request.user, slug)
    services.translator_remove(draft=draft, translator_id=translator_id, by=request.user)
    messages.success(request, _("No longer a translator of this draft."))
    return redirect("draft-translators", slug=draft.slug)
