from . import rules


def abilities(request) -> dict:
    """What the header offers administrators: the memberships queue, the mail sent and the admin."""
    user = getattr(request, "user", None)
    return {
        "may_verify_memberships": rules.may_verify_memberships(user),
        "may_read_sent_mail": rules.may_read_sent_mail(user),
    }
