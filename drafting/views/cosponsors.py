"""Co-sponsoring on a proposal's page: a delegation joins, asks or withdraws; the proponent accepts,
declines and sets how its proposal takes co-sponsors. Each form posts here and returns to the
proposal's page; a refusal for the moment (409) is said there, the others take the one error path
for pages (``codeofconduct.pages.DomainErrorPageMiddleware``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codeofconduct.errors import Conflict, NotFound

from .. import services
from ..models import Cosponsorship


def _back(kind: str, item_id: int):
    if kind == "amendment":
        return redirect("amendment-detail", amendment_id=item_id)
    return redirect("clause-detail", clause_id=item_id)


@login_required
@require_POST
def cosponsor(request, kind, item_id):
    try:
        # The button names the delegation it co-sponsors for: pressing it is a moderator's choice
        # to speak for their delegation, not as the Chair.
        row = services.cosponsorship_join(
            kind=kind, item_id=item_id, by=request.user, speaking_as=request.POST.get("speaking_as") or None
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        joined = row.status == Cosponsorship.Status.JOINED
        messages.success(request, _("Co-sponsored.") if joined else _("Asked to co-sponsor; the proponent decides."))
    return _back(kind, item_id)


@login_required
@require_POST
def cosponsor_withdraw(request, kind, item_id):
    try:
        services.cosponsorship_withdraw(kind=kind, item_id=item_id, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Co-sponsorship withdrawn."))
    return _back(kind, item_id)


@login_required
@require_POST
def cosponsorship_decide(request, cosponsorship_id, decision):
    decide = {"accept": services.cosponsorship_accept, "decline": services.cosponsorship_decline}.get(decision)
    row = Cosponsorship.objects.filter(pk=cosponsorship_id).values_list("clause_id", "amendment_id").first()
    if decide is None or row is None:
        raise NotFound(_("No such co-sponsorship."))
    kind, item_id = ("clause", row[0]) if row[0] else ("amendment", row[1])
    try:
        decide(cosponsorship_id=cosponsorship_id, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Co-sponsor accepted.") if decision == "accept" else _("Request declined."))
    return _back(kind, item_id)


@login_required
@require_POST
def cosponsorship_set(request, kind, item_id):
    try:
        services.cosponsorship_set(
            kind=kind, item_id=item_id, by=request.user, cosponsorship=request.POST.get("cosponsorship", "")
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Setting saved."))
    return _back(kind, item_id)
