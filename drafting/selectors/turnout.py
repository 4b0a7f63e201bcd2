"""Who has not voted yet, for the Chair while a round votes: per delegation, how many items of the
ballot it has voted on and whether it was reminded; per item, how many delegations voted and which
have not. Under the Chatham House rule only counts per stakeholder group are given: a row per
delegation, even unnamed, would tell a named delegation by its place among its group's.

A delegation takes part through its voting members: the draft's participants whose vote goes
through it (``accounts.selectors.voting_membership_sql``, the one rule of who votes). It has voted
on an item when its one vote is on it (a round counted per delegation), or when every one of its
voting members' votes is (a round counted per person: each of them counts).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from accounts.models import Membership, Organization
from accounts.selectors import voting_membership_sql

from ..models import Phase, Role, Round, Vote, VoteReminder
from ..naming import Naming
from ..tally import ballot

# Each participant of the draft who may vote (an active person, not an administrator, whom the vote
# rule refuses) with the organization they vote through in the round.
_VOTING_MEMBERS = f"""
    SELECT dm.user_id, vm.organization_id
    FROM drafting_draftmembership dm
    JOIN accounts_user u ON u.id = dm.user_id AND u.is_active AND NOT u.is_superuser
    JOIN accounts_membership vm ON vm.id = (
        {voting_membership_sql("SELECT unnest(%s::text[])", user="dm.user_id")}
    )
    WHERE dm.draft_id = %s AND dm.role = %s
"""  # noqa: S608 - the rule's own SQL, values as parameters


@dataclass
class DelegationTurnout:
    organization_id: int
    stakeholder_group: str
    name: str
    voted: int
    members: list[int] = field(default_factory=list)
    behind_members: list[int] = field(default_factory=list)  # those a reminder tells
    reminded_at: datetime | None = None


@dataclass
class GroupTurnout:
    stakeholder_group: str
    delegations: int
    behind: int
    reminded: int


@dataclass
class ItemTurnout:
    kind: str
    item: object
    voted: int  # delegations
    missing: list[DelegationTurnout] | None = None  # for the item asked about
    missing_by_group: dict[str, int] | None = None


@dataclass
class Turnout:
    round: Round
    items: list[ItemTurnout]
    delegations: list[DelegationTurnout]  # those behind first, then by group and name
    named: bool

    @property
    def behind(self) -> list[DelegationTurnout]:
        """The delegations that have not voted on every item."""
        return [d for d in self.delegations if d.voted < len(self.items)]

    @property
    def to_remind(self) -> list[DelegationTurnout]:
        """The delegations behind that were not reminded in this round yet."""
        return [d for d in self.behind if d.reminded_at is None]

    @property
    def groups(self) -> list[GroupTurnout]:
        totals: dict[str, GroupTurnout] = {}
        for d in self.delegations:
            entry = totals.setdefault(d.stakeholder_group, GroupTurnout(d.stakeholder_group, 0, 0, 0))
            entry.delegations += 1
            entry.behind += d.voted < len(self.items)
            entry.reminded += d.reminded_at is not None
        return sorted(totals.values(), key=lambda g: g.stakeholder_group)


def voting_members(round_: Round) -> dict[int, list[int]]:
    """``{organization id: [user ids]}``: the delegations that vote in ``round_`` and their voting members."""
    members: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _VOTING_MEMBERS,
            [Membership.Status.VERIFIED, list(round_.eligible_groups), round_.draft_id, Role.PARTICIPANT],
        )
        for user_id, organization_id in cursor.fetchall():
            members.setdefault(organization_id, []).append(user_id)
    return members


def _item_key(row) -> tuple[str, int]:
    return ("clause", row["clause_id"]) if row["clause_id"] else ("amendment", row["amendment_id"])


def turnout(round_: Round, *, item: tuple[str, int] | None = None) -> Turnout:
    """The round's turnout while it votes (empty otherwise: what a closed round decided is its
    results); ``item`` (``("clause", id)``): also which delegations have not voted on that item."""
    named = not Naming.published(round_.draft_id, known=[round_]).under_chatham_house(None, round_.id)
    if round_.phase != Phase.VOTING:
        return Turnout(round=round_, items=[], delegations=[], named=named)
    members = voting_members(round_)
    voters = {user_id: organization_id for organization_id, ids in members.items() for user_id in ids}
    organizations = Organization.objects.in_bulk(list(members))
    on_ballot = ballot(round_)
    votes = Vote.objects.filter(round=round_, organization_id__in=list(members))
    # Who voted on what: a delegation's votes (one per item), or its members' (one per person and item).
    voted_on: dict[int, set] = {}
    by_person: dict[int, int] = {}
    for row in votes.values("organization_id", "voter_id", "clause_id", "amendment_id"):
        if round_.per_delegation:
            voted_on.setdefault(row["organization_id"], set()).add(_item_key(row))
        elif voters.get(row["voter_id"]) == row["organization_id"]:
            by_person[row["voter_id"]] = by_person.get(row["voter_id"], 0) + 1
            voted_on.setdefault(row["voter_id"], set()).add(_item_key(row))
    reminded = dict(VoteReminder.objects.filter(round=round_).values_list("organization_id", "sent_at"))
    total = len(on_ballot)

    def items_of(organization_id: int) -> set:
        if round_.per_delegation:
            return voted_on.get(organization_id, set())
        # Per person: an item every voting member of the delegation has voted on.
        sets = [voted_on.get(user_id, set()) for user_id in members[organization_id]]
        return set.intersection(*sets) if sets else set()

    delegations = []
    for organization in organizations.values():
        ids = members[organization.pk]
        behind = ids if round_.per_delegation else [u for u in ids if by_person.get(u, 0) < total]
        delegations.append(
            DelegationTurnout(
                organization_id=organization.pk,
                stakeholder_group=organization.stakeholder_group,
                name=organization.name,
                voted=len(items_of(organization.pk)),
                members=ids,
                behind_members=behind,
                reminded_at=reminded.get(organization.pk),
            )
        )
    delegations.sort(key=lambda d: (d.voted >= total, d.stakeholder_group, d.name.casefold(), d.organization_id))
    done = {d.organization_id: items_of(d.organization_id) for d in delegations}
    items = []
    for kind, obj in on_ballot:
        key = (kind, obj.id)
        entry = ItemTurnout(kind, obj, sum(key in done[d.organization_id] for d in delegations))
        if item == key:
            missing = [d for d in delegations if key not in done[d.organization_id]]
            entry.missing = missing if named else None
            entry.missing_by_group = {}
            for d in missing:
                entry.missing_by_group[d.stakeholder_group] = entry.missing_by_group.get(d.stakeholder_group, 0) + 1
        items.append(entry)
    return Turnout(round=round_, items=items, delegations=delegations, named=named)
