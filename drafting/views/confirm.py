"""A look before every move that cannot be taken back: starting the vote, closing a round (its
preview), withdrawing an amendment, reverting a clause, hiding a comment.

Each move's address answers GET with a page saying what will happen, a Cancel link back and the
button that POSTs the move; the buttons elsewhere are links to it. Plain links and forms, so it
works without JavaScript, and the moves' POSTs are unchanged. Each page asks the move's rule
first: who may not make the move, or not now, gets the refusal instead (403, 404 or 409).
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import StakeholderGroup
from codeofconduct.errors import Conflict, InvalidInput, NotFound
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import local_address, whole_number
from codeofconduct.timezones import display
from notifications import services as notifications

from .. import rules, selectors
from ..diff import visible_word_diff
from ..forms import ReasonForm, RevertForm
from ..markdown import render_markdown
from ..models import ClauseStatus
from ..selectors.preview import round_close_preview
from ..services.rounds import members_of, round_opened_notice


def _page(request, *, title: str, heading: str, happens: list[str], action: str, button: str, cancel: str, **extra):
    """The confirmation page: ``happens`` says what the move does, ``cancel`` is where Cancel leads."""
    context = {
        "title": title,
        "heading": heading,
        "happens": happens,
        "action": action,
        "button": button,
        "cancel": cancel,
        **extra,
    }
    return render(request, "drafting/confirm.html", context)


def round_move(request, round_, standing: str, move: str):
    """The look before moving a round; closing's is the close preview."""
    if move == "close":
        return redirect("round-close-preview", round_id=round_.id)
    subject = selectors.round_subject(round_, standing, active=selectors.active_round(round_.draft))
    rules.check(f"round_{move.replace('-', '_')}", subject)
    console = local_address(request.GET.get("next", ""), reverse("round-console", args=[round_.id]))
    # Translators: a round's voting rule and quorum, e.g. "Simple majority, quorum 3".
    rule = _("%(rule)s, quorum %(quorum)d") % {"rule": round_.get_voting_rule_display(), "quorum": round_.quorum}
    if move == "open":
        return _round_open(request, round_, rule=rule, cancel=console)
    from ..tally import ballot

    items = ballot(round_)
    clauses = sum(1 for kind, _item in items if kind == "clause")
    amendments = len(items) - clauses
    happens = [
        _("Proposals freeze: no new clauses or amendments, and what is proposed can no longer be edited or withdrawn."),
        # Translators: %(clauses)s is "1 proposed clause" or "3 proposed clauses", %(amendments)s "2 amendments".
        _("%(clauses)s and %(amendments)s go to the vote (%(rule)s).")
        % {
            "clauses": ngettext("%(count)d proposed clause", "%(count)d proposed clauses", clauses)
            % {"count": clauses},
            "amendments": ngettext("%(count)d amendment", "%(count)d amendments", amendments) % {"count": amendments},
            "rule": rule,
        },
        _("The draft's members and followers are told voting has started."),
        _("A round never goes back to open: this cannot be undone."),
    ]
    return _page(
        request,
        title=_("Start voting in %(round)s") % {"round": round_.title},
        heading=_("Start voting in “%(round)s”?") % {"round": round_.title},
        happens=happens,
        action=reverse("round-move", args=[round_.id, move]),
        button=_("Start voting"),
        cancel=console,
    )


