"""The page of what changed in a draft since the reader's last visit (or a date they choose), and
marking it seen."""

from datetime import UTC, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from codeofconduct.errors import InvalidInput
from codeofconduct.timezones import display

from .. import selectors
from ..search import page_number
from ..selectors.changes import changes_since
from ..services.visits import last_visit, mark_seen

FALLBACK = timedelta(days=7)
BAD_SINCE = gettext_lazy("Give a date (YYYY-MM-DD) or a moment in ISO 8601 (2026-11-20T09:00:00Z).")


def parse_moment(raw: str | None) -> datetime | None:
    """A date (midnight in the reader's zone) or an ISO 8601 moment (UTC when it names no zone);
    None for nothing given. InvalidInput for anything else, or a moment no calendar holds."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise ValueError(raw)
            return timezone.make_aware(datetime.combine(day, time.min))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        return moment.astimezone(timezone.get_current_timezone())
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(str(BAD_SINCE), field="since") from exc


def draft_changes(request, slug):
    draft, standing = selectors.draft_for(request.user, slug)
    error, since, fallback, page = None, None, False, 1
    last_seen = last_visit(request.user, draft)
    try:
        since = parse_moment(request.GET.get("since")) or last_seen
        page = page_number(request.GET.get("page"))
    except InvalidInput as exc:
        error = exc.message
    else:
        if since is None:
            # Nothing to start from (never visited, or not signed in; a digest's link lands here
            # too): the last week, which the date field then widens or narrows.
            since, fallback = max(draft.created_at, timezone.now() - FALLBACK), True
    changes, status = None, 400 if error else 200
    if error is None:
        changes = changes_since(request.user, draft, standing, since, page=page)
        if page > changes.pages:
            error = _("There is no page %(page)d: the longest list of changes fills %(pages)d.") % {
                "page": page,
                "pages": changes.pages,
            }
            changes, status = None, 404
    context = {
        "draft": draft,
        "changes": changes,
        "since": since,  # as asked, for the date field; ``changes.since`` is where the list starts
        "last_visit": last_seen,
        "error": error,
        "asked": request.GET.get("since", ""),
        "fallback": fallback,
        # The other pages start where this one did, to the microsecond, so they list the same changes.
        "page_since": changes.since.isoformat() if changes else "",
    }
    return render(request, "drafting/changes.html", context, status=status)


@login_required
@require_POST
def draft_changes_seen(request, slug):
    draft, _standing = selectors.draft_for(request.user, slug)
    until = parse_moment(request.POST.get("until"))
    visit, _created = mark_seen(request.user, draft, until)
    messages.success(request, _("Changes up to %(when)s are marked as seen.") % {"when": display(visit.seen_at)})
    return redirect("draft-detail", slug=draft.slug)
