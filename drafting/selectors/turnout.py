"""Who has not voted yet, for the Chair while a round votes: per delegation, how many items of the
ballot it has voted on and whether it was reminded; per item, how many delegations voted and which
have not. Under the Chatham House rule delegations are told by their stakeholder group only.

A delegation takes part through its voting members: the draft's participants whose vote goes
through it (``accounts.selectors.voting_membership_sql``, the one rule of who votes). A delegation
has voted on an item when its vote (counted per delegation) or one of its members' votes (per
person) is on it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count

from accounts.models import Membership, Organization
from accounts.selectors import voting_membership_sql

from ..models import Role, Round, Vote, VoteReminder
from ..tally import ballot

# Each participant of the draft with the organization they vote through in the round.
_VOTING_MEMBERS = f"""
    SELECT dm.user_id, vm.organization_id
    FROM drafting_draftmembership dm
    JOIN accounts_membership vm ON vm.id = (
        {voting_membership_sql("SELECT unnest(%s::text[])", user="dm.user_id")}
    )
    WHERE dm.draft_id = %s AND dm.role = %s
"""  # noqa: S608 - the rule's own SQL, values as parameters


@dataclass
class DelegationTurnout:
    organization_id: int
    stakeholder_group: str
    name: str | None  # None when the round names groups only
    voted: int
    members: list[int] = field(default_factory=list)
    reminded_at: datetime | None = None


@dataclass
class ItemTurnout:
    kind: str
    item: object
    voted: int  # delegations
    missing: list[DelegationTurnout] | None = None  # for the item asked about


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

    def by_group(self, delegations) -> dict[str, int]:
        counts: dict[str, int] = {}
        for delegation in delegations:
            counts[delegation.stakeholder_group] = counts.get(delegation.stakeholder_group, 0) + 1
        return counts


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


def turnout(round_: Round, *, item: tuple[str, int] | None = None) -> Turnout:
    """The round's turnout as the Chair sees it; ``item`` (``("clause", id)``): also which
    delegations have not voted on that item."""
    members = voting_members(round_)
    organizations = Organization.objects.in_bulk(list(members))
    votes = Vote.objects.filter(round=round_, organization_id__in=list(members))
    items_voted = {
        row["organization_id"]: row["clauses"] + row["amendments"]
        for row in votes.values("organization_id")
        .annotate(clauses=Count("clause", distinct=True), amendments=Count("amendment", distinct=True))
        .order_by()
    }
    reminded = dict(VoteReminder.objects.filter(round=round_).values_list("organization_id", "sent_at"))
    named = not round_.chatham_house
    delegations = [
        DelegationTurnout(
            organization_id=organization.pk,
            stakeholder_group=organization.stakeholder_group,
            name=organization.name if named else None,
            voted=items_voted.get(organization.pk, 0),
            members=members[organization.pk],
            reminded_at=reminded.get(organization.pk),
        )
        for organization in organizations.values()
    ]
    on_ballot = ballot(round_)
    delegations.sort(key=lambda d: (d.voted >= len(on_ballot), d.stakeholder_group, d.name or "", d.organization_id))
    per_item = {
        ("clause", row["clause_id"]) if row["clause_id"] else ("amendment", row["amendment_id"]): row["n"]
        for row in votes.values("clause_id", "amendment_id").annotate(n=Count("organization", distinct=True)).order_by()
    }
    items = [ItemTurnout(kind, obj, per_item.get((kind, obj.id), 0)) for kind, obj in on_ballot]
    if item is not None:
        for entry in items:
            if (entry.kind, entry.item.id) == item:
                voted = set(
                    votes.filter(**{f"{entry.kind}_id": entry.item.id}).values_list("organization_id", flat=True)
                )
                entry.missing = [d for d in delegations if d.organization_id not in voted]
    return Turnout(round=round_, items=items, delegations=delegations, named=named)
