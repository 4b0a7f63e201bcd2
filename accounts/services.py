"""Every write to accounts goes through here: the API, pages, admin and commands call these."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from codeofconduct import languages, timezones
from codeofconduct.errors import InvalidInput, NotFound
from codeofconduct.history import save_with_history
from codeofconduct.inputs import refuse_control_characters, refuse_line_breaks
from notifications import services as notifications

from . import rules
from .countries import validate_country
from .identity import organization_name_key, validate_organization_name, validate_username
from .models import Membership, Organization, StakeholderGroup, User
from .selectors import speaking_for

CONFIRM_SALT = "accounts.email-confirm"


@transaction.atomic
def organization_create(*, name: str, stakeholder_group: str, country: str, by=None) -> Organization:
    refuse_control_characters(name or "", field="name")
    refuse_line_breaks(name or "", field="name", label=_("The name"))
    name = organization_name_checked(name)
    if stakeholder_group not in StakeholderGroup.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(StakeholderGroup.values)},
            field="stakeholder_group",
        )
    country = (country or "").strip().upper()
    try:
        validate_country(country)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field="country") from exc
    organization = Organization(name=name, stakeholder_group=stakeholder_group, country=country)
    try:
        with transaction.atomic():
            save_with_history(organization, by=by, reason="Organization created")
    except IntegrityError:  # two alike names created at once
        refuse_look_alike(name)
        raise
    return organization


def one_at_a_time(person: User) -> None:
    """Lock the person's row until the commit, so what counts their requests against a limit
    (tokens, export and import jobs, waiting amendments) counts them one at a time."""
    User.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def organization_name_checked(name: str, *, exclude_pk: int | None = None) -> str:
    """A new organization's name as it will be shown, or ``InvalidInput``: first whether it reads
    the same as one already here (so a look-alike, whatever trick it uses, is told which
    organization it resembles), then ``validate_organization_name``'s rules."""
    refuse_look_alike(name, exclude_pk=exclude_pk)
    return validate_organization_name(name)


def refuse_look_alike(name: str, *, exclude_pk: int | None = None) -> None:
    """Refuse a name that reads the same as an organization's already here (in any group)."""
    existing = (
        Organization.objects.filter(name_key=organization_name_key(name)).exclude(pk=exclude_pk).only("name").first()
    )
    if existing is None:
        return
    same = existing.name == name
    if same:
        message = _("“%(name)s” is already here; join it instead.") % {"name": existing.name}
    else:
        message = _(
            "This name reads the same as “%(name)s”, an organization already here; join it instead, or choose a name "
            "that tells them apart."
        ) % {"name": existing.name}
    raise InvalidInput(message, field="name")


@transaction.atomic
def administrator_create(*, username: str, email: str, password: str) -> User:
    """An administrator (a Django superuser) who creates drafts and verifies memberships."""
    username = validate_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This user name is taken."), field="username")
    user = User(username=username, email=email, is_superuser=True, is_staff=True, privileged_since=timezone.now())
    user.set_password(password)
    save_with_history(user, by=None, reason="Administrator created")
    return user


@transaction.atomic
def language_set(*, user: User, language: str) -> User:
    """The interface language a person reads pages and receives emails in; blank for their browser's."""
    language = (language or "").strip().lower()  # "zh-Hans" as BCP 47 writes it
    if language and language not in languages.CODES:
        raise InvalidInput(
            _("Choose one of the languages offered: %(codes)s, or none for your browser's.")
            % {"codes": ", ".join(languages.CODES)},
            field="language",
        )
    if language != user.language:
        user.language = language
        save_with_history(user, by=user, reason=f"Language: {language or 'the browser'}", update_fields=["language"])
    return user


@transaction.atomic
def time_zone_set(*, user: User, time_zone: str) -> User:
    """The zone a person reads times in: an IANA name ("Europe/Zurich"), or blank for UTC."""
    time_zone = (time_zone or "").strip()
    if time_zone and timezones.zone_for(time_zone) is None:
        raise InvalidInput(
            _("“%(zone)s” is not a time zone this site knows; choose one such as Europe/Zurich, or none for UTC.")
            % {"zone": time_zone[:64]},
            field="time_zone",
        )
    if time_zone != user.time_zone:
        user.time_zone = time_zone
        save_with_history(user, by=user, reason=f"Time zone: {time_zone or 'UTC'}", update_fields=["time_zone"])
    return user


