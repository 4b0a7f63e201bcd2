"""Pages of a draft: the home list, creating, reading and managing a draft."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.selectors import mark_speaking_for
from codeofconduct import fragments
from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number

from .. import rules, selectors, services
from ..forms import ClauseForm, DraftForm, DraftSettingsForm, MemberForm, SectionEditForm, SectionForm
from ..models import Clause, Role, SectionKind
from ..selectors import reading, translations
from ..selectors.join_requests import join_requests_pending
from ..selectors.overview import drafts_for_home
from ..services.visits import catch_up_start, record_visit
from .join_requests import join_context


def home(request):
    drafts = Paginator(drafts_for_home(selectors.drafts_visible_to(request.user)), 20).get_page(request.GET.get("page"))
    may_create = rules.allowed("draft_create", rules.Subject(rules.standing(request.user)))
    return render(
        request,
        "drafting/home.html",
        {"drafts": drafts, "draft_form": DraftForm() if may_create else None, "can_create_draft": may_create},
    )


@login_required
def draft_create(request):
    rules.check("draft_create", rules.Subject(rules.standing(request.user)))
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(**form.cleaned_data, by=request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Draft created. Add its sections and clauses."))
            return redirect("draft-manage", slug=draft.slug)
    return render(request, "drafting/draft_form.html", {"form": form}, status=400 if form.errors else 200)


def _catch_up(draft) -> dict | None:
    """The banner "N clauses changed since your last visit (date)": one count on the index of the
    clauses' last changes, only for a reader with a visit to start from. The changes page lists
    everything else that changed (amendments, comments, rounds); the draft page always links there."""
    start = catch_up_start(draft.visit_seen_at, draft.visit_last_viewed_at)
    if start is None:
        return None
    changed = Clause.objects.filter(draft=draft, updated_at__gt=start).count()
    return {"since": start, "clauses": changed} if changed else None


def draft_detail(request, slug):
    draft, standing, round_ = reading.draft_reading(request.user, slug)
    # The visit record came with the draft: at most one write a minute, and no query for the banner.
    # A page open in a tab that keeps itself current (live.js) is not a visit: what changed while
    # the person was away stays theirs to catch up on.
    if "X-Live-Refresh" not in request.headers:
        record_visit(request.user, draft, last_viewed_at=draft.visit_last_viewed_at)
    subject = selectors.draft_subject(draft, standing, phase=round_.phase if round_ is not None else rules.NO_ROUND)
    text_reading = translations.reading(
        draft,
        interface=get_language(),
        asked_language=request.GET.get("lang", ""),
        asked_mode=request.GET.get("text", ""),
    )
    response = render(
        request,
        "drafting/draft_detail.html",
        {
            "draft": draft,
            "text_reading": text_reading,
            "draft_text": mark_safe(fragments.MARK),  # noqa: S308 - a constant, replaced below
            "standing": standing,
            "can": rules.abilities(subject, "draft_manage", "clause_add"),
            "round": round_,
            "following": selectors.follows(request.user, draft=draft),
            "join": join_context(request.user, draft, standing),
            "catch_up": _catch_up(draft),
        },
    )
    return fragments.page_with(request, response, draft_text(draft, text_reading))


def draft_text(draft, text_reading: translations.Reading | None = None) -> fragments.SharedText:
    """The draft's sections and clauses as HTML, rendered (and compressed) once per state of the text.

    The key is the text's stamp (``reading.text_stamp``: its clauses' count and last change, its
    sections' count and last change, its translations' count and last change), the interface's
    language and how the text is read (``translations.Reading``), read on every request, so every web node
    sees a change at once; the text itself comes from the shared cache (whose keys start with the
    release, so a new template is a new text), else it is rendered (two more queries) and stored there.
    """
    text_reading = text_reading or translations.reading(draft, interface=settings.LANGUAGE_CODE, asked_mode="original")
    return fragments.SharedText(
        caches[settings.RENDERS],
        f"draft-text:{draft.pk}:{get_language()}:{text_reading.key}:{reading.text_stamp(draft)}",
        lambda: render_to_string("drafting/_draft_text.html", _text_context(draft, text_reading)),
        timeout=settings.DRAFT_TEXT_CACHE_SECONDS,
    )


def _text_context(draft, text_reading: translations.Reading) -> dict:
    """The draft's text, and for each paragraph its translation into the reader's language with
    its standing when they read one (``clause.translated``: ``(translation or None, standing)``)."""
    draft = selectors.draft_with_text(draft)
    if text_reading.language is not None:
        clauses = [clause for section in draft.ordered_sections for clause in section.in_the_text]
        found = translations.text_translations(clauses, text_reading.language)
        for clause in clauses:
            clause.translated = found[clause.pk]
    return {"draft": draft, "text_reading": text_reading}


MANAGE_FORMS = {
    "settings": DraftSettingsForm,
    "section": SectionForm,
    "section_edit": SectionEditForm,
    "clause": ClauseForm,
    "member": MemberForm,
}
SETTINGS_FIELDS = (
    "title",
    "summary",
    "visibility",
    "symbol",
    "original_language",
    "distribution",
    "issuing_body",
    "chair",
    "titles_in_text",
)


@login_required
def draft_manage(request, slug):
    """Moderators change the draft's settings and identity, add and edit sections, add clauses and
    appoint members here."""
    draft, standing = selectors.draft_for(request.user, slug)
    rules.check("draft_manage", rules.Subject(standing))
    forms = {
        "settings": DraftSettingsForm(
            prefix="settings", initial={name: getattr(draft, name) for name in SETTINGS_FIELDS}
        ),
        "section": SectionForm(prefix="section"),
        "clause": ClauseForm(prefix="clause", draft=draft, speaker=(request.user, draft, standing)),
        "member": MemberForm(prefix="member"),
    }
    sections = list(draft.sections.all())
    edited = None  # the section whose edit form was posted, to show it with what was typed
    status = 400 if request.method == "POST" else 200  # posted, yet not done: an unknown action or a bad form
    action = request.POST.get("action")
    if request.method == "POST" and action in MANAGE_FORMS:
        extra = {"draft": draft} if action in ("clause", "section_edit") else {}
        if action == "clause":
            extra["speaker"] = (request.user, draft, standing)
        prefix = "edit" if action == "section_edit" else action
        if action == "section_edit":
            edited = whole_number(request.POST.get("edit-section", ""))
            extra["auto_id"] = f"id_section{edited}_%s"
        form = forms[action] = MANAGE_FORMS[action](request.POST, prefix=prefix, **extra)
        if form.is_valid():
            try:
                return _manage_action(request, draft, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
                draft.refresh_from_db()  # the page names the draft as it is, not as refused
    section_forms = [
        (
            section,
            forms["section_edit"]
            if section.pk == edited
            else SectionEditForm(
                prefix="edit",
                draft=draft,
                auto_id=f"id_section{section.pk}_%s",
                initial={"section": section.pk, "title": section.title, "kind": section.kind},
            ),
        )
        for section in sections
    ]
    asking = list(join_requests_pending(draft))  # each named with whom they spoke for when asking
    mark_speaking_for((r, "speaking_for", r.user_id, r.created_at) for r in asking)
    context = {
        "draft": draft,
        "settings_form": forms["settings"],
        "section_form": forms["section"],
        "section_forms": section_forms,
        "clause_form": forms["clause"],
        "member_form": forms["member"],
        "members": selectors.draft_members(draft),
        "join_requests": asking,
    }
    return render(request, "drafting/draft_manage.html", context, status=status)


def _manage_action(request, draft, action: str, data: dict):
    if action == "settings":
        services.draft_update(draft=draft, by=request.user, **data)
        messages.success(request, _("Draft settings saved."))
        return redirect("draft-manage", slug=draft.slug)
    if action == "section":
        services.section_create(
            draft=draft, title=data["title"], kind=data["kind"] or SectionKind.OPERATIVE, by=request.user
        )
        messages.success(request, _("Section added."))
        return redirect("draft-manage", slug=draft.slug)
    if action == "section_edit":
        services.section_update(
            section_id=data["section"].pk, title=data["title"], kind=data["kind"] or None, by=request.user
        )
        messages.success(request, _("Section saved."))
        return redirect("draft-manage", slug=draft.slug)
    if action == "clause":
        clause = services.clause_create(
            draft=draft,
            section_id=data["section"].pk,
            title=data["title"],
            text=data["text"],
            rationale=data["rationale"],
            speaking_as=data.get("speaking_as"),
            after=data["after"],
            by=request.user,
        )
        messages.success(request, _("Clause %(ref)s added.") % {"ref": clause.ref})
        return redirect("clause-detail", clause_id=clause.pk)
    services.draft_member_set(draft=draft, user_id=data["user"].pk, role=data["role"], by=request.user)
    appointed = {
        Role.MODERATOR: _("%(user)s is now moderator of this draft."),
        Role.PARTICIPANT: _("%(user)s is now participant of this draft."),
        Role.OBSERVER: _("%(user)s is now observer of this draft."),
    }
    messages.success(request, appointed[data["role"]] % {"user": data["user"]})
    return redirect("draft-manage", slug=draft.slug)
