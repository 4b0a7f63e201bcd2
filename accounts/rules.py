"""Who may do what with people and organizations; the drafting rules are in ``drafting/rules.py``."""

from codeofconduct.errors import NotAllowed


def may_verify_memberships(user) -> bool:
    """Administrators verify memberships: only then does a member speak (and vote) for their group."""
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def check_verify_memberships(user) -> None:
    if not may_verify_memberships(user):
        raise NotAllowed("Only an administrator can verify memberships.")
