"""Co-sponsors: a delegation co-sponsors a delegation's proposal (or asks to), withdraws, and the
proponent accepts, declines, or chooses how its proposal takes co-sponsors. The rules are
``drafting.rules_cosponsors``'; every service here holds the proposal's row lock, so two members
of one delegation acting at once make one co-sponsorship."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import speaking_for_now
from codeofconduct.errors import Conflict, NotAllowed, NotFound
from codeofconduct.history import save_with_history
from live import services as live_pages
from live.models import Kind
from notifications import services as notifications

from .. import rules
from ..models import Clause, CosponsorAdmission, Cosponsorship
from ..naming import Naming, cosponsors
from ..refusals import said
from ..selectors.cosponsors import (
    cosponsor_subject,
    draft_of,
    proposal_for,
    proposer_id,
)
from .common import acts_as_chair, choose


def _what(proposal) -> str:
    return f"clause {proposal.ref} “{proposal.title}”" if isinstance(proposal, Clause) else f"amendment {proposal.pk}"


def _url(proposal) -> str:
    if isinstance(proposal, Clause):
        return reverse("clause-detail", args=[proposal.pk])
    return reverse("amendment-detail", args=[proposal.pk])


@transaction.atomic
def cosponsorship_join(*, kind: str, item_id: int, by: User, speaking_as: str | None = None) -> Cosponsorship:
    """``by``'s delegation co-sponsors the proposal: at once where it is open to co-sponsors, else
    as a request awaiting the proponent. The proponent is told either way. A moderator's act is the
    Chair's unless they speak for their delegation (``speaking_as="delegation"``), and the Chair
    co-sponsors nothing."""
    proposal, standing = proposal_for(by, kind, item_id, for_update=True)
    person = speaking_for_now(by)
    subject = cosponsor_subject(by, proposal, standing, person=person)
    rules.check("cosponsor", subject)
    if acts_as_chair(subject, speaking_as):
        raise NotAllowed(
            _(
                "You moderate this draft: what you do here is the Chair's, and the Chair co-sponsors nothing. "
                "Co-sponsor for your delegation (speaking as your delegation)."
            )
        )
    live = Cosponsorship.objects.filter(
        **{kind: proposal}, organization=person.organization, status__in=Cosponsorship.LIVE
    ).first()
    if live is not None:
        if live.status == Cosponsorship.Status.JOINED:
            message = _("%(delegation)s already co-sponsors this proposal.")
        else:
            message = _("%(delegation)s already has asked to co-sponsor this proposal.")
        raise Conflict(message % {"delegation": person.organization.name}, status=live.status)
    joins = proposal.cosponsorship == CosponsorAdmission.OPEN
    row = Cosponsorship(
        **{kind: proposal},
        organization=person.organization,
        status=Cosponsorship.Status.JOINED if joins else Cosponsorship.Status.REQUESTED,
        requested_by=by,
    )
    try:
        with transaction.atomic():
            save_with_history(row, by=by, reason="Co-sponsored" if joins else "Asked to co-sponsor")
    except IntegrityError:  # the lock makes this unreachable but for a row written around it
        raise Conflict(_("This delegation already co-sponsors this proposal.")) from None
    delegation = cosponsors(Naming.published(draft_of(proposal).pk), proposal.round_id, [person.organization]).label
    notifications.notify(
        kind="cosponsor_joined" if joins else "cosponsor_requested",
        draft=draft_of(proposal),
        actor=by,
        recipients=[proposer_id(proposal)],
        message=f"{delegation[:1].upper()}{delegation[1:]} "
        f"{'co-sponsors' if joins else 'asks to co-sponsor'} your {_what(proposal)}.",
        url=_url(proposal),
    )
    return row


@transaction.atomic
def cosponsorship_withdraw(*, kind: str, item_id: int, by: User) -> Cosponsorship:
    """``by``'s delegation withdraws its co-sponsorship, or its request; NotFound when it has neither."""
    proposal, standing = proposal_for(by, kind, item_id, for_update=True)
    person = speaking_for_now(by)
    rules.check("cosponsor_withdraw", cosponsor_subject(by, proposal, standing, person=person))
    row = Cosponsorship.objects.filter(
        **{kind: proposal}, organization=person.organization, status__in=Cosponsorship.LIVE
    ).first()
    if row is None:
        raise NotFound(
            _("%(delegation)s does not co-sponsor this proposal.") % {"delegation": person.organization.name}
        )
    row.status = Cosponsorship.Status.WITHDRAWN
    row.decided_by = by
    save_with_history(row, by=by, reason="Co-sponsorship withdrawn")
    return row


def _decide(cosponsorship_id: int, by: User, status: str, reason: str) -> Cosponsorship:
    found = Cosponsorship.objects.filter(pk=cosponsorship_id).values_list("clause_id", "amendment_id").first()
    if found is None:
        raise NotFound(_("No such co-sponsorship."))
    kind, item_id = ("clause", found[0]) if found[0] else ("amendment", found[1])
    proposal, standing = proposal_for(by, kind, item_id, for_update=True)
    row = Cosponsorship.objects.select_related("organization").get(pk=cosponsorship_id)
    setattr(row, kind, proposal)  # the locked proposal, its round read
    rules.check("cosponsor_decide", cosponsor_subject(by, proposal, standing))
    if row.status != Cosponsorship.Status.REQUESTED:
        raise Conflict(_("This request is already %(status)s.") % {"status": said(row.status)}, status=row.status)
    row.status = status
    row.decided_by = by
    save_with_history(row, by=by, reason=reason)
    return row


@transaction.atomic
def cosponsorship_accept(*, cosponsorship_id: int, by: User) -> Cosponsorship:
    """The proponent accepts a delegation's request: it co-sponsors from now on."""
    return _decide(cosponsorship_id, by, Cosponsorship.Status.JOINED, "Co-sponsor accepted")


@transaction.atomic
def cosponsorship_decline(*, cosponsorship_id: int, by: User) -> Cosponsorship:
    """The proponent declines a delegation's request (the delegation may ask again)."""
    return _decide(cosponsorship_id, by, Cosponsorship.Status.DECLINED, "Co-sponsor declined")


@transaction.atomic
def cosponsorship_set(*, kind: str, item_id: int, by: User, cosponsorship: str):
    """The proponent's setting: co-sponsors join at once (``open``), or on its acceptance
    (``on_acceptance``). Requests waiting when it opens stay waiting for a decision."""
    choose(cosponsorship, CosponsorAdmission, field="cosponsorship")
    proposal, standing = proposal_for(by, kind, item_id, for_update=True)
    rules.check("cosponsorship_set", cosponsor_subject(by, proposal, standing))
    # One column the history leaves out (the setting is no version of the text): written alone, so
    # the proposal's version, history and ``updated_at`` (the draft page's cache key) stay as they are.
    type(proposal).objects.filter(pk=proposal.pk).update(cosponsorship=cosponsorship)
    proposal.cosponsorship = cosponsorship
    live_pages.changed(proposal.draft_id if isinstance(proposal, Clause) else proposal.clause.draft_id, Kind.COSPONSORS)
    return proposal
