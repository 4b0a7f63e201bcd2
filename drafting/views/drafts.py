"""Pages of a draft: the home list, creating, reading and managing a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error

from .. import rules, selectors, services
from ..forms import ClauseForm, DraftForm, MemberForm, SectionForm


def home(request):
    drafts = Paginator(selectors.drafts_visible_to(request.user), 20).get_page(request.GET.get("page"))
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
            messages.success(request, "Draft created. Add its sections and clauses.")
            return redirect("draft-manage", slug=draft.slug)
    return render(request, "drafting/draft_form.html", {"form": form}, status=400 if form.errors else 200)


def draft_detail(request, slug):
    draft, standing = selectors.draft_for(request.user, slug)
    draft = selectors.draft_with_text(draft)
    round_ = selectors.current_round(draft)
    active = round_ if round_ is not None and round_.phase in ("open", "voting") else None
    subject = selectors.draft_subject(draft, standing, phase=selectors.phase_now(draft, active))
    return render(
        request,
        "drafting/draft_detail.html",
        {
            "draft": draft,
            "standing": standing,
            "can": rules.abilities(subject, "draft_manage", "clause_add"),
            "round": round_,
            "following": selectors.follows(request.user, draft=draft),
        },
    )


MANAGE_FORMS = {"section": SectionForm, "clause": ClauseForm, "member": MemberForm}


@login_required
def draft_manage(request, slug):
    """Moderators add sections and clauses and appoint members here."""
    draft, standing = selectors.draft_for(request.user, slug)
    rules.check("draft_manage", rules.Subject(standing))
    forms = {
        "section": SectionForm(prefix="section"),
        "clause": ClauseForm(prefix="clause", draft=draft),
        "member": MemberForm(prefix="member"),
    }
    status = 400 if request.method == "POST" else 200  # posted, yet not done: an unknown action or a bad form
    action = request.POST.get("action")
    if request.method == "POST" and action in MANAGE_FORMS:
        extra = {"draft": draft} if action == "clause" else {}
        form = forms[action] = MANAGE_FORMS[action](request.POST, prefix=action, **extra)
        if form.is_valid():
            try:
                return _manage_action(request, draft, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
    context = {
        "draft": draft,
        "section_form": forms["section"],
        "clause_form": forms["clause"],
        "member_form": forms["member"],
        "members": selectors.draft_members(draft),
    }
    return render(request, "drafting/draft_manage.html", context, status=status)


def _manage_action(request, draft, action: str, data: dict):
    if action == "section":
        services.section_create(draft=draft, title=data["title"], by=request.user)
        messages.success(request, "Section added.")
        return redirect("draft-manage", slug=draft.slug)
    if action == "clause":
        clause = services.clause_create(
            draft=draft,
            section_id=data["section"].pk,
            title=data["title"],
            text=data["text"],
            rationale=data["rationale"],
            by=request.user,
        )
        messages.success(request, f"Clause {clause.number} added.")
        return redirect("clause-detail", clause_id=clause.pk)
    services.draft_member_set(draft=draft, user_id=data["user"].pk, role=data["role"], by=request.user)
    messages.success(request, f"{data['user']} is now {data['role']} of this draft.")
    return redirect("draft-manage", slug=draft.slug)
