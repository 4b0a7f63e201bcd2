"""Pages of consultation rounds: the list, creating one, moving it, and the moderator console."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from codeofconduct.errors import Conflict, DomainError, InvalidInput
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number

from .. import rules, selectors, services
from ..forms import DispositionForm, RoundForm, suggested_round_title
from ..models import Phase
from ..naming import name_on_page
from ..selectors.pages import console_amendments, moderation_queue
from ..selectors.turnout import turnout
from . import confirm

ROUND_MOVES = {
    "open": services.round_open,
    "start-voting": services.round_start_voting,
    "close": services.round_close,
}
MOVES_FROM = {Phase.SCHEDULED: "open", Phase.OPEN: "start-voting", Phase.VOTING: "close"}


LOOK_UP = object()


def next_move(round_, standing: str, active=LOOK_UP) -> tuple[str | None, str | None]:
    """The move a round's page offers next, and the rule's reason when it cannot be taken now (it is
    then shown disabled, with that reason). ``active``: the draft's round that is open or voting,
    looked up when not given."""
    move = MOVES_FROM.get(round_.phase)
    if move is None:
        return None, None
    if active is LOOK_UP:
        active = selectors.active_round(round_.draft)
    refused = rules.refusal(f"round_{move.replace('-', '_')}", selectors.round_subject(round_, standing, active=active))
    return move, refused.message if refused is not None else None


def rounds(request, slug):
    draft, standing = selectors.draft_for(request.user, slug)
    can_create = rules.allowed("round_create", rules.Subject(standing))
    if request.method == "POST":
        rules.check("round_create", rules.Subject(standing))
    rounds_ = list(draft.rounds.order_by("-created_at", "-id"))
    active = next((r for r in rounds_ if r.phase in (Phase.OPEN, Phase.VOTING)), None)
    for round_ in rounds_:
        round_.next_move, round_.move_refused = next_move(round_, standing, active)
    initial = {"title": suggested_round_title([r.title for r in rounds_])}
    form = RoundForm(request.POST or None, initial=initial) if can_create else None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                round_ = services.round_create(draft=draft, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request, _("“%(round)s” created. Open it when the text is ready.") % {"round": round_.title}
                )
                return redirect("draft-rounds", slug=slug)
    context = {
        "draft": draft,
        "rounds": rounds_,
        "form": form,
        "can": {"round_create": can_create, "round_console": rules.allowed("round_console", rules.Subject(standing))},
    }
    return render(request, "drafting/rounds.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_move(request, round_id, move):
    """POST moves the round; GET asks first (``confirm``): what the move does, and its button."""
    if move not in ROUND_MOVES:
        raise Http404("No such move.")
    round_, standing = selectors.round_for(request.user, round_id)
    if request.method == "GET":
        return confirm.round_move(request, round_, standing, move)
    choices = None
    try:
        if move == "close":  # with the Chair's choice for each set of rival amendments
            choices = confirm.rival_choices(request.POST)
            moved = services.round_close(round_id=round_.id, by=request.user, rivals=choices)
        else:
            moved = ROUND_MOVES[move](round_id=round_.id, by=request.user)
    except Conflict as exc:  # not from this phase, or another round is active: say so on the list
        messages.error(request, exc.message)
    except InvalidInput as exc:  # a choice that does not fit the ballot: the preview again, as typed
        return confirm.close_preview(request, round_.id, choices=choices, error=exc.message, status=exc.status_code)
    else:
        now = {
            Phase.SCHEDULED: _("“%(round)s” is now scheduled."),
            Phase.OPEN: _("“%(round)s” is now open."),
            Phase.VOTING: _("“%(round)s” is now voting."),
            Phase.CLOSED: _("“%(round)s” is now closed."),
        }
        messages.success(request, now[moved.phase] % {"round": moved.title})
    return redirect("draft-rounds", slug=round_.draft.slug)


@login_required
def console(request, round_id):
    round_, standing = selectors.round_for(request.user, round_id)
    rules.check("round_console", rules.Subject(standing))
    if request.htmx and request.GET.get("part") == "participation":
        # The live counts refresh on their own while the round is open or voting.
        context = {"round": round_, "participation": selectors.round_participation(round_)}
        return render(request, "drafting/_participation.html", context)
    draft = round_.draft
    competing, conflicted = console_amendments(draft)
    queue = Paginator(moderation_queue(round_), 25).get_page(request.GET.get("page"))
    queue.object_list = list(queue.object_list)  # each author named as the naming rule lets a moderator
    name_on_page(request.user, draft, comments=queue.object_list, amendments=[*competing, *conflicted])
    move, refused = next_move(round_, standing)
    context = {
        "round": round_,
        "draft": draft,
        "next_move": move,
        "move_refused": refused,
        "participation": selectors.round_participation(round_),
        "queue": queue,
        "competing": competing,
        "conflicted": conflicted,
        "disposition_form": DispositionForm(),
    }
    return render(request, "drafting/console.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_turnout(request, round_id):
    """Who has not voted yet (per delegation, and per item when one is chosen), and the Chair's
    reminders: POST reminds one delegation, or every one behind that was not reminded yet."""
    round_, standing = selectors.round_for(request.user, round_id)
    rules.check("round_console", rules.Subject(standing))
    status = 200
    if request.method == "POST":
        raw = request.POST.get("organization", "")
        try:
            organization = whole_number(raw) if raw else None
            if raw and organization is None:
                raise InvalidInput(_("Choose a delegation."), field="organization")
            reminded = services.vote_remind(round_id=round_.id, by=request.user, organization_id=organization)
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            told = sum(r.members for r in reminded)
            messages.success(
                request,
                ngettext(
                    # Translators: %(people)s is "1 person" or "4 people".
                    "%(count)d delegation reminded (%(people)s told).",
                    "%(count)d delegations reminded (%(people)s told).",
                    len(reminded),
                )
                % {
                    "count": len(reminded),
                    "people": ngettext("%(count)d person", "%(count)d people", told) % {"count": told},
                },
            )
            return redirect("round-turnout", round_id=round_.id)
    item = None
    for kind in ("clause", "amendment"):
        chosen = whole_number(request.GET.get(kind, ""))
        if chosen is not None:
            item = (kind, chosen)
    seen = turnout(round_, item=item)
    context = {
        "round": round_,
        "draft": round_.draft,
        "turnout": seen,
        "behind": seen.behind,
        "asked": next((entry for entry in seen.items if entry.missing_by_group is not None), None),
        "may_remind": rules.allowed("vote_remind", selectors.round_subject(round_, standing)),
        "to_remind": seen.to_remind,
    }
    return render(request, "drafting/turnout.html", context, status=status)
