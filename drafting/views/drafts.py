"""The pages. Each action calls the same service as the API, and refusals become form errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from codeofconduct.errors import Conflict, DomainError, NotFound
from codeofconduct.forms import add_domain_error

from .. import permissions, selectors, services
from ..competing import competing_amendments
from ..diff import word_diff
from ..forms import ClauseEditForm, ClauseForm, DraftForm, MemberForm, RevertForm, SectionForm
from ..models import ClauseStatus, Phase, Role
from ..services.amendments import AMENDING_STANDINGS


def _draft_or_404(user, slug):
    try:
        return selectors.draft_for(user, slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _clause_or_404(user, clause_id):
    try:
        return selectors.clause_for(user, clause_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def home(request):
    drafts = Paginator(selectors.drafts_visible_to(request.user), 20).get_page(request.GET.get("page"))
    form = DraftForm() if permissions.can_create_draft(request.user) else None
    return render(request, "drafting/home.html", {"drafts": drafts, "draft_form": form})


@login_required
def draft_create(request):
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(**form.cleaned_data, by=request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Draft created. Add its sections and clauses.")
            return redirect("draft-manage", slug=draft.slug)
    if not permissions.can_create_draft(request.user):
        return render(request, "403.html", {"message": "Only an administrator can create drafts."}, status=403)
    return render(request, "drafting/draft_form.html", {"form": form}, status=400 if form.errors else 200)


def draft_detail(request, slug):
    draft, standing = _draft_or_404(request.user, slug)
    draft = selectors.draft_with_text(draft)
    return render(
        request,
        "drafting/draft_detail.html",
        {
            "draft": draft,
            "standing": standing,
            "can_moderate": permissions.can_moderate(standing),
            "can_propose": standing in AMENDING_STANDINGS,
            "round": selectors.current_round(draft),
            "following": selectors.follows(request.user, draft=draft),
        },
    )


@login_required
def draft_manage(request, slug):
    """Moderators add sections and clauses and appoint members here."""
    draft, standing = _draft_or_404(request.user, slug)
    if not permissions.can_moderate(standing):
        return render(request, "403.html", {"message": "Only a moderator of this draft can manage it."}, status=403)
    section_form = SectionForm(prefix="section")
    clause_form = ClauseForm(prefix="clause", draft=draft)
    member_form = MemberForm(prefix="member")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "section":
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.section_create(draft=draft, title=section_form.cleaned_data["title"], by=request.user)
                    messages.success(request, "Section added.")
                    return redirect("draft-manage", slug=slug)
            elif action == "clause":
                clause_form = ClauseForm(request.POST, prefix="clause", draft=draft)
                if clause_form.is_valid():
                    data = clause_form.cleaned_data
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
            elif action == "member":
                member_form = MemberForm(request.POST, prefix="member")
                if member_form.is_valid():
                    data = member_form.cleaned_data
                    services.draft_member_set(draft=draft, user_id=data["user"].pk, role=data["role"], by=request.user)
                    messages.success(request, f"{data['user']} is now {data['role']} of this draft.")
                    return redirect("draft-manage", slug=slug)
        except DomainError as exc:
            form = {"section": section_form, "clause": clause_form, "member": member_form}[action]
            add_domain_error(form, exc)
            status = exc.status_code
        if status == 200:
            status = 400
    return render(
        request,
        "drafting/draft_manage.html",
        {
            "draft": draft,
            "section_form": section_form,
            "clause_form": clause_form,
            "member_form": member_form,
            "members": selectors.draft_members(draft),
        },
        status=status,
    )


def _version_param(request, name, default):
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else default


def clause_detail(request, clause_id, *, edit_form=None, revert_form=None, comment_forms=None, status=200):
    from .participation import comments_context, vote_control

    clause, standing = _clause_or_404(request.user, clause_id)
    history = list(selectors.clause_history(clause))
    versions = [record.version for record in history]
    diff_from = _version_param(request, "from", max(clause.version - 1, 1))
    diff_to = _version_param(request, "to", clause.version)
    by_version = {record.version: record for record in history}
    diff = None
    diff_error = None
    if diff_from in by_version and diff_to in by_version:
        diff = word_diff(by_version[diff_from].text, by_version[diff_to].text)
    else:
        diff_error = "Choose two versions that exist."
    can_moderate = permissions.can_moderate(standing)
    round_ = selectors.active_round(clause.draft)
    is_proposer = (
        standing == Role.PARTICIPANT
        and clause.proposer_id == request.user.id
        and clause.status == ClauseStatus.PROPOSED
    )
    can_edit = can_moderate or (is_proposer and round_ is not None and round_.phase == Phase.OPEN)
    if can_edit and edit_form is None:
        edit_form = ClauseEditForm(
            initial={"version": clause.version, "title": clause.title, "text": clause.text, "status": clause.status}
        )
    if edit_form is not None and not can_moderate:
        del edit_form.fields["status"]
    if can_moderate and revert_form is None:
        revert_form = RevertForm()
    amendments = list(selectors.amendments_of(clause))
    competing = competing_amendments(amendments, clause.text)
    for amendment in amendments:
        amendment.competes_with = competing[amendment.id]
    return render(
        request,
        "drafting/clause_detail.html",
        {
            "clause": clause,
            "draft": clause.draft,
            "history": history,
            "versions": versions,
            "diff": diff,
            "diff_from": diff_from,
            "diff_to": diff_to,
            "diff_error": diff_error,
            "can_moderate": can_moderate,
            "edit_form": edit_form if can_edit else None,
            "revert_form": revert_form if can_moderate else None,
            "round": round_,
            "amendments": amendments,
            "can_amend": standing in AMENDING_STANDINGS
            and round_ is not None
            and round_.phase == Phase.OPEN
            and clause.status not in (ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN),
            "next": request.get_full_path(),
            "following": selectors.follows(request.user, clause=clause),
            **vote_control(request, clause.draft, standing, "clause", clause),
            **comments_context(request, standing, clause=clause, **(comment_forms or {})),
        },
        status=status,
    )


@login_required
@require_POST
def clause_edit(request, clause_id):
    form = ClauseEditForm(request.POST)
    if not form.is_valid():
        return clause_detail(request, clause_id, edit_form=form, status=400)
    data = form.cleaned_data
    try:
        services.clause_update(
            clause_id=clause_id,
            version=data["version"],
            by=request.user,
            title=data["title"],
            text=data["text"],
            status=data["status"] or None,
            reason=data["reason"],
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as exc:
        # Keep what they typed, and let the next save go against the current version once they
        # have seen it.
        form = ClauseEditForm({**request.POST.dict(), "version": exc.extra["current_version"]})
        form.is_valid()
        form.add_error(None, exc.message)
        return clause_detail(request, clause_id, edit_form=form, status=409)
    except DomainError as exc:
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, edit_form=form, status=exc.status_code)
    messages.success(request, "Saved as a new version.")
    return redirect("clause-detail", clause_id=clause_id)


@login_required
@require_POST
def clause_revert(request, clause_id):
    form = RevertForm(request.POST)
    if not form.is_valid():
        return clause_detail(request, clause_id, revert_form=form, status=400)
    try:
        clause = services.clause_revert(clause_id=clause_id, by=request.user, **form.cleaned_data)
    except NotFound as exc:
        if exc.extra.get("current_version"):
            add_domain_error(form, exc)
            return clause_detail(request, clause_id, revert_form=form, status=404)
        raise Http404(exc.message) from exc
    except DomainError as exc:
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, revert_form=form, status=exc.status_code)
    messages.success(request, f"Reverted: now version {clause.version}.")
    return redirect("clause-detail", clause_id=clause_id)
