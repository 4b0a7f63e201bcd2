"""What the live room shows: the session of a draft, the paragraph on the screen with its redline
since the session opened, and the list of speakers, named as the Chatham House rule allows."""

from dataclasses import dataclass, field

from accounts.models import Organization
from accounts.selectors import SpeakingFor, speaking_for_now
from drafting import rules
from drafting.models import Draft
from drafting.naming import Naming, delegation_label
from drafting.rules_room import LIST_CLOSED, LIST_OPEN
from drafting.selectors import delegations_in
from drafting.selectors.changes import clause_changes, name_summaries

from .models import FloorRequest, LiveSession
from .room import open_session, scope

# How many closed sessions the room page lists.
PAST = 10


@dataclass
class Speaker:
    """A place on the list: the delegation as the reader may be told it (its group only under the
    Chatham House rule, unless it is the reader's own)."""

    place: FloorRequest
    delegation: SpeakingFor
    mine: bool = False

    @property
    def label(self) -> str:
        label = delegation_label(self.delegation)
        return label[0].upper() + label[1:]  # first on its line

    def data(self) -> dict:
        named = self.delegation.organization is not None
        return {
            "id": self.place.pk,
            "state": self.place.state,
            "delegation": self.delegation.organization.name if named else None,
            "stakeholder_group": self.delegation.stakeholder_group,
            "label": self.label,
            "mine": self.mine,
            "asked_at": self.place.asked_at,
            "floor_at": self.place.floor_at,
        }


@dataclass
class Room:
    draft: Draft
    session: LiveSession | None
    can: dict
    speaking: Speaker | None = None
    waiting: list[Speaker] = field(default_factory=list)
    mine: Speaker | None = None
    clause: object = None  # the paragraph on screen
    redline: list[dict] | None = None  # its change since the session opened, None when unchanged
    changed_by: str = ""
    paragraphs: list = field(default_factory=list)  # the session's, for the Chair to move through
    changed: set = field(default_factory=set)  # ids of the paragraphs changed in this session
    past: list[LiveSession] = field(default_factory=list)
    delegations: list[Organization] = field(default_factory=list)  # "on the proposal of", for the Chair


def _speakers(session: LiveSession, own: SpeakingFor | None, naming: Naming) -> list[Speaker]:
    """The list, each delegation named as ``naming`` allows; the reader's ``own`` named to them
    (none for the room's screen, which the whole room reads)."""
    own_id = own.organization.pk if own is not None else None
    places = session.speakers.filter(state__in=FloorRequest.IN_LINE).select_related("organization")
    found = []
    for place in places.order_by("asked_at", "id"):
        delegation = SpeakingFor.of(place.organization)
        mine = place.organization_id == own_id
        if not mine and naming.under_chatham_house(place.asked_at):
            delegation = delegation.without_organization()
        found.append(Speaker(place, delegation, mine))
    return found


def room(user, draft: Draft, standing: str, *, screen: bool = False) -> Room:
    """The room of ``draft`` as ``user`` (of ``standing`` in it, who may read it) sees it; the
    room's ``screen`` names people as it would to no one reader in particular."""
    session = open_session(draft)
    person = speaking_for_now(user) if user.is_authenticated else None
    subject = rules.Subject(
        standing,
        state=LIST_OPEN if session is None or session.speakers_open else LIST_CLOSED,
        verified=person is not None and person.verified,
        context={"speaking_for": person},
    )
    found = Room(draft, session, rules.abilities(subject, "session_run", "floor_ask", "floor_withdraw"))
    if not screen:
        found.past = list(
            LiveSession.objects.filter(draft=draft, closed_at__isnull=False).order_by("-closed_at")[:PAST]
        )
        name_summaries(draft, found.past)
    if session is None:
        return found
    if screen:
        speakers = _speakers(session, None, Naming.published(draft.pk, chair=draft.chair_name))
    else:
        speakers = _speakers(session, person, Naming(user, draft.pk, chair=draft.chair_name))
    found.speaking = next((s for s in speakers if s.place.state == FloorRequest.State.SPEAKING), None)
    found.waiting = [s for s in speakers if s.place.state == FloorRequest.State.WAITING]
    found.mine = next((s for s in speakers if s.mine), None)
    chair = found.can["session_run"] and not screen
    found.clause = session.clause
    if session.clause is not None or chair:
        # The Chair's list marks every paragraph changed; others see the one on the screen.
        only = None if chair else session.clause_id
        changes = clause_changes(draft, session.opened_at, section_id=session.section_id, clause_id=only)
        found.changed = {item["clause"] for item in changes}
        item = next((i for i in changes if i["clause"] == session.clause_id), None)
        if item is not None:
            found.redline, found.changed_by = item["redline"], item.get("who", "")
    if chair:
        found.paragraphs = list(scope(session).select_related("section"))
        found.delegations = list(delegations_in(draft.pk).order_by("name"))
    return found