@transaction.atomic
def password_set(*, user: User, password: str) -> User:
    """Give a person a new password (used where no old one is asked for, as in the demo loader)."""
    user.set_password(password)
    save_with_history(user, by=None, reason="Password set")
    password_changed(user=user)
    return user


def password_changed(*, user: User) -> None:
    """After any new password (changed, reset, set): the person's API tokens end. A token checks the
    password it was issued under on every request anyway (``accounts.authentication``); revoking
    them here also takes them off the person's list."""
    from .tokens import tokens_revoke

    tokens_revoke(user=user)


@transaction.atomic
def privilege_granted(*, user: User, by: User | None, reason: str) -> None:
    """Call when a person becomes an administrator or the moderator of a draft, having been neither.

    From now on a credential acts for them only if its second factor was confirmed from now on
    (``accounts.twofactor.second_factor_current``): their sessions must confirm one again, and
    their API tokens, none of which was issued with one for this role, are revoked.
    """
    from .tokens import tokens_revoke

    user.privileged_since = timezone.now()
    save_with_history(user, by=by, reason=reason, update_fields=["privileged_since"])
    tokens_revoke(user=user)


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    organization_id: int | None = None,
    new_organization: dict | None = None,
    confirmed: bool = False,
) -> User:
    """Create a person and their pending membership of an existing or a new organization.

    The account signs in once its address is confirmed by the link emailed to it (``confirmed``:
    the demo loader or an administrator vouches for the address). Whether an address already has an
    account is never said here: its owner is told by email instead, so sign-up cannot be used to
    find out who is registered. User names are public on every page, so a taken one is said.
    """
    username = validate_username(username)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("Give a valid email address."), field="email") from exc
    _free_expired_name(username)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This user name is taken."), field="username")
    user = User(username=username)
    # Someone signing up in another language than the default keeps it: the confirmation email and
    # every later one are written in it, as the pages are (the switcher changes it).
    if get_language() in languages.CODES and get_language() != settings.LANGUAGE_CODE:
        user.language = get_language()
    if confirmed:
        if User.objects.filter(email__iexact=email).exists():
            raise InvalidInput(_("An account with this email address exists."), field="email")
        user.email = email
    else:
        user.pending_email, user.is_active = email, False
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    user.set_password(password)

    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise InvalidInput(_("No such organization."), field="organization")
    elif new_organization:
        organization = organization_create(**new_organization)
    else:
        raise InvalidInput(_("Choose your organization or describe a new one."), field="organization")

    try:
        with transaction.atomic():
            save_with_history(user, by=None, reason="Signed up")
    except IntegrityError as exc:  # two sign-ups racing for one name
        raise InvalidInput(_("This user name is taken."), field="username") from exc
    membership = Membership(user=user, organization=organization)
    save_with_history(membership, by=user, reason="Asked to join at sign-up")
    if not confirmed:
        from .tasks import send_signup_email

        transaction.on_commit(lambda: notifications.enqueue(send_signup_email, user.pk))
    return user


def _free_expired_name(username: str) -> None:
    """A sign-up never confirmed in time gives its user name back."""
    cutoff = timezone.now() - timedelta(seconds=settings.SIGNUP_CONFIRM_SECONDS)
    User.objects.filter(username__iexact=username, is_active=False, email=None, date_joined__lt=cutoff).exclude(
        pending_email=""
    ).delete()


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.pending_email}, salt=CONFIRM_SALT, compress=True)


