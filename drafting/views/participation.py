"""Pages for taking part: rounds, proposing, amending, commenting and voting.

Comment threads and vote controls are partials: htmx swaps them in place, and without JavaScript
the same forms post normally and come back to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codeofconduct.errors import DomainError, NotAllowed, NotFound
from codeofconduct.forms import add_domain_error

from .. import permissions, selectors, services
from ..competing import competing_amendments
from ..diff import word_diff
from ..forms import AmendmentForm, CommentForm, ProposeForm, ReasonForm, RoundForm
from ..models import AmendmentStatus, ClauseStatus, Phase, Role
from ..services.comments import COMMENTING_STANDINGS


def _or_404(fetch, *args):
    try:
        return fetch(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back(request, fallback: str):
    """Where a plain (non-htmx) form post returns to: the page it came from, on this site."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback


# Comment threads ---------------------------------------------------------------------------------


def comment_threads(comments) -> list:
    """Nest a flat list of comments (one query) into threads: each gets ``thread_replies``."""
    by_id = {c.id: c for c in comments}
    roots = []
    for c in comments:
        c.thread_replies = []
    for c in comments:
        parent = by_id.get(c.parent_id)
        (parent.thread_replies if parent else roots).append(c)
    return roots


def comments_context(request, standing, *, clause=None, amendment=None, form=None, reply_form=None, reply_parent=None):
    comments = list(selectors.comments_on(clause=clause, amendment=amendment))
    for comment in comments:
        comment.body_visible = (
            not comment.hidden or permissions.can_moderate(standing) or comment.author_id == request.user.id
        )
    return {
        "comments": comment_threads(comments),
        "comment_count": len(comments),
        "comment_target": {"kind": "clause", "id": clause.id} if clause else {"kind": "amendment", "id": amendment.id},
        "can_comment": standing in COMMENTING_STANDINGS,
        "can_moderate": permissions.can_moderate(standing),
        "comment_form": form or CommentForm(),
        "reply_form": reply_form,
        "reply_parent": reply_parent,
        "hide_form": ReasonForm(),
    }


def _comment_page(request, comment_or_target, standing, **forms):
    """Re-render what a comment form lives on, keeping what was typed."""
    kind, item = comment_or_target
    if request.htmx:
        context = comments_context(request, standing, **{kind: item}, **forms)
        context["next"] = request.POST.get("next", "")
        return render(request, "drafting/_comments.html", context, status=400)
    if kind == "clause":
        from .drafts import clause_detail

        return clause_detail(request, item.id, comment_forms=forms, status=400)
    return amendment_detail(request, item.id, comment_forms=forms, status=400)


