"""The vote control on a clause or amendment page, the ballot and the side-by-side page (an htmx partial;
a plain post without JavaScript returns to the page it came from)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codeofconduct.errors import DomainError

from .. import selectors, services
from ..selectors.pages import vote_control
from .ballot import ballot_row
from .common import back

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
        if request.POST.get("ballot"):  # from the ballot: its row and the progress, as they now are
            return ballot_row(request, request.POST["ballot"], kind, item.id, error=error, status=status)
        context = vote_control(request.user, draft, standing, kind, item)
        context["vote_error"] = error
        if request.POST.get("vote_id") == f"vote-{kind}-{item.id}":  # one of several controls on a page
            context.update(vote_id=f"vote-{kind}-{item.id}", vote_round=None, vote_next=back(request, ""))
        return render(request, "drafting/_vote.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your vote is recorded. You can change it until the round closes."))
    return redirect(back(request, reverse(f"{kind}-detail", args=[item.id]) + "#vote"))
