from . import rules


def abilities(request) -> dict:
    """What the header offers: the memberships queue and the admin, to those who verify members."""
    return {"may_verify_memberships": rules.may_verify_memberships(getattr(request, "user", None))}
