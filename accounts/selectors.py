"""Reads about people: above all, which organization (and so which stakeholder group) a person speaks for.

This is the one place that rule lives: amendments record it, notifications name it under Chatham
House rule, dispositions and results show the group, and votes count it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Case, IntegerField, Subquery, Value, When
from django.db.models.expressions import RawSQL

from .models import Membership, Organization, StakeholderGroup, User

# A verified membership counts before a pending one; among equals, the oldest comes first. The same
# order reads past acts over the history (``speaking_for_at_sql``'s ORDER BY); the test
# ``test_the_membership_rule_reads_the_same_in_the_orm_in_a_query_and_over_the_history`` holds the two
# equal over every standing a person's memberships can be in.
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


def speaking_for_at_sql(acts: str) -> str:
    """``speaking_for``'s rule at past moments, in one place: for each act of ``acts`` (a derived
    table of ``(n, user_id, at)``), the membership its person spoke for then, as rows
    ``(n, organization_id, verified)``; none for an act whose person spoke for no one.

    The memberships are taken as the membership history shows them at ``at`` (each as its latest
    change then left it): one deleted later still counts for what came before, one verified later
    was pending until then. Of those, the oldest verified, else the oldest. ``verified`` is whether
    it was verified then or is now: a claim stays a claim until an administrator verifies it.
    ``speaking_for_at`` runs it for many acts at once (a join, whatever their number); the hot reads
    (``drafting.selectors.reading``) join it to each clause's proposer (``speaking_for_joins``).
    """
    verified = f"'{Membership.Status.VERIFIED}'"
    return f"""
        SELECT DISTINCT ON (a.n) a.n, h.organization_id,
               h.status = {verified} OR EXISTS (
                   SELECT 1 FROM accounts_membership now WHERE now.id = h.id AND now.status = {verified}
               ) AS verified
        FROM {acts} a
        JOIN accounts_historicalmembership h
            ON h.user_id = a.user_id AND h.history_date <= a.at AND h.history_type <> '-'
        WHERE NOT EXISTS (  -- h is its membership's latest change by then
            SELECT 1 FROM accounts_historicalmembership later
            WHERE later.id = h.id AND later.history_date <= a.at
              AND (later.history_date, later.history_id) > (h.history_date, h.history_id)
        )
        ORDER BY a.n, h.status <> {verified}, h.created_at, h.id
    """  # noqa: S608 - tables of this app; the acts are the caller's own derived table


def speaking_for_joins(user: str, when: str, alias: str) -> tuple[str, str]:
    """``(columns, joins)`` that add to a statement what ``user`` spoke for at ``when`` (SQL
    expressions of its rows), as the columns ``<alias>_org_id``, ``_org_name``, ``_org_country``,
    ``_org_group`` and ``_verified``, which ``speaking_for_of`` reads back."""
    columns = (
        f"{alias}_o.id AS {alias}_org_id, {alias}_o.name AS {alias}_org_name, "
        f"{alias}_o.country AS {alias}_org_country, {alias}_o.stakeholder_group AS {alias}_org_group, "
        f"{alias}_s.verified AS {alias}_verified"
    )
    act = f"(SELECT 1 AS n, {user} AS user_id, {when} AS at)"
    joins = f"""
        LEFT JOIN LATERAL ({speaking_for_at_sql(act)}) {alias}_s ON true
        LEFT JOIN accounts_organization {alias}_o ON {alias}_o.id = {alias}_s.organization_id
    """
    return columns, joins


def speaking_for_of(organization_id, name, country, group, verified) -> "SpeakingFor | None":
    """What the columns of ``speaking_for_joins`` tell (None when the person spoke for no one)."""
    if organization_id is None:
        return None
    read = {"id": organization_id, "name": name, "country": country, "stakeholder_group": group}
    # ``from_db`` takes the values in the model's field order; the others load if ever asked for.
    organization = Organization.from_db(
        None, list(read), [read[f.attname] for f in Organization._meta.concrete_fields if f.attname in read]
    )
    return SpeakingFor.of(organization, verified=bool(verified))


def speaking_for_at(pairs: Iterable[tuple[int | None, datetime]]) -> dict[tuple[int, datetime], SpeakingFor | None]:
    """``{(user id, when): what they spoke for then}`` for many acts, in one query
    (``speaking_for_at_sql``'s rule); None for an act whose person spoke for no one. Pairs without a
    person are left out of the answer."""
    pairs = list({(user_id, when) for user_id, when in pairs if user_id is not None and when is not None})
    if not pairs:
        return {}
    acts = "(SELECT p.n, p.user_id, p.at FROM unnest(%s::bigint[], %s::timestamptz[]) WITH ORDINALITY AS p(user_id, at, n))"
    statement = f"""
        SELECT s.n, o.id, o.name, o.country, o.stakeholder_group, s.verified
        FROM ({speaking_for_at_sql(acts)}) s
        LEFT JOIN accounts_organization o ON o.id = s.organization_id
    """  # noqa: S608 - built from this module's own statement
    with connection.cursor() as cursor:
        cursor.execute(statement, [[user_id for user_id, _ in pairs], [when for _, when in pairs]])
        rows = cursor.fetchall()
    return dict.fromkeys(pairs) | {pairs[n - 1]: speaking_for_of(*spoke) for n, *spoke in rows}


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
