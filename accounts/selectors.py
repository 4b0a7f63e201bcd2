"""Reads about people: above all, which organization (and so which stakeholder group) a person speaks for.

This is the one place that rule lives: amendments record it, notifications name it under Chatham
House rule, dispositions and results show the group, and votes count it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.expressions import RawSQL

from .models import Membership, Organization, StakeholderGroup, User

# A verified membership counts before a pending one; among equals, the oldest comes first.
_SPEAKING_ORDER = (
    Case(When(status=Membership.Status.VERIFIED, then=Value(0)), default=Value(1), output_field=IntegerField()),
    "created_at",
    "id",
)


def _speaking_membership(user: User | None) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return Membership.objects.filter(user=user).select_related("organization").order_by(*_SPEAKING_ORDER).first()


def speaking_for(user: User | None) -> Organization | None:
    """The organization a person speaks for: their oldest verified membership, else their oldest one."""
    membership = _speaking_membership(user)
    return membership.organization if membership else None


@dataclass(frozen=True)
class SpeakingFor:
    """Who a person spoke for in one act: an organization and its stakeholder group.

    The organization is None when only the group may be told (the Chatham House rule). ``verified``
    is False while the membership is only claimed: an administrator has not verified it (then or
    since), so pages say "claims to speak for ..." rather than state it as fact.
    """

    organization: Organization | None
    stakeholder_group: str
    verified: bool = True

    @classmethod
    def of(cls, organization: Organization | None, *, verified: bool = True) -> "SpeakingFor | None":
        """What an act that stored its organization (an amendment, a vote) spoke for."""
        return cls(organization, organization.stakeholder_group, verified) if organization is not None else None

    @property
    def group_label(self) -> str:
        return (
            StakeholderGroup(self.stakeholder_group).label if self.stakeholder_group in StakeholderGroup.values else ""
        )

    def without_organization(self) -> "SpeakingFor":
        return SpeakingFor(None, self.stakeholder_group, self.verified)

    def __str__(self) -> str:
        """As pages show it: "Brazil (Government)", or "Government" when only the group is told; a
        membership not verified: "claims to speak for Brazil (Government)"."""
        if self.organization is None:
            return self.group_label if self.verified else f"{self.group_label}, not verified"
        said = f"{self.organization.name} ({self.group_label})"
        return said if self.verified else f"claims to speak for {said}"


def speaking_for_now(user: User | None) -> SpeakingFor | None:
    """What a person speaks for now (``speaking_for``'s rule), and whether that membership is verified."""
    membership = _speaking_membership(user)
    if membership is None:
        return None
    return SpeakingFor.of(membership.organization, verified=membership.status == Membership.Status.VERIFIED)


def speaking_for_data(speaking: SpeakingFor | None, *, named: bool = True, chair: bool = False) -> dict:
    """The API's ``speaking_for`` object: ``{organization: name or null, stakeholder_group: key or null,
    verified, chair}`` (``verified``: an administrator has verified the membership; false when none;
    ``chair``: the act is the Chair's, which speaks for no delegation).

    ``named=False`` (the Chatham House rule) keeps the group and drops the organization.
    """
    if speaking is None or chair:
        return {"organization": None, "stakeholder_group": None, "verified": False, "chair": chair}
    organization = speaking.organization if named else None
    return {
        "organization": organization.name if organization else None,
        "stakeholder_group": speaking.stakeholder_group,
        "verified": speaking.verified,
        "chair": False,
    }


def speaking_for_at(pairs: Iterable[tuple[int | None, datetime]]) -> dict[tuple[int, datetime], SpeakingFor | None]:
    """``{(user id, when): what they spoke for then}`` for many acts, in one query.

    The rule is ``speaking_for``'s (the oldest verified membership, else the oldest), applied to
    the memberships as the membership history shows them at ``when``: one deleted later still
    counts for what came before, one verified later was pending until then (but is no longer
    shown as a mere claim: ``verified`` is whether it was verified then or is now). Pairs without
    a person are left out of the answer.
    """
    pairs = {(user_id, when) for user_id, when in pairs if user_id is not None and when is not None}
    if not pairs:
        return {}
    by_user: dict[int, list[datetime]] = {}
    for user_id, when in pairs:
        by_user.setdefault(user_id, []).append(when)
    verified_now = Membership.objects.filter(pk=OuterRef("id"), status=Membership.Status.VERIFIED)
    rows = (
        Membership.history.filter(user_id__in=by_user, history_date__lte=max(when for _, when in pairs))
        .annotate(verified_since=Exists(verified_now))
        .select_related("organization")
        .order_by("user_id", "history_date", "history_id")
        .only(
            "id",
            "user_id",
            "status",
            "created_at",
            "history_date",
            "history_id",
            "history_type",
            "organization__name",
            "organization__country",
            "organization__stakeholder_group",
        )
    )
    changes: dict[int, list] = {}
    for row in rows:
        changes.setdefault(row.user_id, []).append(row)
    answer = {}
    for user_id, moments in by_user.items():
        history, seen, standing = changes.get(user_id, []), 0, {}
        for when in sorted(moments):
            # Replay the history up to this act: each membership as its latest change left it.
            while seen < len(history) and history[seen].history_date <= when:
                row = history[seen]
                if row.history_type == "-":
                    standing.pop(row.id, None)
                else:
                    standing[row.id] = row
                seen += 1
            first = min(
                standing.values(),
                key=lambda m: (m.status != Membership.Status.VERIFIED, m.created_at, m.id),
                default=None,
            )
            # A claim stays a claim until an administrator verifies it (then, or since).
            verified = first is not None and (first.status == Membership.Status.VERIFIED or first.verified_since)
            answer[(user_id, when)] = SpeakingFor.of(first.organization, verified=verified) if first else None
    return answer


def mark_speaking_for(entries: Iterable[tuple[object, str, int | None, datetime]]) -> None:
    """For each ``(obj, attribute, user id, when)``, set ``obj.<attribute>`` to what that person
    spoke for then (None when nobody, or nothing), every act answered by one query."""
    entries = list(entries)
    found = speaking_for_at((user_id, when) for _, _, user_id, when in entries)
    for obj, attribute, user_id, when in entries:
        setattr(obj, attribute, found.get((user_id, when)))


def group_spoken_for(user_ref) -> Subquery:
    """``speaking_for``'s rule inside a query: the stakeholder group of the person ``user_ref`` names
    (an ``OuterRef``), as their memberships stand now; None when they have none."""
    memberships = Membership.objects.filter(user=user_ref).order_by(*_SPEAKING_ORDER)
    return Subquery(memberships.values("organization__stakeholder_group")[:1])


def voting_membership_sql(groups: str, *, user: str = "%s", verified: str = "%s") -> str:
    """Who votes, in one place: the id of the membership a person votes through in a round open to
    the stakeholder groups ``groups`` (an SQL expression giving a set of group names). Only verified
    memberships vote; of several, the oldest in an eligible group.

    Its parameters, in a statement that embeds it: the person's id (``user``), then
    ``Membership.Status.VERIFIED`` (``verified``), positional (first) unless named placeholders are
    given. ``voting_membership`` runs it through the ORM and the vote's one-statement reads
    (``drafting.selectors.reading``) embed it, so all say the same.
    """
    return f"""
        SELECT m.id FROM accounts_membership m
        JOIN accounts_organization o ON o.id = m.organization_id
        WHERE m.user_id = {user} AND m.status = {verified} AND o.stakeholder_group IN ({groups})
        ORDER BY m.created_at, m.id
        LIMIT 1
    """  # noqa: S608 - tables of this app; the groups are an expression of the caller's own


def _voting_memberships(user: User, eligible_groups):
    chosen = RawSQL(  # noqa: S611 - the rule's own SQL, values as parameters
        voting_membership_sql("SELECT unnest(%s::text[])"),
        [user.pk, Membership.Status.VERIFIED, list(eligible_groups)],
    )
    return Membership.objects.filter(pk=chosen)


def voting_membership(user: User, eligible_groups) -> Membership | None:
    """The membership a person votes through in a round open to ``eligible_groups``
    (``voting_membership_sql``'s rule), with its organization."""
    return _voting_memberships(user, eligible_groups).select_related("organization").first()


def voting_organization(user: User, eligible_groups):
    """The organization a person votes for in a round open to ``eligible_groups``, as a subquery
    (none, or its id) for a filter."""
    return _voting_memberships(user, eligible_groups).values("organization_id")


def is_verified(user: User) -> bool:
    return Membership.objects.filter(user=user, status=Membership.Status.VERIFIED).exists()
