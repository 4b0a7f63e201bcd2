"""The live room's acts: the Chair opens a live session on a draft (or one section), puts a
paragraph on the screen, runs the list of speakers and closes the session, which records what
changed in it; delegations ask for the floor and withdraw. The rules are ``drafting.rules_room``'s.

Every act locks the session's row, so two delegates of one delegation asking at once take one place
and two Chairs' moves never cross; each tells the draft's live pages (``Kind.SESSION``). The Chair's
edits are clause versions as any other (``drafting.services.clause_update`` with
``on_proposal_of``): a live session adds no second way to change the text.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import speaking_for_now
from codeofconduct.errors import Conflict, InvalidInput, NotFound
from drafting import rules
from drafting.models import OUT_OF_THE_TEXT, READING_ORDER, Clause, Draft, Section
from drafting.rules_room import LIST_CLOSED, LIST_OPEN
from drafting.selectors import draft_for
from drafting.selectors.changes import clause_changes
from drafting.services import clause_update

from . import services as live_pages
from .models import FloorRequest, Kind, LiveSession

# The longest an intervention may be timed for: an hour.
LONGEST_TURN = 3600


def _told(session: LiveSession) -> None:
    live_pages.changed(session.draft_id, Kind.SESSION)


def open_session(draft: Draft, *, for_update: bool = False) -> LiveSession | None:
    """The draft's live session now, if one is open."""
    sessions = LiveSession.objects.filter(draft=draft, closed_at__isnull=True)
    if for_update:
        sessions = sessions.select_for_update(of=("self",))
    return sessions.select_related("section", "clause").first()


def _session(by: User, slug: str) -> tuple[LiveSession, str]:
    """The open session of the draft ``slug`` (locked) and the person's standing; 404 when none."""
    draft, standing = draft_for(by, slug)
    session = open_session(draft, for_update=True)
    if session is None:
        raise NotFound(_("This draft has no live session open."))
    return session, standing


def scope(session: LiveSession):
    """The paragraphs a session is on, in reading order: its section's, or the whole draft's,
    without those out of the text."""
    clauses = Clause.objects.filter(draft_id=session.draft_id).exclude(status__in=OUT_OF_THE_TEXT)
    if session.section_id is not None:
        clauses = clauses.filter(section_id=session.section_id)
    return clauses.order_by(*READING_ORDER)


@transaction.atomic
def session_open(*, slug: str, by: User, section_id: int | None = None) -> LiveSession:
    """The Chair opens a live session on the draft, or on one of its sections; the screen shows its
    first paragraph. One session at a time per draft (409 while another is open)."""
    draft, standing = draft_for(by, slug)
    rules.check("session_run", rules.Subject(standing))
    # No lock of the draft's row: the one open session per draft is the database's constraint.
    if open_session(draft) is not None:
        raise Conflict(_("A live session of this draft is open already: close it before opening another."))
    section = None
    if section_id is not None:
        section = Section.objects.filter(pk=section_id, draft=draft).first()
        if section is None:
            raise InvalidInput(_("No such section in this draft."), field="section")
    session = LiveSession(draft=draft, section=section, opened_by=by)
    session.clause = scope(session).first()
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:  # another Chair opened one in the meantime
        raise Conflict(_("A live session of this draft is open already: close it before opening another.")) from exc
    _told(session)
    return session


@transaction.atomic
def session_follow(*, slug: str, by: User, clause_id: int) -> LiveSession:
    """The Chair puts a paragraph of the session on the screen."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    clause = scope(session).filter(pk=clause_id).first()
    if clause is None:
        raise InvalidInput(_("That paragraph is not one this session is on."), field="clause")
    session.clause = clause
    session.save(update_fields=["clause"])
    _told(session)
    return session


@transaction.atomic
def session_set(
    *, slug: str, by: User, speakers_open: bool | None = None, speaking_time: int | None | type = ...
) -> LiveSession:
    """The Chair opens or closes the list of speakers, and times interventions (``speaking_time``
    seconds; None: not timed)."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    fields = []
    if speakers_open is not None:
        session.speakers_open, fields = speakers_open, [*fields, "speakers_open"]
    if speaking_time is not ...:
        if speaking_time is not None and not 10 <= speaking_time <= LONGEST_TURN:
            raise InvalidInput(
                _("Time an intervention for 10 to %(longest)d seconds, or not at all.") % {"longest": LONGEST_TURN},
                field="speaking_time",
            )
        session.speaking_time, fields = speaking_time, [*fields, "speaking_time"]
    if fields:
        session.save(update_fields=fields)
        _told(session)
    return session


