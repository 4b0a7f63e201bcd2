"""Pages: the notification list, email preferences, following and one-click unsubscribe; for
administrators, the mail an installation without SMTP kept (``sent_mail``).

A draft or clause the person may not see raises ``NotFound`` from the selectors; the page
middleware (``codeofconduct.pages``) shows it as a 404 page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import EmailPreference
from accounts.rules import check_read_sent_mail
from codeofconduct.errors import DomainError
from codeofconduct.inputs import local_address, whole_number
from drafting import selectors

from . import delivery, sent_mail, services
from .models import Notification, Subscription


def _back(request, fallback: str) -> str:
    """Where a form post returns to: the page it came from (``next``), if that is on this site."""
    return local_address(request.POST.get("next", ""), fallback)


@login_required
def notification_list(request):
    """A page of the person's notifications, newest first. Reading it marks as read what it shows,
    and only that: the other pages, and whatever arrives meanwhile, stay unread. The page still
    marks them new, as they were when it was asked for."""
    page = Paginator(Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id"), 30).get_page(
        request.GET.get("page")
    )
    # The page asking itself again (static/js/live.js) marks nothing: what arrived while it was open
    # stays unread, and new, until the person comes to it.
    if request.method == "GET" and "X-Live-Refresh" not in request.headers:
        shown_unread = [n.pk for n in page if n.read_at is None]
        if shown_unread:
            services.notifications_mark_read(user=request.user, ids=shown_unread)
    context = {
        "notifications": page,
        "preference": request.user.email_preference,
        "preferences": EmailPreference.choices,
        "subscriptions": Subscription.objects.filter(user=request.user).select_related("draft", "clause")[:200],
        "live_person": True,  # the page follows the person's own stream (live.views.person_events)
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    if request.POST.get("all"):
        services.notifications_mark_read(user=request.user, everything=True)
    else:
        ids = [n for n in (whole_number(i) for i in request.POST.getlist("id")) if n is not None]
        services.notifications_mark_read(user=request.user, ids=ids)
        target = local_address(request.POST.get("open", ""), "")
        if target:
            return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def preferences(request):
    try:
        services.preferences_set(user=request.user, email=request.POST.get("email", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Email preference saved."))
    return redirect("notifications")


@login_required
@require_POST
def follow(request):
    """Follow or unfollow a draft or a clause from its page (the button toggles)."""
    slug, clause_id = request.POST.get("draft"), request.POST.get("clause", "")
    if slug:
        draft, _standing = selectors.draft_for(request.user, slug)
        target, fallback = {"draft": draft}, f"/drafts/{draft.slug}/"
    else:
        clause, _standing = selectors.clause_for(request.user, whole_number(clause_id, 0))
        target, fallback = {"clause": clause}, f"/clauses/{clause.pk}/"
    if services.unfollow(user=request.user, **target):
        messages.success(request, _("You no longer follow this."))
    else:
        services.follow(user=request.user, **target)
        messages.success(request, _("You follow this now: you will hear of new amendments and comments."))
    return redirect(_back(request, fallback))


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the signed token is the proof
def unsubscribe(request, token):
    try:
        user = delivery.unsubscribe(token)
    except DomainError as exc:
        return render(request, "notifications/unsubscribed.html", {"error": exc.message}, status=400)
    return render(request, "notifications/unsubscribed.html", {"person": user})


@login_required
def sent_mail_list(request):
    """The kept mail, newest first, 30 to a page, filtered by recipient with ``?to=``."""
    check_read_sent_mail(request.user)
    to = request.GET.get("to", "").strip()
    page = Paginator(sent_mail.message_ids(to=to), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "mail": sent_mail.summaries(list(page)),
        "to": to,
        "kept": sent_mail.in_use(),
        "delivery": sent_mail.delivery(),
    }
    return render(request, "notifications/sent_mail.html", context)


@login_required
def sent_mail_message(request, message_id):
    """One kept message: its headers, its text, and its HTML in a sandboxed frame."""
    check_read_sent_mail(request.user)
    return render(request, "notifications/sent_message.html", {"mail": sent_mail.message(message_id)})
