"""The vote control on a clause or amendment page (an htmx partial; a plain post without JavaScript)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codeofconduct.errors import DomainError

from .. import selectors, services
from ..selectors.pages import vote_control

ITEMS = {"clause": selectors.clause_for, "amendment": selectors.amendment_for}


@login_required
@require_POST
def vote(request, kind, item_id):
    if kind not in ITEMS:
        raise Http404("No such item.")
    item, standing = ITEMS[kind](request.user, item_id)
    draft = item.draft if kind == "clause" else item.clause.draft
    error, status = None, 200
    try:
        services.vote_cast(by=request.user, choice=request.POST.get("choice", ""), **{f"{kind}_id": item.id})
    except DomainError as exc:
        error, status = exc.message, exc.status_code
    if request.htmx:
        context = vote_control(request.user, draft, standing, kind, item)
        context["vote_error"] = error
        return render(request, "drafting/_vote.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Your vote is recorded. You can change it until the round closes.")
    return redirect(reverse(f"{kind}-detail", args=[item.id]) + "#vote")
