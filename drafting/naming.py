"""How a person is named to a reader: the one home of the rule, asked by every serializer, page,
document, feed, notification and email that names someone for an act (a proposal, an amendment, a
comment, a vote, a change of a clause, a merge).

The rule:

- An act made in a round under the Chatham House rule (an amendment or vote of that round; any other
  act made while it was open or voting, up to and including its close, when merges are written)
  names its person and their organization to **nobody but the person themselves**: everyone else,
  moderators and administrators included, reads the stakeholder group only ("a participant
  (Industry)"). The group stays, so the record still shows who the text heard.
- Any other act names the person and what they spoke for then ("ana, Brazil (Government)").
- A person an import recorded (a name another installation wrote in a file: a history row's
  ``recorded_by``, or a placeholder account ``imports.writing.People`` made) is named as recorded and marked
  as imported ("admin (imported)"), so no file can pass a name off as a person here.
- An act of the Chair (a moderator acting as the Chair: the zero draft, an edit, a close, a merge
  the Chair applies, the Chair's own amendment or comment) names the Chair ("the Chair", or the
  title the draft gives it), never the moderator's own delegation, to everyone and under every
  rule: the Chair is not a delegation. A moderator who also belongs to a delegation speaks for it
  only on an act where they chose to.

What many read, or no one reader in particular (results, reports, dispositions, compilations, the
catch-up, notifications and emails, files), asks with no reader (``Naming.published``): under the
Chatham House rule it names the group only, to everyone. One wording everywhere: ``Named.label``
("ana (Brazil, Government)", "a participant (Government)").
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from accounts.selectors import SpeakingFor, speaking_for_at, speaking_for_data

from .models import DEFAULT_CHAIR, Draft

UNNAMED = "a participant"
UNNAMED_DELEGATION = "a delegation"
_READ = object()  # what a person spoke for is to be read from the membership history
IMPORTED = "{name} (imported)"  # how every page, answer and document shows a name an import recorded
# A placeholder account's user name (``imports.writing.People``): no one can sign up with spaces or brackets.
PLACEHOLDER = "{name} (imported, draft {draft_id}{counter})"
_PLACEHOLDER = re.compile(r"^(?P<name>.*) \(imported, draft \d+(?:, \d+)?\)$", re.DOTALL)


def placeholder_username(name: str, draft_id: int, attempt: int, *, limit: int) -> str:
    """The user name of the ``attempt``-th placeholder for ``name`` in draft ``draft_id``: a long name is
    shortened to leave room for the suffix; the attempt number tells apart two names that shorten alike."""
    suffix = PLACEHOLDER.format(name="", draft_id=draft_id, counter=f", {attempt}" if attempt > 1 else "")
    return name[: limit - len(suffix)].rstrip() + suffix


def recorded_name(username: str | None) -> str | None:
    """The name a placeholder account stands for, as the imported file recorded it (shortened, if
    it was too long for a user name); None for anyone else."""
    match = _PLACEHOLDER.match(username or "")
    return match.group("name") if match else None


def delegation_label(delegation: SpeakingFor) -> str:
    """A delegation as a sentence names it: "Brazil (Government)", or "a delegation (Government)"
    when only its group may be told (the Chatham House rule)."""
    if delegation.organization is None:
        return f"{UNNAMED_DELEGATION} ({delegation.group_label})"
    return str(delegation)


@dataclass(frozen=True)
class Named:
    """What a reader is told of the person behind one act."""

    name: str | None  # the user name, or None when only the group may be told
    speaking_for: SpeakingFor | None  # its organization None when only the group may be told
    withheld: bool = False  # the Chatham House rule kept the name from this reader
    chair: bool = False  # the act is the Chair's: ``name`` is the Chair's title
    # An imported person: the name as the file recorded it (a file written here writes it back);
    # ``name`` is then that name marked as imported, as every reader is shown it.
    recorded: str | None = None
    # The Chair's act on the proposal of a delegation (a live session's edit): that delegation, its
    # organization None when only the group may be told.
    proposed_by: SpeakingFor | None = None

    @classmethod
    def imported(cls, recorded: str | None, speaking_for: "SpeakingFor | None") -> "Named":
        """A person an import recorded: shown with the mark, never as if they were someone here. A
        row that recorded only a group (a Chatham House round's) names the group, as it did."""
        if not recorded:
            return cls(None, speaking_for, withheld=speaking_for is not None)
        return cls(IMPORTED.format(name=recorded), speaking_for, recorded=recorded)

    def data(self) -> dict:
        """The API's ``speaking_for`` object (``{organization, stakeholder_group, verified, chair}``)."""
        return speaking_for_data(self.speaking_for, named=not self.withheld, chair=self.chair)

    @property
    def label(self) -> str:
        """As text names them, in a sentence or a column: "ana (Brazil, Government)", "ana (claims to
        speak for Brazil, Government)", "a participant (Government)", "ana" (speaking for no one),
        "the Chair"."""
        if self.chair:
            return (self.name or DEFAULT_CHAIR) + self.on_proposal_of
        spoke = self.speaking_for
        if self.withheld:
            return f"{UNNAMED} ({spoke.group_label})" if spoke and spoke.group_label else UNNAMED
        if spoke is None or spoke.organization is None:
            return self.name or ""
        where = f"{spoke.organization.name}, {spoke.group_label}" if spoke.group_label else spoke.organization.name
        if not spoke.verified:
            where = f"claims to speak for {where}"
        return f"{self.name} ({where})" if self.name else where

    @property
    def sentence(self) -> str:
        """``label`` opening a sentence: "A participant (Government) commented ...", "The Chair
        proposed ..." (a user name is written as its owner wrote it)."""
        label = self.label
        return label if self.name and not self.withheld and not self.chair else label[:1].upper() + label[1:]

    @property
    def on_proposal_of(self) -> str:
        """ ", on the proposal of Brazil (Government)" after the Chair's name ("of a delegation
        (Government)" under the Chatham House rule); "" when the Chair acted alone."""
        proposed = self.proposed_by
        if proposed is None:
            return ""
        return f", on the proposal of {delegation_label(proposed)}"

    def proposed_by_data(self) -> dict | None:
        """The API's ``on_proposal_of``: a ``speaking_for`` object, or None."""
        if self.proposed_by is None:
            return None
        return speaking_for_data(self.proposed_by, named=self.proposed_by.organization is not None)

    @property
    def organization_name(self) -> str | None:
        spoke = self.speaking_for
        return spoke.organization.name if spoke is not None and spoke.organization is not None else None

    @property
    def group(self) -> str | None:
        return self.speaking_for.stakeholder_group if self.speaking_for is not None else None

    def __str__(self) -> str:
        return self.label


def names_people(round_) -> bool:
    """Whether acts of ``round_`` may name their people and organizations at all: never under the
    Chatham House rule. Only ``Naming`` asks it; everything that names someone asks ``Naming``."""
    return round_ is None or not round_.chatham_house


class Naming:
    """The rule for one reader over one draft's acts: which of them fall under the Chatham House
    rule (the draft's rounds, read once), and what each person spoke for then (``load``, one
    query for a whole page of acts)."""

    def __init__(self, reader, draft_id: int | None, *, known=(), started=None, chair: str | None = None):
        """``known``: rounds already read (the current one, say); the draft's started rounds are
        read only when an act needs them (one query), unless ``started`` gives them (in order, each
        with ``closed_through``). ``chair``: the draft's Chair as named (``Draft.chair_name``), else
        read when a Chair's act is named."""
        self._chair = chair
        self.reader_id = reader.pk if reader is not None and getattr(reader, "is_authenticated", False) else None
        self.draft_id = draft_id
        self.known = {r.id: not names_people(r) for r in known if r is not None}
        self._started = None
        if started is not None:
            self._started = list(started)
            self.known |= {r.id: not names_people(r) for r in self._started}
        self.speaking: dict = {}

    @classmethod
    def published(cls, draft_id: int | None, *, known=(), started=None, chair: str | None = None) -> "Naming":
        """The rule for what no one reader in particular reads (results, reports, compilations,
        the catch-up, notifications, files): under the Chatham House rule, the group only."""
        return cls(None, draft_id, known=known, started=started, chair=chair)

    def the_chair(self) -> Named:
        """The Chair, as the draft names it (read once)."""
        if self._chair is None:
            titles = Draft.objects.filter(pk=self.draft_id).values_list("chair", flat=True)
            self._chair = (titles.first() if self.draft_id is not None else None) or DEFAULT_CHAIR
        return Named(self._chair, None, chair=True)

    def rounds(self) -> "Naming":
        """Read the draft's started rounds now (a list about to name many acts)."""
        self._started_rounds()
        return self

    def _started_rounds(self) -> list:
        """The draft's started rounds, in order, each with ``closed_through`` (its close lasts until
        its snapshot); read once."""
        if self._started is None:
            from django.db.models import F

            from .models import Phase, Round

            rounds = []
            if self.draft_id is not None:
                rounds = list(
                    Round.objects.filter(draft_id=self.draft_id)
                    .exclude(phase=Phase.SCHEDULED)
                    .annotate(closed_through=F("snapshot__created_at"))
                    .only("id", "chatham_house", "phase", "closed_at", "created_at")
                    .order_by("created_at", "id")
                )
            self.known |= {r.id: not names_people(r) for r in rounds}
            self._started = rounds
        return self._started

    def load(self, pairs) -> "Naming":
        """Read what each ``(user id, when)`` spoke for, for the acts about to be named."""
        missing = [(u, w) for u, w in pairs if u is not None and w is not None and (u, w) not in self.speaking]
        if missing:
            self.speaking |= dict.fromkeys(missing) | speaking_for_at(missing)
        return self

    def recorded(self, user_id: int | None, when, organization) -> SpeakingFor | None:
        """What an act that recorded its organization (an amendment) spoke for: that organization,
        a claim until the membership is verified (as the membership history tells it for the same
        organization; an organization the history does not show, as an import's, is as recorded)."""
        if organization is None:
            return None
        if user_id is not None:
            self.load([(user_id, when)])
        history = self.speaking.get((user_id, when))
        same = history is not None and history.organization is not None and history.organization.pk == organization.pk
        return SpeakingFor.of(organization, verified=history.verified if same else True)

    def chair_on_proposal_of(self, organization, when: datetime | None, *, round_id: int | None = None) -> Named:
        """The Chair acting on the proposal of ``organization`` (None: on its own) at ``when``: the
        delegation named, or only its group under the Chatham House rule."""
        chair = self.the_chair()
        if organization is None:
            return chair
        proposed = SpeakingFor.of(organization)
        if self.under_chatham_house(when) or (round_id is not None and self.under_chatham_house(None, round_id)):
            proposed = proposed.without_organization()
        return replace(chair, proposed_by=proposed)

    def under_chatham_house(self, when: datetime | None, round_id: int | None = None) -> bool:
        if round_id is not None:
            if round_id not in self.known:
                self._started_rounds()
            return self.known.get(round_id, False)
        if when is None:
            return False
        round_ = round_at(self._started_rounds(), when)
        return round_ is not None and not names_people(round_)

    def person(
        self,
        user_id: int | None,
        username: str | None,
        when: datetime | None,
        *,
        round_id: int | None = None,
        published_in: int | None = None,
        spoke=_READ,
        as_chair: bool = False,
    ) -> Named:
        """How the person ``user_id`` (``username``) is named for their act at ``when``; ``round_id``
        when the act belongs to a round by its own link (an amendment, a vote, a proposal);
        ``published_in`` a round that publishes the act again (its results list an amendment carried
        over from an earlier round): the act is told as the stricter of the two rounds allows.
        ``spoke`` when the act recorded what they spoke for (an amendment's organization), else it
        is read from the membership history. ``as_chair``: the act is the Chair's (the record says
        so), and names the Chair whoever the reader and whatever the round's rule."""
        if as_chair:
            return self.the_chair()
        if spoke is _READ:
            if user_id is not None:
                self.load([(user_id, when)])
            spoke = self.speaking.get((user_id, when))
        if (
            user_id is not None
            and user_id != self.reader_id
            and (
                self.under_chatham_house(when, round_id)
                or (published_in is not None and self.under_chatham_house(None, published_in))
            )
        ):
            return Named(None, spoke.without_organization() if spoke else None, withheld=True)
        if recorded_name(username) is not None:
            return Named.imported(recorded_name(username), spoke)
        return Named(username, spoke)


def changed_by(naming: "Naming", record) -> Named:
    """Who made the version a clause's history row records: its person as the rule tells them by the
    row's moment, and by the round of the act it records when the row names one (a merge of an
    amendment carried over from an earlier round), whichever is stricter; an imported row whose
    author has no account here, by the name and delegation it was recorded under, as imported."""
    if getattr(record, "history_as_chair", False):
        proposed = record.history_on_proposal_of if getattr(record, "history_on_proposal_of_id", None) else None
        return naming.chair_on_proposal_of(
            proposed, record.history_date, round_id=getattr(record, "act_round_id", None)
        )
    if record.history_user_id is None:
        spoke = recorded_speaking_for(record)
        act = getattr(record, "act_round_id", None)
        if naming.under_chatham_house(record.history_date) or (
            act is not None and naming.under_chatham_house(None, act)
        ):
            # The Chatham House rule holds for a name a file recorded as for any other.
            return Named(None, spoke.without_organization() if spoke else None, withheld=True)
        return Named.imported(getattr(record, "recorded_by", "") or None, spoke)
    return naming.person(
        record.history_user_id,
        record.history_user.username,
        record.history_date,
        published_in=getattr(record, "act_round_id", None),
    )


def recorded_speaking_for(record) -> SpeakingFor | None:
    """What an imported history row's author spoke for, as the file recorded it (``RecordedAuthor``):
    an organization (its group with it), or only a group where the file withheld the organization."""
    if getattr(record, "recorded_for_id", None) is not None:
        return SpeakingFor.of(record.recorded_for, verified=record.recorded_verified)
    if getattr(record, "recorded_group", ""):
        return SpeakingFor(None, record.recorded_group, record.recorded_verified)
    return None


def round_at(rounds, when: datetime):
    """The round an act at ``when`` belongs to, of a draft's started rounds in the order they were
    made: the first not closed by then (a close, its merges included, lasts until its snapshot),
    else the last closed one. The catch-up divides acts the same way (``selectors.changes``)."""
    for round_ in rounds:
        if round_.closed_at is None or max(round_.closed_at, round_.closed_through or round_.closed_at) >= when:
            return round_
    closed = sorted(rounds, key=lambda r: (r.closed_at, r.id), reverse=True)
    return closed[0] if closed else None


def naming_for(context: dict | None, reader, draft_of) -> Naming:
    """The ``Naming`` a serializer's context carries (``context["naming"]``), or one made for the
    draft ``draft_of()`` names (asked only then: a list's view puts one in the context)."""
    context = context if context is not None else {}
    naming = context.get("naming")
    if naming is None:
        naming = Naming(reader, draft_of())
        context["naming"] = naming
    return naming


def reader_of(context: dict | None):
    request = (context or {}).get("request")
    return getattr(request, "user", None)


def name_on_page(reader, draft, *, comments=(), amendments=(), clauses=(), history=()) -> None:
    """Name everyone a page of ``draft`` shows, for its reader: ``named`` on each comment, amendment
    and history row, ``proposer_named`` on each clause; what each spoke for is read in one query."""
    naming = Naming(reader, draft.pk, chair=draft.chair_name).rounds()
    naming.load(
        [
            *((c.author_id, c.created_at) for c in comments),
            *((a.author_id, a.created_at) for a in amendments),
            *((c.proposer_id, c.created_at) for c in clauses),
            *((r.history_user_id, r.history_date) for r in history),
        ]
    )
    for comment in comments:
        comment.named = comment_author(naming, comment)
    for amendment in amendments:
        amendment.named = amendment_author(naming, amendment)
    for clause in clauses:
        clause.proposer_named = proposer(naming, clause)
    for record in history:
        record.named = changed_by(naming, record)


def amendment_author(naming: Naming, amendment, **act) -> Named:
    """An amendment's author, with the organization recorded when it was submitted, or the Chair."""
    if amendment.as_chair:
        return naming.the_chair()
    return naming.person(
        amendment.author_id,
        amendment.author.username,
        amendment.created_at,
        round_id=amendment.round_id,
        spoke=naming.recorded(amendment.author_id, amendment.created_at, amendment.organization),
        **act,
    )


def proposer(naming: Naming, clause, **act) -> Named:
    """Who proposed a clause: the Chair (the zero draft, a Chair's proposal) or a delegation's person.
    ``act``: as ``Naming.person`` takes it (``published_in``)."""
    username = clause.proposer.username if clause.proposer_id else None
    return naming.person(
        clause.proposer_id,
        username,
        clause.created_at,
        round_id=clause.round_id,
        as_chair=clause.proposed_as_chair,
        **act,
    )


def comment_author(naming: Naming, comment, **act) -> Named:
    """Who wrote a comment: the Chair, or a person as the rule names them."""
    return naming.person(
        comment.author_id, comment.author.username, comment.created_at, as_chair=comment.as_chair, **act
    )


@dataclass(frozen=True)
class Cosponsors:
    """The delegations co-sponsoring one proposal, as a reader is told them: each organization with
    its group, or under the Chatham House rule their groups only (``withheld``)."""

    delegations: tuple[SpeakingFor, ...] = ()
    withheld: bool = False

    def __bool__(self) -> bool:
        return bool(self.delegations)

    def __len__(self) -> int:
        return len(self.delegations)

    @property
    def label(self) -> str:
        """ "Kenya (Government), Chile (Government)"; under the Chatham House rule "2 delegations
        (Government, Civil society)", the groups in their usual order, never a name."""
        if not self.withheld:
            return ", ".join(str(d) for d in self.delegations)
        from accounts.models import StakeholderGroup

        groups = {d.stakeholder_group for d in self.delegations}
        labels = ", ".join(StakeholderGroup(g).label for g in StakeholderGroup.values if g in groups)
        count = len(self.delegations)
        return f"{count} delegation{'s' if count != 1 else ''} ({labels})" if labels else f"{count} delegations"

    @property
    def sentence(self) -> str:
        """What follows the proposer: ", co-sponsored by Kenya (Government)"; nothing when none."""
        return cosponsored(self.label) if self.delegations else ""

    def data(self) -> list[dict]:
        """The API's ``cosponsors``: one ``speaking_for`` object per delegation (no organization
        under the Chatham House rule)."""
        return [speaking_for_data(d, named=not self.withheld) for d in self.delegations]


def cosponsored(delegations: str) -> str:
    """What follows "Proposed by Brazil (Government)" when others co-sponsor it (``delegations``: a
    ``Cosponsors.label``, as pages and papers keep it); nothing when none."""
    return f", co-sponsored by {delegations}" if delegations else ""


def cosponsors(naming: Naming, round_id: int | None, organizations, *, published_in: int | None = None) -> Cosponsors:
    """How the delegations ``organizations`` co-sponsoring a proposal of the round ``round_id`` are
    told: a co-sponsorship is an act of that round, so its rule (and that of a round publishing it
    again, ``published_in``) decides, for every reader alike: under the Chatham House rule, groups
    only. Each acted through a verified member, so none is a mere claim."""
    withheld = naming.under_chatham_house(None, round_id) if round_id is not None else False
    if published_in is not None:
        withheld = withheld or naming.under_chatham_house(None, published_in)
    spoke = tuple(SpeakingFor.of(o) for o in organizations)
    return Cosponsors(tuple(s.without_organization() for s in spoke) if withheld else spoke, withheld)