def _round_open(request, round_, *, rule: str, cancel: str):
    """What opening the round does: proposals open, under which rule it will vote, and who is told."""
    told = notifications.audience(**round_opened_notice(round_, request.user))
    members = told & set(members_of(round_.draft))
    groups = ", ".join(str(StakeholderGroup(g).label) for g in round_.eligible_groups)
    voting = {"rule": rule, "groups": groups}
    others = len(told - members)
    happens = [
        _(
            "Proposals open: participants may propose clauses and submit amendments, and members comment, "
            "until voting starts."
        ),
        _("When it votes: %(rule)s; %(groups)s vote; tallies stay hidden until it closes.") % voting
        if round_.hide_tallies_until_close
        else _("When it votes: %(rule)s; %(groups)s vote; tallies show as votes come in.") % voting,
        ngettext(
            # Translators: %(members)s is "1 member" or "3 members", %(followers)s "2 other followers".
            "%(count)d person is told it is open, in the app and by email as each prefers: "
            "%(members)s of the draft and %(followers)s of it.",
            "%(count)d people are told it is open, in the app and by email as each prefers: "
            "%(members)s of the draft and %(followers)s of it.",
            len(told),
        )
        % {
            "count": len(told),
            "members": ngettext("%(count)d member", "%(count)d members", len(members)) % {"count": len(members)},
            "followers": ngettext("%(count)d other follower", "%(count)d other followers", others) % {"count": others},
        },
    ]
    if round_.voting_opens_at:
        happens.append(_("Voting starts on schedule, %(when)s.") % {"when": display(round_.voting_opens_at)})
    if round_.closes_at:
        happens.append(_("The round closes on schedule, %(when)s.") % {"when": display(round_.closes_at)})
    happens.append(_("A round never goes back to scheduled: this cannot be undone."))
    return _page(
        request,
        title=_("Open %(round)s") % {"round": round_.title},
        heading=_("Open “%(round)s”?") % {"round": round_.title},
        happens=happens,
        action=reverse("round-move", args=[round_.id, "open"]),
        button=_("Open the round"),
        cancel=cancel,
    )


def rival_choices(data) -> list[dict]:
    """The Chair's choice per rival set from the close page's form, in the shape closing takes
    (``drafting.rivals.choose``): each set's ``rival_set`` ("12,13"), its ``choice-12,13`` radio
    and its ``text-12,13`` compromise."""
    choices = []
    for key in data.getlist("rival_set"):
        # An id is ASCII digits an id column can hold; anything else names no amendment, and the
        # set, then not one of the round's, is refused with the reason (400).
        ids = [n for n in (whole_number(part.strip()) for part in key.split(",")) if n is not None]
        choices.append(
            {"amendments": ids, "choice": data.get(f"choice-{key}", ""), "text": data.get(f"text-{key}", "")}
        )
    return choices


def close_preview(request, round_id: int, *, choices: list[dict] | None = None, error: str = "", status: int = 200):
    """What closing the round now would do, with the button that closes it and a choice per set of
    rival amendments. The page's "Preview these choices" (the same form posted here: the form
    carries the CSRF token, which a GET would put in the address) and a refused close (``error``)
    show the choices typed; the preview then computes with them when it can. Posting here changes
    nothing."""
    round_, standing = selectors.round_for(request.user, round_id)
    if choices is None and request.method == "POST":
        choices = rival_choices(request.POST)
    try:
        preview = round_close_preview(round_, standing_=standing, rivals=choices)
    except InvalidInput as exc:  # choices that do not fit the ballot: the default, and why
        error, status = error or exc.message, exc.status_code
        preview = round_close_preview(round_, standing_=standing)
    typed = {",".join(map(str, c["amendments"])): c for c in choices or []}
    for rival_set in preview.rivals or []:
        mine = typed.get(rival_set["key"])
        if mine is not None:  # what the person chose and typed comes back, even when refused
            rival_set["choice"], rival_set["text"] = mine["choice"] or rival_set["choice"], mine["text"]
        if not rival_set["text"]:
            rival_set["text"] = rival_set["clause"].text
    context = {"round": round_, "draft": round_.draft, "preview": preview, "rivals_error": error}
    return render(request, "drafting/close_preview.html", context, status=status)


def amendment_withdraw(request, amendment_id: int):
    amendment, standing = selectors.amendment_for(request.user, amendment_id)
    rules.check("amendment_withdraw", selectors.amendment_subject(request.user, amendment, standing))
    clause = amendment.clause
    happens = [
        _("It leaves the ballot of “%(round)s”: nobody votes on it, and it can never be submitted again.")
        % {"round": amendment.round.title},
        _("It stays on record, with its comments, as withdrawn."),
        _("To propose the change again, submit a new amendment while the round is open."),
    ]
    return _page(
        request,
        title=_("Withdraw amendment %(id)s") % {"id": amendment.id},
        heading=_("Withdraw amendment %(id)s to clause %(ref)s?") % {"id": amendment.id, "ref": clause.ref},
        happens=happens,
        action=reverse("amendment-withdraw", args=[amendment.id]),
        button=_("Withdraw my amendment"),
        cancel=reverse("amendment-detail", args=[amendment.id]),
        redline=visible_word_diff(render_markdown(amendment.base_text), render_markdown(amendment.new_text)),
        redline_caption=_("The amendment"),
    )


