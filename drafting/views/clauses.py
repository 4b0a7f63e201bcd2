"""Pages of a clause: reading it with its versions and diff, editing, reverting, proposing a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codeofconduct.errors import Conflict, DomainError, NotAllowed, NotFound
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number

from .. import selectors, services
from ..diff import visible_word_diff
from ..forms import ClauseEditForm, ProposeForm, RevertForm, SuggestForm
from ..models import number_label, paragraph_ref
from ..selectors.cosponsors import cosponsor_panel
from ..selectors.pages import amendments_with_competition, clause_abilities, comments_context, vote_control
from ..selectors.suggestions import suggestions_on
from ..selectors.translations import clause_translations
from . import confirm
from .comments import comment_forms_context


def clause_detail(
    request,
    clause_id,
    *,
    edit_form=None,
    revert_form=None,
    suggest_form=None,
    comment_forms=None,
    refusal=None,
    status=200,
):
    clause, standing = selectors.clause_for(request.user, clause_id)
    history = list(selectors.clause_history(clause))
    for record in history:
        record.label = number_label(record.number, record.number_suffix)  # the number as cited then
        record.ref = paragraph_ref(record.number, record.number_suffix, preambular=record.preambular)
    by_version = {record.version: record for record in history}
    diff_from = whole_number(request.GET.get("from"), max(clause.version - 1, 1))
    diff_to = whole_number(request.GET.get("to"), clause.version)
    diff, diff_error = None, None
    if diff_from in by_version and diff_to in by_version:
        diff = visible_word_diff(by_version[diff_from].text_html, by_version[diff_to].text_html)
    else:
        diff_error = _("Choose two versions that exist.")
    can = clause_abilities(request.user, clause, standing)
    amendments = amendments_with_competition(clause)
    if can["clause_edit"] and edit_form is None:
        edit_form = ClauseEditForm(
            initial={"version": clause.version, "title": clause.title, "text": clause.text, "status": clause.status}
        )
    if edit_form is not None and not can["clause_set_status"]:
        del edit_form.fields["status"]
    if can["clause_revert"] and revert_form is None:
        revert_form = RevertForm()
    if can["amend"] and suggest_form is None:
        suggest_form = SuggestForm(initial={"version": clause.version}, speaker=(request.user, clause.draft, standing))
    context = {
        "clause": clause,
        "draft": clause.draft,
        "refusal": refusal,  # why what they just tried is not theirs to do, shown on the clause itself
        "history": history,
        "versions": [record.version for record in history],
        "diff": diff,
        "diff_from": diff_from,
        "diff_to": diff_to,
        "diff_error": diff_error,
        "can": can,
        "edit_form": edit_form if can["clause_edit"] else None,
        "revert_form": revert_form if can["clause_revert"] else None,
        "round": can["round"],
        "amendments": amendments,
        "suggestions": suggestions_on(clause, amendments),
        # A refused suggestion comes back with what was typed, even to someone who may not amend now.
        "suggest_form": suggest_form if can["amend"] or (suggest_form is not None and suggest_form.is_bound) else None,
        "next": request.get_full_path(),
        "following": selectors.follows(request.user, clause=clause),
        "proposal": clause,
        "kind": "clause",
        "cosponsoring": cosponsor_panel(request.user, clause, standing),
        "translations": clause_translations(clause),
        **vote_control(request.user, clause.draft, standing, "clause", clause),
        **comments_context(
            request.user,
            standing,
            clause=clause,
            named={"clauses": [clause], "history": history, "amendments": amendments},
            params=request.GET,
        ),
        **comment_forms_context(comment_forms, speaker=(request.user, clause.draft, standing)),
    }
    return render(request, "drafting/clause_detail.html", context, status=status)


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
    except Conflict as exc:
        if "current_version" in exc.extra:
            # Keep what they typed, and let the next save go against the current version once
            # they have seen it.
            form = ClauseEditForm({**request.POST.dict(), "version": exc.extra["current_version"]})
            form.is_valid()
        form.add_error(None, exc.message)
        return clause_detail(request, clause_id, edit_form=form, status=409)
    except NotAllowed as exc:
        return clause_detail(request, clause_id, refusal=exc.message, status=403)
    except DomainError as exc:
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, edit_form=form, status=exc.status_code)
    messages.success(request, _("Saved as a new version."))
    return redirect("clause-detail", clause_id=clause_id)


@login_required
@require_http_methods(["GET", "POST"])
def clause_revert(request, clause_id):
    if request.method == "GET":  # the revert form asks first: the redline of the revert, and its button
        return confirm.clause_revert(request, clause_id)
    form = RevertForm(request.POST)
    if not form.is_valid():
        return clause_detail(request, clause_id, revert_form=form, status=400)
    try:
        clause = services.clause_revert(clause_id=clause_id, by=request.user, **form.cleaned_data)
    except NotFound as exc:
        if not exc.extra.get("current_version"):
            raise  # the clause itself is not there for them
        add_domain_error(form, exc)  # no such version: say so on the form
        return clause_detail(request, clause_id, revert_form=form, status=404)
    except NotAllowed as exc:
        return clause_detail(request, clause_id, refusal=exc.message, status=403)
    except DomainError as exc:
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, revert_form=form, status=exc.status_code)
    messages.success(request, _("Reverted: now version %(version)d.") % {"version": clause.version})
    return redirect("clause-detail", clause_id=clause_id)


@login_required
def propose(request, slug):
    draft, standing = selectors.draft_for(request.user, slug)
    form = ProposeForm(request.POST or None, draft=draft, speaker=(request.user, draft, standing))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
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
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Clause %(ref)s proposed. It stays in square brackets until agreed.") % {"ref": clause.ref},
                )
                return redirect("clause-detail", clause_id=clause.pk)
    round_ = selectors.active_round(draft)
    return render(request, "drafting/propose.html", {"draft": draft, "form": form, "round": round_}, status=status)
