"""Co-sponsors: a proposal as the co-sponsorship rules see it (``drafting.rules_cosponsors``), who
proposed it for which delegation, and the delegations co-sponsoring each of many proposals, read in
one query and named by the naming rule."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.selectors import SpeakingFor, speaking_for_now
from codeofconduct.errors import InvalidInput

from .. import rules
from ..models import Amendment, Clause, Cosponsorship
from ..naming import Cosponsors, Naming, cosponsors
from ..rules_cosponsors import CHAIR_PROPOSAL
from .lookups import amendment_for, clause_for

KINDS = ("clause", "amendment")  # what a delegation co-sponsors
_LOOK_IT_UP = object()


def proposal_for(user, kind: str, item_id: int, *, for_update: bool = False) -> tuple[Clause | Amendment, str]:
    """The clause or amendment and the person's standing in its draft (NotFound as ``clause_for``),
    with its round. ``for_update``: its row stays locked, which serialises what its co-sponsors do."""
    if kind not in KINDS:
        raise InvalidInput(_("Co-sponsor a clause or an amendment."), field="kind")
    found = clause_for if kind == "clause" else amendment_for
    proposal, standing = found(user, item_id, for_update=for_update)
    proposal.round  # noqa: B018 - read once here: the phase its co-sponsors meet
    return proposal, standing


def kind_of(proposal) -> str:
    return "clause" if isinstance(proposal, Clause) else "amendment"


def draft_of(proposal):
    return proposal.draft if isinstance(proposal, Clause) else proposal.clause.draft


def is_chairs(proposal) -> bool:
    """The Chair's proposal (or a clause put in the text outside a round): no delegation's to co-sponsor."""
    if isinstance(proposal, Clause):
        return proposal.proposed_as_chair or proposal.round_id is None or proposal.proposer_id is None
    return proposal.as_chair


def proposing_delegation(proposal) -> SpeakingFor | None:
    """What the proposal was made for, as the naming rule tells it: an amendment's recorded
    organization (a claim while its author's membership was not verified), a clause's proposer's
    delegation when proposing; None for the Chair's, or for someone who spoke for no one."""
    if is_chairs(proposal):
        return None
    naming = Naming(None, None)
    if isinstance(proposal, Amendment):
        return naming.recorded(proposal.author_id, proposal.created_at, proposal.organization)
    naming.load([(proposal.proposer_id, proposal.created_at)])
    return naming.speaking.get((proposal.proposer_id, proposal.created_at))


def proposer_id(proposal) -> int | None:
    return proposal.proposer_id if isinstance(proposal, Clause) else proposal.author_id


def cosponsor_subject(user, proposal, standing: str, *, person=_LOOK_IT_UP, proponent=_LOOK_IT_UP) -> rules.Subject:
    """The co-sponsorship rules' view of ``user`` and ``proposal`` (see ``rules_cosponsors``).
    ``person``: what the user speaks for now (``speaking_for_now``), ``proponent``: the proposing
    delegation, when the caller has read them."""
    if person is _LOOK_IT_UP:
        person = speaking_for_now(user)
    if proponent is _LOOK_IT_UP:
        proponent = proposing_delegation(proposal)
    if proponent is None:  # the proposer spoke for no delegation: they alone are its proponent
        own = user is not None and user.is_authenticated and proposer_id(proposal) == user.pk
    else:  # the delegation's, verified or not: its own proposal, whoever of it proposed
        own = person is not None and person.organization.pk == proponent.organization.pk
    round_ = proposal.round
    return rules.Subject(
        standing,
        phase=round_.phase if round_ is not None else rules.NO_ROUND,
        state=CHAIR_PROPOSAL if is_chairs(proposal) else proposal.status,
        owner=own,
        verified=person is not None and person.verified,
        label=_("Clause %(ref)s") % {"ref": proposal.ref}
        if isinstance(proposal, Clause)
        else _("Amendment %(id)s") % {"id": proposal.pk},
        context={"speaking_for": person},
    )


def live_cosponsorships(*, clauses=(), amendments=()) -> dict[tuple[str, int], list[Cosponsorship]]:
    """``{(kind, proposal id): its requests and co-sponsorships, oldest first}`` for the clauses and
    amendments of those ids, in one query (none when there are none)."""
    clauses, amendments = list(clauses), list(amendments)
    if not clauses and not amendments:
        return {}
    rows = (
        Cosponsorship.objects.filter(Q(clause_id__in=clauses) | Q(amendment_id__in=amendments))
        .filter(status__in=Cosponsorship.LIVE)
        .select_related("organization")
        .order_by("created_at", "id")
    )
    found: dict[tuple[str, int], list[Cosponsorship]] = {}
    for row in rows:
        key = ("clause", row.clause_id) if row.clause_id else ("amendment", row.amendment_id)
        found.setdefault(key, []).append(row)
    return found


def name_cosponsors(naming: Naming, proposals, *, published_in: int | None = None) -> None:
    """Set ``cosponsors`` (a ``naming.Cosponsors``) on each of ``proposals`` (clauses and amendments,
    mixed): the delegations co-sponsoring it, as ``naming`` tells them; one query, none when every
    one is the Chair's."""
    proposals = list(proposals)
    delegations = [p for p in proposals if not is_chairs(p)]
    found = live_cosponsorships(
        clauses=[p.pk for p in delegations if kind_of(p) == "clause"],
        amendments=[p.pk for p in delegations if kind_of(p) == "amendment"],
    )
    for proposal in proposals:
        rows = found.get((kind_of(proposal), proposal.pk), [])
        organizations = [r.organization for r in rows if r.status == Cosponsorship.Status.JOINED]
        proposal.cosponsors = (
            cosponsors(naming, proposal.round_id, organizations, published_in=published_in)
            if organizations
            else Cosponsors()
        )


def cosponsor_panel(user, proposal, standing: str) -> dict:
    """What a proposal's page shows of its co-sponsors and offers this reader: the co-sponsors named
    to them (``proposal.cosponsors``), the reader's delegation and its live row, the requests
    awaiting the proponent (to the proponent only, each with its delegation as named), and which of
    the rules let them act. ``{"shown": False}`` for the Chair's proposal."""
    proposal.cosponsors = Cosponsors()
    if is_chairs(proposal):
        return {"shown": False}
    naming = Naming(user, draft_of(proposal).pk, known=[proposal.round])  # the proposal's round decides
    kind = kind_of(proposal)
    rows = live_cosponsorships(**{f"{kind}s": [proposal.pk]}).get((kind, proposal.pk), [])
    organizations = [r.organization for r in rows if r.status == Cosponsorship.Status.JOINED]
    if organizations:
        proposal.cosponsors = cosponsors(naming, proposal.round_id, organizations)
    person = speaking_for_now(user) if user.is_authenticated else None
    subject = cosponsor_subject(user, proposal, standing, person=person)
    mine = None
    if person is not None and person.verified:
        mine = next((r for r in rows if r.organization_id == person.organization.pk), None)
    decide = rules.allowed("cosponsor_decide", subject)
    requests = [r for r in rows if r.status == Cosponsorship.Status.REQUESTED] if decide else []
    asking = cosponsors(naming, proposal.round_id, [r.organization for r in requests]).delegations if requests else ()
    return {
        "shown": True,
        "delegation": person.organization if person is not None and person.verified else None,
        "mine": mine,
        "requests": list(zip(requests, asking, strict=True)),
        "setting": proposal.cosponsorship,
        "can_cosponsor": mine is None and rules.allowed("cosponsor", subject),
        "can_withdraw": mine is not None and rules.allowed("cosponsor_withdraw", subject),
        "can_decide": decide,
        "can_set": rules.allowed("cosponsorship_set", subject),
    }
