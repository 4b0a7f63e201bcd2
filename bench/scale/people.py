"""The benchmark's people: its administrator and moderator, and ``voter001``... with verified
memberships of organizations in every stakeholder group, made once and reused by every later draft."""

from dataclasses import dataclass

from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Organization, StakeholderGroup, User
from codeofconduct.history import save_with_history

from .rows import BATCH

ORGANIZATIONS_PER_GROUP = 3


@dataclass
class Voter:
    user: User
    organization_id: int
    stakeholder_group: str


def ensure_person(username: str, *, admin: bool = False) -> User:
    """The benchmark's administrator or moderator, made the first time.

    Generated people have no usable password (hashing one for each of 200 voters would take
    minutes); sign them in by session or API token (``accounts.services.token_for``).
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@bench.example.org", is_superuser=admin, is_staff=admin)
        user.set_unusable_password()
        save_with_history(user, by=None, reason="Benchmark person created")
    return user


def ensure_organizations(*, by: User) -> dict[str, list[Organization]]:
    """Three organizations in each stakeholder group, made the first time."""
    countries = ["FR", "KE", "BR", "JP", "CA", "IN", "DE", "ZA", "MX", "NO", "SG", "CL"]
    result: dict[str, list[Organization]] = {}
    for g_index, (group, label) in enumerate(StakeholderGroup.choices):
        result[group] = []
        for n in range(1, ORGANIZATIONS_PER_GROUP + 1):
            name = f"Benchmark {label.lower()} {n}"
            organization = Organization.objects.filter(name=name).first() or account_services.organization_create(
                name=name,
                stakeholder_group=group,
                country=countries[(g_index * ORGANIZATIONS_PER_GROUP + n - 1) % len(countries)],
                by=by,
            )
            result[group].append(organization)
    return result


def ensure_voters(count: int, *, by: User) -> list[Voter]:
    """``voter001``... with confirmed addresses and verified memberships, spread over the four groups.

    Made the first time (in bulk, with history) and reused by every later draft; a voter whose
    membership is still pending is verified as an administrator would.
    """
    organizations = ensure_organizations(by=by)
    groups = list(StakeholderGroup.values)
    plan = {}
    for index in range(count):
        group = groups[index % len(groups)]
        organization = organizations[group][(index // len(groups)) % ORGANIZATIONS_PER_GROUP]
        plan[f"voter{index + 1:03d}"] = organization

    users = User.objects.in_bulk(list(plan), field_name="username")
    missing = [User(username=name, email=f"{name}@bench.example.org") for name in plan if name not in users]
    for user in missing:
        user.set_unusable_password()
    User.objects.bulk_create(missing, batch_size=BATCH)
    User.history.bulk_history_create(missing, default_change_reason="Benchmark voter created", batch_size=BATCH)
    users.update({user.username: user for user in missing})

    held = {
        (m.user_id, m.organization_id): m
        for m in Membership.objects.filter(user__in=list(users.values()), organization__in=set(plan.values()))
    }
    now = timezone.now()
    new = []
    for name, organization in plan.items():
        membership = held.get((users[name].id, organization.id))
        if membership is None:
            new.append(
                Membership(
                    user=users[name],
                    organization=organization,
                    status=Membership.Status.VERIFIED,
                    verified_by=by,
                    verified_at=now,
                )
            )
        elif membership.status != Membership.Status.VERIFIED:
            account_services.membership_verify(organization_id=organization.id, user_id=users[name].id, by=by)
    Membership.objects.bulk_create(new, batch_size=BATCH)
    Membership.history.bulk_history_create(
        new, default_user=by, default_change_reason="Membership verified", batch_size=BATCH
    )
    return [Voter(users[name], organization.id, organization.stakeholder_group) for name, organization in plan.items()]
