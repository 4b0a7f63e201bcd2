"""What a round decided: its results page, and recording a disposition for a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import mark_speaking_for
from codeofconduct.errors import Conflict, DomainError

from .. import rules, selectors, services
from ..forms import DispositionForm
from ..models import Phase
from .common import back


def results(request, round_id):
    round_, standing = selectors.round_for(request.user, round_id)
    subject = selectors.round_subject(round_, standing)
    try:
        rows, final = selectors.round_results(round_, standing_=standing)
        hidden = ""
    except Conflict as refused:  # the tallies are hidden until the close: the rule says from whom
        rows, final, hidden = [], False, refused.message
    dispositions = []
    if rules.allowed("dispositions_see", subject):
        dispositions = list(selectors.round_dispositions(round_))
        for record in dispositions:
            record.published_body = selectors.comment_body_published(record.comment)
        mark_speaking_for((d, "speaking_for", d.comment.author_id, d.comment.created_at) for d in dispositions)
    context = {
        "round": round_,
        "draft": round_.draft,
        "rows": rows,
        "final": final,
        "hidden": hidden,
        "dispositions": dispositions,
        "snapshot": getattr(round_, "snapshot", None) if round_.phase == Phase.CLOSED else None,
        "can": rules.abilities(subject, "round_console"),
    }
    return render(request, "drafting/results.html", context)


@login_required
@require_POST
def comment_disposition(request, comment_id):
    comment, _standing = selectors.comment_for(request.user, comment_id)
    form = DispositionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a disposition."), field="disposition")
        services.comment_dispose(comment_id=comment.id, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Disposition recorded; it is published with the round's results."))
    return redirect(back(request, "/"))