def clause_revert(request, clause_id: int):
    """The look before a revert, from the clause page's revert form (``to_version`` and ``reason``)."""
    from .clauses import clause_detail

    clause, standing = selectors.clause_for(request.user, clause_id)
    rules.check("clause_revert", rules.Subject(standing))
    if "to_version" not in request.GET:
        return redirect(reverse("clause-detail", args=[clause.id]) + "#revert")
    form = RevertForm(request.GET)
    if not form.is_valid():
        return clause_detail(request, clause_id, revert_form=form, status=400)
    to_version = form.cleaned_data["to_version"]
    try:
        if to_version == clause.version:
            raise Conflict(
                _("Clause %(ref)s is already at version %(version)d.") % {"ref": clause.ref, "version": to_version},
                field="to_version",
            )
        old = selectors.clause_version(clause, to_version)
    except (Conflict, NotFound) as exc:
        add_domain_error(form, exc)
        return clause_detail(request, clause_id, revert_form=form, status=exc.status_code)
    versions = {"ref": clause.ref, "new": clause.version + 1, "current": clause.version, "to": to_version}
    happens = [
        _("Clause %(ref)s gets version %(new)d, with the title and text of version %(to)d.") % versions,
        _("Versions %(first)d to %(current)d stay in its history; nothing is rewritten.")
        % {"first": to_version + 1, "current": clause.version}
        if clause.version > to_version + 1
        else _("Version %(current)d stays in its history; nothing is rewritten.") % versions,
    ]
    if clause.status in (ClauseStatus.PROPOSED, ClauseStatus.BRACKETED, ClauseStatus.AGREED):
        happens.append(_("Amendments written against the current text compare with the reverted one from then on."))
    form.fields["to_version"].widget = form.fields["to_version"].hidden_widget()
    return _page(
        request,
        title=_("Revert clause %(ref)s") % versions,
        heading=_("Revert clause %(ref)s to version %(to)d?") % versions,
        happens=happens,
        action=reverse("clause-revert", args=[clause.id]),
        button=_("Revert as new version"),
        cancel=reverse("clause-detail", args=[clause.id]),
        form=form,
        redline=visible_word_diff(clause.text_html, old.text_html),
        redline_caption=_(
            "From the current text (version %(current)d) to version %(to)d; the title becomes “%(title)s”"
        )
        % {**versions, "title": old.title}
        if old.title != clause.title
        else _("From the current text (version %(current)d) to version %(to)d") % versions,
    )


def comment_hide(request, comment_id: int):
    """The look before hiding a comment; the reason may be typed here or come from the thread's form."""
    comment, standing = selectors.comment_for(request.user, comment_id)
    rules.check("comment_hide", rules.Subject(standing))
    target = (
        reverse("clause-detail", args=[comment.clause_id])
        if comment.clause_id
        else reverse("amendment-detail", args=[comment.amendment_id])
    )
    back = local_address(request.GET.get("next", ""), target)
    form = ReasonForm({"reason": request.GET["reason"]} if request.GET.get("reason") else None)
    happens = [
        _("Its text is hidden from everyone but its author and the draft's moderators; the reason shows in its place."),
        _("The reason stays on record in the comment's history. A moderator can restore it."),
    ]
    if comment.hidden:
        happens.insert(
            0,
            _("It is already hidden (%(reason)s); hiding it again records the new reason.")
            % {"reason": comment.hidden_reason},
        )
    return _page(
        request,
        title=_("Hide a comment"),
        heading=_("Hide this comment by %(author)s?") % {"author": comment.author.username},
        happens=happens,
        action=reverse("comment-hide", args=[comment.id]),
        button=_("Hide comment"),
        cancel=back + "#comment-" + str(comment.id),
        form=form if form.is_bound else ReasonForm(),
        fields={"next": back},
        quoted=comment.body,
    )