def signup_email_send(user_id: int) -> bool:
    """The one email a sign-up sends, at most once: the link that confirms the address, or, when the
    address already has an account, a word to its owner (the person signing up is told neither)."""
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=user_id, is_active=False, confirmation_sent_at=None)
            .exclude(pending_email="")
            .first()
        )
        if user is None:
            return False
        owner = User.objects.filter(email__iexact=user.pending_email).exclude(pk=user.pk).first()
        context = {
            "user": user,
            "owner": owner,
            "site_url": settings.SITE_URL,
            "link": settings.SITE_URL.rstrip("/") + reverse("email-confirm", args=[confirmation_token(user)]),
            "days": settings.SIGNUP_CONFIRM_SECONDS // 86400,
        }
        template = "email/signup_taken.txt" if owner else "email/signup_confirm.txt"
        with languages.for_person(owner or user):
            subject = _("Someone tried to sign up with your address") if owner else _("Confirm your email address")
            body = render_to_string(template, context)
        EmailMessage(subject=subject, body=body, to=[user.pending_email]).send()
        user.confirmation_sent_at = timezone.now()
        user.save(update_fields=["confirmation_sent_at"])
        return True


def signup_emails_pending(*, now=None) -> list[int]:
    """Sign-ups whose email a lost message or a down broker never sent (the sweep sends them)."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
    return list(
        User.objects.filter(is_active=False, confirmation_sent_at=None, date_joined__lte=now - grace)
        .exclude(pending_email="")
        .values_list("pk", flat=True)
    )


def email_link_check(token: str, *, lock: bool = False) -> User:
    """The person whose address an emailed confirmation link would confirm, or why it will not:
    a link works once, until ``SIGNUP_CONFIRM_SECONDS`` after it was sent."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.SIGNUP_CONFIRM_SECONDS)
    except signing.SignatureExpired as exc:
        raise InvalidInput(_("This link has expired; sign up again."), field="token") from exc
    except signing.BadSignature as exc:
        raise InvalidInput(_("This link is not valid; copy the whole address from the email."), field="token") from exc
    people = User.objects.filter(pk=data.get("u"))
    user = (people.select_for_update() if lock else people).first()
    if user is not None and user.is_active and user.email == data.get("e"):
        raise InvalidInput(_("This link was used already: your address is confirmed, so log in."), field="token")
    if user is None or user.is_active or user.pending_email != data.get("e"):
        raise InvalidInput(_("This link is not valid any more; sign up again."), field="token")
    return user


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Confirm a sign-up's address from its emailed link: the account can then sign in with its
    password. The link signs nobody in: a link in a mailbox is not a password."""
    user = email_link_check(token, lock=True)
    if User.objects.filter(email__iexact=user.pending_email).exclude(pk=user.pk).exists():
        raise InvalidInput(_("This address belongs to another account now; log in to it instead."), field="token")
    user.email, user.pending_email, user.is_active = user.pending_email, "", True
    save_with_history(user, by=None, reason="Email address confirmed")
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
        raise NotFound(_("This person has no membership of this organization."))
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
        message=_verified_message(membership),
        url=reverse("profile"),
    )
    return membership


def _verified_message(membership: Membership) -> str:
    """What verification lets this person do now, as their memberships and roles stand: whom they
    speak for (an earlier verified membership keeps that place), where they vote, observe or
    moderate, and, with no role yet, the requests to join they are waiting on or how to ask."""
    user, organization = membership.user, membership.organization
    group = organization.get_stakeholder_group_display().lower()
    speaks_for = speaking_for(user)
    if speaks_for == organization:
        said = f"Your membership of {organization.name} is verified: you speak for {group}."
    else:
        said = (
            f"Your membership of {organization.name} ({group}) is verified; you go on speaking for "
            f"{speaks_for.name} ({speaks_for.get_stakeholder_group_display().lower()}), your first verified membership."
        )
    roles = {}
    for role, title in user.draft_memberships.order_by("draft__title").values_list("role", "draft__title"):
        roles.setdefault(role, []).append(f"“{title}”")
    if roles.get("participant"):
        said += f" You can vote in the rounds of {', '.join(roles['participant'])} in which {group} votes."
    if roles.get("observer"):
        said += f" As an observer of {', '.join(roles['observer'])} you read and comment; participants vote."
    if roles.get("moderator"):
        said += f" You moderate {', '.join(roles['moderator'])}."
    if user.is_superuser:
        said += " As an administrator you act in every draft."
    elif not roles:
        asked = [
            f"“{title}”" for title in user.join_requests.filter(status="pending").values_list("draft__title", flat=True)
        ]
        if asked:
            said += f" Your request to join {', '.join(asked)} waits for its moderators."
        else:
            said += " You have no role in a draft yet: ask to join one from its page to take part."
    return said
