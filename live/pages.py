"""The live room's pages: ``/drafts/<slug>/session/`` (the session for every member: the paragraph
on screen, the list of speakers, and the Chair's desk) and ``.../screen/`` (the projector: large
type, no controls). The Chair's edit posts to the room's own address, so a refused one (400, 409)
is shown there with the words typed, and the page goes on following the room. The other forms post
to their own address and come back to the room, a refusal for the moment said there.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from codeofconduct.errors import Conflict, InvalidInput, NotFound
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number
from drafting import selectors

from . import room as services
from .selectors import room


class ChairEditForm(forms.Form):
    """The Chair's change to the paragraph on screen, on a delegation's proposal or its own."""

    clause = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), strip=False, label=gettext_lazy("Text"))
    on_proposal_of = forms.TypedChoiceField(
        label=gettext_lazy("On the proposal of"), required=False, coerce=int, empty_value=None, choices=()
    )
    reason = forms.CharField(label=gettext_lazy("Note for the record (optional)"), required=False, max_length=1000)

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        own = ("", _("The Chair's own"))
        self.fields["on_proposal_of"].choices = [own, *((o.pk, o.name) for o in delegations)]


def _page(request, slug: str, *, template: str = "live/room.html", edit_form=None, status: int = 200):
    draft, standing = selectors.draft_for(request.user, slug)
    found = room(request.user, draft, standing, screen=template == "live/screen.html")
    editing = found.clause
    if edit_form is None and found.can["session_run"] and found.clause is not None:
        clause = found.clause
        edit_form = ChairEditForm(
            initial={"clause": clause.pk, "version": clause.version, "text": clause.text},
            delegations=found.delegations,
        )
    elif edit_form is not None:  # the paragraph the words typed are for, whatever the screen shows now
        typed = edit_form.data.get("clause")
        editing = next((p for p in found.paragraphs if str(p.pk) == typed), found.clause)
    context = {"draft": draft, "room": found, "session": found.session, "edit_form": edit_form, "editing": editing}
    return render(request, template, context, status=status)


def session_room(request, slug):
    if request.method == "POST":
        return _session_edit(request, slug)
    return _page(request, slug)


def session_screen(request, slug):
    return _page(request, slug, template="live/screen.html")


def _act(request, slug: str, act, done: str):
    """Run the room's act; a refusal for the moment or a bad value is said on the room's page."""
    try:
        act()
    except (Conflict, InvalidInput, NotFound) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("live-session", slug=slug)


def _whole_number(raw: str | None, *, field: str, wrong: str) -> int | None:
    """A form's whole number (None for nothing given); InvalidInput saying ``wrong`` otherwise."""
    raw = (raw or "").strip()
    if not raw:
        return None
    value = whole_number(raw)
    if value is None:
        raise InvalidInput(wrong, field=field)
    return value


@login_required
@require_POST
def session_open(request, slug):
    def act():
        section = _whole_number(request.POST.get("section"), field="section", wrong=_("No such section in this draft."))
        services.session_open(slug=slug, by=request.user, section_id=section)

    return _act(request, slug, act, _("The live session is open."))


@login_required
@require_POST
def session_close(request, slug):
    return _act(
        request, slug, lambda: services.session_close(slug=slug, by=request.user), _("The live session is closed.")
    )


@login_required
@require_POST
def session_follow(request, slug):
    def act():
        clause = _whole_number(
            request.POST.get("clause"), field="clause", wrong=_("No such paragraph in this session.")
        )
        if clause is None:
            raise InvalidInput(_("Choose the paragraph to show."), field="clause")
        services.session_follow(slug=slug, by=request.user, clause_id=clause)

    return _act(request, slug, act, _("That paragraph is on the screen."))


@login_required
@require_POST
def session_set(request, slug):
    def act():
        settings = {}
        if "speakers_open" in request.POST:
            settings["speakers_open"] = request.POST["speakers_open"] == "1"
        if "speaking_time" in request.POST:
            settings["speaking_time"] = _whole_number(
                request.POST["speaking_time"],
                field="speaking_time",
                wrong=_("Give the speaking time in whole seconds, or leave it empty."),
            )
        services.session_set(slug=slug, by=request.user, **settings)

    return _act(request, slug, act, _("Saved."))


@login_required
@require_POST
def floor_ask(request, slug):
    return _act(
        request,
        slug,
        lambda: services.floor_ask(slug=slug, by=request.user),
        _("Your delegation is on the list of speakers."),
    )


@login_required
@require_POST
def floor_withdraw(request, slug):
    return _act(
        request,
        slug,
        lambda: services.floor_withdraw(slug=slug, by=request.user),
        _("Your delegation left the list of speakers."),
    )


@login_required
@require_POST
def floor_give(request, slug):
    def act():
        speaker = _whole_number(request.POST.get("speaker"), field="speaker", wrong=_("No such place on the list."))
        services.floor_give(slug=slug, by=request.user, request_id=speaker)

    return _act(request, slug, act, _("The floor is given."))


@login_required
@require_POST
def floor_end(request, slug):
    return _act(request, slug, lambda: services.floor_end(slug=slug, by=request.user), _("The intervention has ended."))


@login_required
def _session_edit(request, slug):
    """The Chair's change to a paragraph of the session: a new version, named "on the proposal of"
    the delegation chosen; a stale version (409) keeps the words typed, against the current version."""
    draft, _standing = selectors.draft_for(request.user, slug)
    delegations = selectors.delegations_in(draft.pk).order_by("name")
    form = ChairEditForm(request.POST, delegations=delegations)
    if not form.is_valid():
        return _page(request, slug, edit_form=form, status=400)
    data = form.cleaned_data
    try:
        services.session_edit(
            slug=slug,
            by=request.user,
            clause_id=data["clause"],
            version=data["version"],
            text=data["text"],
            reason=data["reason"],
            on_proposal_of=data["on_proposal_of"],
        )
    except Conflict as exc:
        if "current_version" in exc.extra:
            form = ChairEditForm(
                {**request.POST.dict(), "version": exc.extra["current_version"]}, delegations=delegations
            )
            form.is_valid()
        form.add_error(None, exc.message)
        return _page(request, slug, edit_form=form, status=409)
    except (InvalidInput, NotFound) as exc:
        add_domain_error(form, exc)
        return _page(request, slug, edit_form=form, status=exc.status_code)
    messages.success(request, _("Saved as a new version; every screen shows it."))
    return redirect("live-session", slug=slug)
