"""Who may do what with people and organizations; the drafting rules are in ``drafting/rules.py``."""

from django.utils.translation import gettext as _

from codeofconduct.errors import NotAllowed


def may_verify_memberships(user) -> bool:
    """Administrators verify memberships: only then does a member speak (and vote) for their group."""
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def check_verify_memberships(user) -> None:
    if not may_verify_memberships(user):
        raise NotAllowed(_("Only an administrator can verify memberships."))


def may_read_sent_mail(user) -> bool:
    """Administrators read the mail an installation without SMTP keeps (``notifications/sent_mail.py``).
    It holds every person's sign-up and password-reset links, so nobody below an administrator may:
    staff who are not administrators could otherwise take over an administrator's account."""
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def check_read_sent_mail(user) -> None:
    if not may_read_sent_mail(user):
        raise NotAllowed(_("Only an administrator can read the mail the platform sent."))