@transaction.atomic
def session_close(*, slug: str, by: User) -> LiveSession:
    """The Chair closes the session: whoever has the floor has spoken, those waiting lose their
    place, and the session keeps what changed in it (``summary``), as "What changed" tells it."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    now = timezone.now()
    session.speakers.filter(state=FloorRequest.State.SPEAKING).update(state=FloorRequest.State.SPOKE, ended_at=now)
    session.speakers.filter(state=FloorRequest.State.WAITING).update(state=FloorRequest.State.WITHDRAWN, ended_at=now)
    changes = clause_changes(session.draft, session.opened_at, section_id=session.section_id)
    # Who made each paragraph's last version is kept as its history row, and named when read
    # (``drafting.selectors.changes.name_summaries``): a round put under the Chatham House rule
    # later hides their names from every summary too.
    latest = dict(
        Clause.history.filter(id__in=[item["clause"] for item in changes])
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .values_list("id", "history_id")
    )
    spoke = session.speakers.filter(state=FloorRequest.State.SPOKE)
    session.summary = {
        "clauses": [
            {key: item[key] for key in SUMMARY_FIELDS} | {"history_id": latest.get(item["clause"])} for item in changes
        ],
        "interventions": spoke.count(),
        "delegations": spoke.values("organization").distinct().count(),
    }
    session.closed_at, session.closed_by, session.clause = now, by, None
    session.save(update_fields=["summary", "closed_at", "closed_by", "clause"])
    _told(session)
    return session


# What a closed session keeps of each paragraph changed in it ("What changed"'s item, in short).
SUMMARY_FIELDS = ("clause", "change", "ref", "title", "version", "previous_version", "redline", "url")


@transaction.atomic
def session_edit(
    *, slug: str, by: User, clause_id: int, version: int, text: str, reason: str = "", on_proposal_of=None
):
    """The Chair's change to a paragraph of the open session, a new version as any edit
    (``clause_update``), credited to the Chair on the proposal of ``on_proposal_of`` (an organization
    id taking part in the draft) or on its own."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    if not scope(session).filter(pk=clause_id).exists():
        raise InvalidInput(_("That paragraph is not one this session is on."), field="clause")
    return clause_update(
        clause_id=clause_id, version=version, by=by, text=text, reason=reason, on_proposal_of=on_proposal_of
    )


# The list of speakers ------------------------------------------------------------------------------


def _delegation(by: User, session: LiveSession, standing: str, action: str):
    """The delegation ``by`` asks or withdraws for, once the rule lets them."""
    person = speaking_for_now(by)
    subject = rules.Subject(
        standing,
        state=LIST_OPEN if session.speakers_open else LIST_CLOSED,
        verified=person is not None and person.verified,
        context={"speaking_for": person},
    )
    rules.check(action, subject)
    return person.organization


@transaction.atomic
def floor_ask(*, slug: str, by: User) -> FloorRequest:
    """``by``'s delegation asks for the floor: one place in the list each (409 when it has one)."""
    session, standing = _session(by, slug)
    organization = _delegation(by, session, standing, "floor_ask")
    if session.speakers.filter(organization=organization, state__in=FloorRequest.IN_LINE).exists():
        raise Conflict(_("%(delegation)s is on the list of speakers already.") % {"delegation": organization.name})
    place = FloorRequest.objects.create(session=session, organization=organization, asked_by=by)
    _told(session)
    return place


@transaction.atomic
def floor_withdraw(*, slug: str, by: User) -> FloorRequest:
    """``by``'s delegation gives up its place (or the floor, when it has it)."""
    session, standing = _session(by, slug)
    organization = _delegation(by, session, standing, "floor_withdraw")
    place = session.speakers.filter(organization=organization, state__in=FloorRequest.IN_LINE).first()
    if place is None:
        raise NotFound(_("%(delegation)s is not on the list of speakers.") % {"delegation": organization.name})
    spoke = place.state == FloorRequest.State.SPEAKING
    place.state = FloorRequest.State.SPOKE if spoke else FloorRequest.State.WITHDRAWN
    place.ended_at = timezone.now()
    place.save(update_fields=["state", "ended_at"])
    _told(session)
    return place


def _end_turn(session: LiveSession, now) -> None:
    session.speakers.filter(state=FloorRequest.State.SPEAKING).update(state=FloorRequest.State.SPOKE, ended_at=now)


@transaction.atomic
def floor_give(*, slug: str, by: User, request_id: int | None = None) -> FloorRequest:
    """The Chair gives the floor to the delegation of ``request_id``, or to the next in line; the one
    speaking has then spoken. 409 when nobody waits."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    waiting = session.speakers.filter(state=FloorRequest.State.WAITING)
    place = (
        waiting.filter(pk=request_id).first() if request_id is not None else waiting.order_by("asked_at", "id").first()
    )
    if place is None:
        if request_id is not None:
            raise NotFound(_("That delegation is not waiting for the floor."))
        raise Conflict(_("Nobody is waiting for the floor."))
    now = timezone.now()
    _end_turn(session, now)
    place.state, place.floor_at = FloorRequest.State.SPEAKING, now
    place.save(update_fields=["state", "floor_at"])
    _told(session)
    return place


@transaction.atomic
def floor_end(*, slug: str, by: User) -> LiveSession:
    """The Chair ends the intervention under way (nothing when nobody has the floor)."""
    session, standing = _session(by, slug)
    rules.check("session_run", rules.Subject(standing))
    _end_turn(session, timezone.now())
    _told(session)
    return session