@login_required
@require_POST
def comment_post(request):
    kind = request.POST.get("target_kind")
    target_id = request.POST.get("target_id", "")
    if kind not in ("clause", "amendment") or not target_id.isdigit():
        raise Http404("No such text to comment on.")
    fetch = selectors.clause_for if kind == "clause" else selectors.amendment_for
    item, standing = _or_404(fetch, request.user, int(target_id))
    form = CommentForm(request.POST)
    is_reply = bool(request.POST.get("parent"))
    forms = (
        {"reply_form": form, "reply_parent": int(request.POST["parent"])}
        if is_reply and request.POST["parent"].isdigit()
        else {"form": form}
    )
    if not form.is_valid():
        return _comment_page(request, (kind, item), standing, **forms)
    data = form.cleaned_data
    try:
        services.comment_post(
            by=request.user,
            body=data["body"],
            stance=data["stance"],
            quote=data["quote"],
            parent_id=data["parent"],
            **{f"{kind}_id": item.id},
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _comment_page(request, (kind, item), standing, **forms)
    if request.htmx:
        context = comments_context(request, standing, **{kind: item})
        context["next"] = request.POST.get("next", "")
        return render(request, "drafting/_comments.html", context)
    messages.success(request, "Comment posted.")
    return redirect(_back(request, "/") + "#comments")


def _comment_moderation(request, comment_id, action):
    comment, standing = _or_404(selectors.comment_for, request.user, comment_id)
    try:
        if action == "hide":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError("Give a reason; it stays on record.", field="reason")
            services.comment_hide(comment_id=comment.id, by=request.user, reason=form.cleaned_data["reason"])
        elif action == "restore":
            services.comment_restore(comment_id=comment.id, by=request.user, reason=request.POST.get("reason", ""))
        else:
            form = CommentForm({**request.POST.dict(), "stance": request.POST.get("stance") or comment.stance})
            if not form.is_valid():
                raise DomainError("A comment cannot be empty.", field="body")
            services.comment_edit(
                comment_id=comment.id,
                by=request.user,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        status = exc.status_code
    else:
        status = 200
    target = ("clause", comment.clause) if comment.clause_id else ("amendment", comment.amendment)
    if request.htmx:
        context = comments_context(request, standing, **{target[0]: target[1]})
        context["next"] = request.POST.get("next", "")
        context["comment_error"] = None if status == 200 else [str(m) for m in messages.get_messages(request)][-1:]
        return render(request, "drafting/_comments.html", context, status=status)
    fallback = reverse(f"{target[0]}-detail", args=[target[1].id])
    return redirect(_back(request, fallback) + "#comments")


@login_required
@require_POST
def comment_hide(request, comment_id):
    return _comment_moderation(request, comment_id, "hide")


@login_required
@require_POST
def comment_restore(request, comment_id):
    return _comment_moderation(request, comment_id, "restore")


@login_required
@require_POST
def comment_edit(request, comment_id):
    return _comment_moderation(request, comment_id, "edit")


# Votes -------------------------------------------------------------------------------------------


def vote_control(request, draft, standing, kind, item) -> dict:
    """What the vote control shows for one clause or amendment."""
    round_ = selectors.current_round(draft)
    votable = item.status == (ClauseStatus.PROPOSED if kind == "clause" else AmendmentStatus.SUBMITTED)
    key = (kind, item.id)
    tallies_visible = selectors.tallies_visible(round_, standing)
    tally = None
    if round_ is not None and tallies_visible and round_.phase in (Phase.VOTING, Phase.CLOSED):
        tally = selectors.tallies(round_, **{f"{kind}s": [item]}).get(key, {"yes": 0, "no": 0, "abstain": 0})
    return {
        "vote_kind": kind,
        "vote_item": item,
        "vote_round": round_,
        "votable": votable and round_ is not None and round_.phase == Phase.VOTING,
        "may_vote": standing == Role.PARTICIPANT,
        "my_vote": selectors.my_votes(request.user, round_, **{f"{kind}s": [item]}).get(key),
        "tally": tally,
        "tallies_hidden": round_ is not None and not tallies_visible,
    }


@login_required
@require_POST
def vote(request, kind, item_id):
    if kind not in ("clause", "amendment"):
        raise Http404("No such item.")
    fetch = selectors.clause_for if kind == "clause" else selectors.amendment_for
    item, standing = _or_404(fetch, request.user, item_id)
    draft = item.draft if kind == "clause" else item.clause.draft
    error, status = None, 200
    try:
        services.vote_cast(by=request.user, choice=request.POST.get("choice", ""), **{f"{kind}_id": item.id})
    except DomainError as exc:
        error, status = exc.message, exc.status_code
    if request.htmx:
        context = vote_control(request, draft, standing, kind, item)
        context["vote_error"] = error
        return render(request, "drafting/_vote.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Your vote is recorded. You can change it until the round closes.")
    return redirect(reverse(f"{kind}-detail", args=[item.id]) + "#vote")


# Proposing and amending --------------------------------------------------------------------------


@login_required
def propose(request, slug):
    draft, standing = _or_404(selectors.draft_for, request.user, slug)
    form = ProposeForm(request.POST or None, draft=draft)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                clause = services.clause_create(
                    draft=draft,
                    section_id=data["section"].pk,
                    title=data["title"],
                    text=data["text"],
                    rationale=data["rationale"],
                    by=request.user,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Clause {clause.number} proposed. It stays in square brackets until agreed.")
                return redirect("clause-detail", clause_id=clause.pk)
        else:
            status = 400
    round_ = selectors.active_round(draft)
    return render(request, "drafting/propose.html", {"draft": draft, "form": form, "round": round_}, status=status)


@login_required
def amend(request, clause_id):
    clause, standing = _or_404(selectors.clause_for, request.user, clause_id)
    form = AmendmentForm(request.POST or None, initial={"text": clause.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                amendment = services.amendment_submit(
                    clause_id=clause.id,
                    by=request.user,
                    kind=data["kind"],
                    text=data["text"],
                    rationale=data["rationale"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Amendment submitted.")
                return redirect("amendment-detail", amendment_id=amendment.pk)
        else:
            status = 400
    round_ = selectors.active_round(clause.draft)
    return render(
        request,
        "drafting/amend.html",
        {"clause": clause, "draft": clause.draft, "form": form, "round": round_},
        status=status,
    )


def amendment_detail(request, amendment_id, *, comment_forms=None, status=200):
    amendment, standing = _or_404(selectors.amendment_for, request.user, amendment_id)
    clause = amendment.clause
    siblings = list(selectors.amendments_of(clause))
    competing = competing_amendments(siblings, clause.text)
    context = {
        "amendment": amendment,
        "clause": clause,
        "draft": clause.draft,
        "redline": word_diff(amendment.base_text, amendment.new_text),
        "competing": [a for a in siblings if a.id in competing[amendment.id]],
        "outdated": amendment.base_version != clause.version,
        "can_withdraw": amendment.author_id == request.user.id and amendment.status == AmendmentStatus.SUBMITTED,
        "next": request.get_full_path(),
        **vote_control(request, clause.draft, standing, "amendment", amendment),
        **comments_context(request, standing, amendment=amendment, **(comment_forms or {})),
    }
    return render(request, "drafting/amendment_detail.html", context, status=status)


@login_required
@require_POST
def amendment_withdraw(request, amendment_id):
    try:
        services.amendment_withdraw(amendment_id=amendment_id, by=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except NotAllowed as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Amendment withdrawn.")
    return redirect("amendment-detail", amendment_id=amendment_id)


# Rounds ------------------------------------------------------------------------------------------


def rounds(request, slug):
    draft, standing = _or_404(selectors.draft_for, request.user, slug)
    can_moderate = permissions.can_moderate(standing)
    form = RoundForm(request.POST or None) if can_moderate else None
    status = 200
    if request.method == "POST":
        if not can_moderate:
            return render(request, "403.html", {"message": "Only a moderator can create rounds."}, status=403)
        if form.is_valid():
            try:
                round_ = services.round_create(draft=draft, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"“{round_.title}” created. Open it when the text is ready.")
                return redirect("draft-rounds", slug=slug)
        else:
            status = 400
    context = {
        "draft": draft,
        "rounds": draft.rounds.order_by("-created_at", "-id"),
        "form": form,
        "can_moderate": can_moderate,
    }
    return render(request, "drafting/rounds.html", context, status=status)


ROUND_MOVES = {
    "open": services.round_open,
    "start-voting": services.round_start_voting,
    "close": services.round_close,
}


@login_required
@require_POST
def round_move(request, round_id, move):
    round_, _ = _or_404(selectors.round_for, request.user, round_id)
    if move not in ROUND_MOVES:
        raise Http404("No such move.")
    try:
        moved = ROUND_MOVES[move](round_id=round_.id, by=request.user)
    except NotAllowed as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{moved.title}” is now {moved.get_phase_display().lower()}.")
    return redirect("draft-rounds", slug=round_.draft.slug)
