"""Comment threads on clauses and amendments: post, reply, edit, and moderators' hide and restore.

The thread is an htmx partial swapped in place; without JavaScript the same forms post normally and
come back to the page, keeping what was typed when something is refused.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number

from .. import quotes, selectors, services
from ..forms import CommentForm, ReasonForm
from ..selectors.pages import comments_context
from .common import back

TARGETS = {"clause": selectors.clause_for, "amendment": selectors.amendment_for}


def comment_forms_context(forms: dict | None, *, speaker=None) -> dict:
    """The comment, reply and hide forms under a thread: as submitted when refused, else empty.
    ``speaker``: ``(user, draft, standing)``, so a moderator chooses whom a comment speaks for."""
    forms = forms or {}
    return {
        "comment_form": forms.get("form") or CommentForm(speaker=speaker),
        "reply_form": forms.get("reply_form"),
        "reply_parent": forms.get("reply_parent"),
        "hide_form": ReasonForm(),
    }


def _thread(request, standing, kind, item, *, status=200, error=None, **forms):
    """The comment partial for htmx, with the forms as they were submitted, and the quoted text again
    (swapped out of band) so its highlights follow the thread."""
    context = {
        **comments_context(request.user, standing, **{kind: item}),
        **quotes.quotable_context(**{kind: item}),
        **comment_forms_context(forms, speaker=(request.user, _draft_of(kind, item), standing)),
        "next": request.POST.get("next", ""),
        "comment_error": [error] if error else None,
    }
    return render(request, "drafting/_comments.html", context, status=status)


def _draft_of(kind, item):
    return item.draft if kind == "clause" else item.clause.draft


def _refused(request, standing, kind, item, forms, status):
    """Show the thread again, with what was typed and why it was refused."""
    if request.htmx:
        return _thread(request, standing, kind, item, status=status, **forms)
    if kind == "clause":
        from .clauses import clause_detail

        return clause_detail(request, item.id, comment_forms=forms, status=status)
    from .amendments import amendment_detail

    return amendment_detail(request, item.id, comment_forms=forms, status=status)


@login_required
@require_POST
def comment_post(request):
    kind = request.POST.get("target_kind")
    target_id = whole_number(request.POST.get("target_id"))
    if kind not in TARGETS or target_id is None:
        raise Http404("No such text to comment on.")
    item, standing = TARGETS[kind](request.user, target_id)
    parent = whole_number(request.POST.get("parent"))
    # A reply refused comes back under its comment, beside the thread's own comment form: ids of its own.
    speaker = (request.user, _draft_of(kind, item), standing)
    form = CommentForm(request.POST, auto_id="id_%s" if parent is None else f"id_reply{parent}_%s", speaker=speaker)
    forms = {"reply_form": form, "reply_parent": parent} if parent is not None else {"form": form}
    if not form.is_valid():
        return _refused(request, standing, kind, item, forms, 400)
    data = form.cleaned_data
    try:
        services.comment_post(
            by=request.user,
            body=data["body"],
            stance=data["stance"],
            quote=data["quote"],
            parent_id=data["parent"],
            speaking_as=data.get("speaking_as"),
            **{f"{kind}_id": item.id},
        )
    except DomainError as exc:
        if exc.status_code == 403:
            # Not theirs to comment on: there is no form to keep, only the reason to show.
            if request.htmx:
                return _thread(request, standing, kind, item, status=403, error=exc.message)
            raise
        add_domain_error(form, exc)
        return _refused(request, standing, kind, item, forms, 400)
    if request.htmx:
        return _thread(request, standing, kind, item)
    messages.success(request, _("Comment posted."))
    return redirect(back(request, "/") + "#comments")


def _moderate(request, comment_id, act):
    """Run ``act(comment)`` and come back to the thread, with the refusal if there is one."""
    comment, standing = selectors.comment_for(request.user, comment_id)
    error, status = None, 200
    try:
        act(comment)
    except DomainError as exc:
        error, status = exc.message, exc.status_code
    kind, item = ("clause", comment.clause) if comment.clause_id else ("amendment", comment.amendment)
    if request.htmx:
        return _thread(request, standing, kind, item, status=status, error=error)
    if error:
        messages.error(request, error)
    return redirect(back(request, reverse(f"{kind}-detail", args=[item.id])) + "#comments")


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide(request, comment_id):
    if request.method == "GET":  # the hide forms ask first: what hiding does, and its button
        from . import confirm

        return confirm.comment_hide(request, comment_id)

    def hide(comment):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Give a reason; it stays on record."), field="reason")
        services.comment_hide(comment_id=comment.id, by=request.user, reason=form.cleaned_data["reason"])

    return _moderate(request, comment_id, hide)


@login_required
@require_POST
def comment_restore(request, comment_id):
    def restore(comment):
        services.comment_restore(comment_id=comment.id, by=request.user, reason=request.POST.get("reason", ""))

    return _moderate(request, comment_id, restore)


@login_required
@require_POST
def comment_edit(request, comment_id):
    def edit(comment):
        form = CommentForm({**request.POST.dict(), "stance": request.POST.get("stance") or comment.stance})
        if not form.is_valid():
            raise DomainError(_("A comment cannot be empty."), field="body")
        services.comment_edit(
            comment_id=comment.id, by=request.user, body=form.cleaned_data["body"], stance=form.cleaned_data["stance"]
        )

    return _moderate(request, comment_id, edit)
