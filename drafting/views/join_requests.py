"""Asking to join a draft (a button on the draft page) and the moderators' answer (on the manage page).

Only drafts the person can read take requests: a members-only draft is a 404 to outsiders, who are
appointed by its moderators instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error

from .. import selectors
from ..forms import JoinRequestForm
from ..models import Role
from ..selectors.join_requests import join_request_latest
from ..services import join_requests as services


def join_context(user, draft, standing: str, form=None) -> dict:
    """What the draft page shows a reader about joining: to a signed-in reader the join rule lets ask
    (no role yet, or an observer), their request (pending or last decided) or the form to ask; to
    anyone else, nothing."""
    if not selectors.may_ask_to_join(draft, standing):
        return {"standing": standing}
    latest = join_request_latest(user, draft)
    pending = latest is not None and latest.status == latest.Status.PENDING
    return {
        "standing": standing,
        "may_ask": True,
        "latest": latest,
        "pending": pending,
        "form": None if pending else form or JoinRequestForm(standing=standing),
    }


@login_required
def join_request(request, slug):
    """The form to ask (GET), and asking (POST); a refusal comes back here with what was typed."""
    draft, standing = selectors.draft_for(request.user, slug)
    form = JoinRequestForm(request.POST or None, standing=standing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.join_request_create(draft=draft, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request, _("Your request was sent to the draft's moderators; you will be told their answer.")
                )
                return redirect("draft-detail", slug=draft.slug)
        else:
            status = 400
    context = {"draft": draft, "join": join_context(request.user, draft, standing, form)}
    return render(request, "drafting/join_request.html", context, status=status)


DECISIONS = {"approve": services.join_request_approve, "decline": services.join_request_decline}


@login_required
@require_POST
def join_request_decide(request, request_id, decision):
    if decision not in DECISIONS:
        raise Http404("Approve or decline.")
    join_request = DECISIONS[decision](request_id=request_id, by=request.user, reason=request.POST.get("reason", ""))
    who = join_request.user.username
    if decision == "approve":
        joined = {
            Role.MODERATOR: _("%(user)s joined as moderator."),
            Role.PARTICIPANT: _("%(user)s joined as participant."),
            Role.OBSERVER: _("%(user)s joined as observer."),
        }
        messages.success(request, joined[join_request.role] % {"user": who})
    else:
        messages.success(request, _("%(user)s's request was declined; they were told.") % {"user": who})
    return redirect(reverse("draft-manage", args=[join_request.draft.slug]) + "#join-requests")
