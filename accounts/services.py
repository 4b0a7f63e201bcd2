"""Every write to accounts goes through here: the API, pages, admin and commands call these."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from codeofconduct.errors import InvalidInput, NotFound
from codeofconduct.history import save_with_history
from codeofconduct.inputs import refuse_control_characters, refuse_line_breaks
from notifications import services as notifications

from . import rules
from .countries import validate_country
from .identity import validate_username
from .models import Membership, Organization, StakeholderGroup, User


@transaction.atomic
def organization_create(*, name: str, stakeholder_group: str, country: str, by=None) -> Organization:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the organization a name.", field="name")
    refuse_control_characters(name, field="name")
    refuse_line_breaks(name, field="name", label="The name")
    if stakeholder_group not in StakeholderGroup.values:
        raise InvalidInput(f"Choose one of: {', '.join(StakeholderGroup.values)}.", field="stakeholder_group")
    country = (country or "").strip().upper()
    try:
        validate_country(country)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field="country") from exc
    if Organization.objects.filter(name__iexact=name).exists():
        raise InvalidInput("An organization with this name already exists; join it instead.", field="name")
    organization = Organization(name=name, stakeholder_group=stakeholder_group, country=country)
    save_with_history(organization, by=by, reason="Organization created")
    return organization


@transaction.atomic
def administrator_create(*, username: str, email: str, password: str) -> User:
    """An administrator (a Django superuser) who creates drafts and verifies memberships."""
    username = validate_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("This user name is taken.", field="username")
    user = User(username=username, email=email, is_superuser=True, is_staff=True)
    user.set_password(password)
    save_with_history(user, by=None, reason="Administrator created")
    return user


@transaction.atomic
def password_set(*, user: User, password: str) -> User:
    """Give a person a new password (used where no old one is asked for, as in the demo loader)."""
    user.set_password(password)
    save_with_history(user, by=None, reason="Password set")
    return user


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    organization_id: int | None = None,
    new_organization: dict | None = None,
) -> User:
    """Create a person and their pending membership of an existing or a new organization."""
    username = validate_username(username)
    email = (email or "").strip()
    if not email:
        raise InvalidInput("Give an email address.", field="email")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("This user name is taken.", field="username")
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput("An account with this email address exists; reset its password instead.", field="email")
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    user.set_password(password)

    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise InvalidInput("No such organization.", field="organization")
    elif new_organization:
        organization = organization_create(**new_organization)
    else:
        raise InvalidInput("Choose your organization or describe a new one.", field="organization")

    try:
        with transaction.atomic():
            save_with_history(user, by=None, reason="Signed up")
    except IntegrityError as exc:  # two sign-ups racing for one name
        raise InvalidInput("This user name or email address is taken.", field="username") from exc
    membership = Membership(user=user, organization=organization)
    save_with_history(membership, by=user, reason="Asked to join at sign-up")
    return user


@transaction.atomic
def membership_verify(*, organization_id: int, user_id: int, by: User) -> Membership:
    """Verify a pending membership. Only admins verify: a member then speaks for their group."""
    rules.check_verify_memberships(by)
    membership = (
        Membership.objects.select_for_update()
        .select_related("organization", "user")
        .filter(organization_id=organization_id, user_id=user_id)
        .first()
    )
    if membership is None:
        raise NotFound("This person has no membership of this organization.")
    if membership.status == Membership.Status.VERIFIED:
        return membership
    membership.status = Membership.Status.VERIFIED
    membership.verified_by = by
    membership.verified_at = timezone.now()
    save_with_history(membership, by=by, reason="Membership verified")
    notifications.notify(
        kind="membership_verified",
        draft=None,
        actor=by,
        recipients=[membership.user_id],
        message=f"Your membership of {membership.organization.name} is verified: you can now vote for "
        f"{membership.organization.get_stakeholder_group_display().lower()}.",
        url=reverse("profile"),
    )
    return membership


def token_for(*, user: User) -> str:
    """The person's API token, made the first time they ask for one."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return token.key
