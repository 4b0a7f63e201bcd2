"""Pages of amendments: proposing one with its redline, suggesting one on the words, reading it, withdrawing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codeofconduct.errors import Conflict, DomainError, NotAllowed
from codeofconduct.forms import add_domain_error

from .. import quotes, selectors, services
from ..forms import AmendmentForm, SuggestForm
from ..selectors.cosponsors import cosponsor_panel
from ..selectors.pages import amendment_abilities, amendments_with_competition, comments_context, vote_control
from . import confirm
from .clauses import clause_detail
from .comments import comment_forms_context


@login_required
def amend(request, clause_id):
    clause, standing = selectors.clause_for(request.user, clause_id)
    form = AmendmentForm(
        request.POST or None, initial={"text": clause.text}, speaker=(request.user, clause.draft, standing)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                amendment = services.amendment_submit(
                    clause_id=clause.id,
                    by=request.user,
                    kind=data["kind"],
                    text=data["text"],
                    rationale=data["rationale"],
                    speaking_as=data.get("speaking_as"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Amendment submitted."))
                return redirect("amendment-detail", amendment_id=amendment.pk)
    round_ = selectors.active_round(clause.draft)
    return render(
        request,
        "drafting/amend.html",
        {"clause": clause, "draft": clause.draft, "form": form, "round": round_},
        status=status,
    )


@login_required
@require_POST
def suggest(request, clause_id):
    """Suggest on the words (the clause page's form): refused, the clause page again with what was typed."""
    clause, standing = selectors.clause_for(request.user, clause_id)
    form = SuggestForm(request.POST, speaker=(request.user, clause.draft, standing))
    if not form.is_valid():
        return clause_detail(request, clause_id, suggest_form=form, status=400)
    data = form.cleaned_data
    try:
        amendment = services.amendment_suggest(
            clause_id=clause.id,
            by=request.user,
            version=data["version"],
            quote=data["quote"],
            replacement=data["replacement"],
            occurrence=data["occurrence"],
            rationale=data["rationale"],
            speaking_as=data.get("speaking_as"),
        )
    except NotAllowed as exc:  # told why on the clause, their words kept in the form
        return clause_detail(request, clause_id, suggest_form=form, refusal=exc.message, status=403)
    except DomainError as exc:
        if isinstance(exc, Conflict) and "current_version" in exc.extra:
            # The words are to be found again in the text as it reads now: keep what they typed.
            kept = {**request.POST.dict(), "version": exc.extra["current_version"], "occurrence": ""}
            form = SuggestForm(kept, speaker=(request.user, clause.draft, standing))
            form.is_valid()
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, suggest_form=form, status=exc.status_code)
    messages.success(request, _("Your suggestion is amendment %(id)s.") % {"id": amendment.pk})
    return redirect(f"{reverse('clause-detail', args=[clause_id])}#suggestion-{amendment.pk}")


def amendment_detail(request, amendment_id, *, comment_forms=None, status=200):
    amendment, standing = selectors.amendment_for(request.user, amendment_id)
    clause = amendment.clause
    siblings = amendments_with_competition(clause)
    competes_with = next(a.competes_with for a in siblings if a.id == amendment.id)
    vote = vote_control(request.user, clause.draft, standing, "amendment", amendment)
    context = {
        "amendment": amendment,
        "clause": clause,
        "draft": clause.draft,
        "redline": quotes.amendment_redline(amendment),
        "competing": [a for a in siblings if a.id in competes_with],
        "outdated": amendment.base_version != clause.version,
        "can": amendment_abilities(request.user, amendment, standing, vote["vote_round"]),
        "next": request.get_full_path(),
        "proposal": amendment,
        "kind": "amendment",
        "cosponsoring": cosponsor_panel(request.user, amendment, standing),
        **vote,
        **comments_context(
            request.user,
            standing,
            amendment=amendment,
            named={"amendments": [amendment, *siblings]},
            params=request.GET,
        ),
        **comment_forms_context(comment_forms, speaker=(request.user, amendment.clause.draft, standing)),
    }
    return render(request, "drafting/amendment_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def amendment_withdraw(request, amendment_id):
    if request.method == "GET":  # asks first: what withdrawing does, and its button
        return confirm.amendment_withdraw(request, amendment_id)
    try:
        services.amendment_withdraw(amendment_id=amendment_id, by=request.user)
    except Conflict as exc:  # no longer submitted, or frozen while voting: say so on its page
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Amendment withdrawn."))
    return redirect("amendment-detail", amendment_id=amendment_id)
