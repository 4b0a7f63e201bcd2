"""The admin of what concerns a delegation as a whole, each told as the naming rule tells it (under
the Chatham House rule its group only): the Chair's reminders to vote and co-sponsorships. Both are
written by their services only; here to look up. Registered by ``drafting.admin``."""

from django.contrib import admin

from accounts.models import StakeholderGroup

from .admin import ReadOnlyAdmin
from .models import Cosponsorship, VoteReminder
from .naming import Naming, cosponsors


@admin.register(VoteReminder)
class VoteReminderAdmin(ReadOnlyAdmin):
    """The Chair's reminders to vote (``services.vote_remind``): sent from the console, looked up here.
    The delegation is told as the naming rule tells it: under the Chatham House rule, its group only
    (beside what it had voted on, its name would say how a named delegation took part)."""

    list_display = ["round", "delegation", "voted", "items", "members", "sent_at"]
    list_select_related = ["round", "organization"]
    exclude = ["organization"]
    readonly_fields = ["delegation"]

    @admin.display(description="Delegation")
    def delegation(self, obj) -> str:
        if Naming.published(obj.round.draft_id, known=[obj.round]).under_chatham_house(None, obj.round_id):
            return f"A delegation of {StakeholderGroup(obj.organization.stakeholder_group).label}"
        return obj.organization.name


@admin.register(Cosponsorship)
class CosponsorshipAdmin(ReadOnlyAdmin):
    """A delegation's co-sponsorship of a proposal, or its request (``services.cosponsorship_join``),
    with its history; the delegation as ``naming.cosponsors`` tells it to every reader."""

    list_display = ["proposal", "delegation", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["organization", "clause__round", "amendment__round", "amendment__clause"]
    exclude = ["organization", "requested_by", "decided_by"]
    readonly_fields = ["delegation"]

    @admin.display(description="Proposal")
    def proposal(self, obj) -> str:
        return (
            f"Clause {obj.clause.ref}"
            if obj.clause_id
            else f"Amendment {obj.amendment_id} to {obj.amendment.clause.ref}"
        )

    @admin.display(description="Delegation")
    def delegation(self, obj) -> str:
        proposal = obj.clause if obj.clause_id else obj.amendment
        draft_id = proposal.draft_id if obj.clause_id else proposal.clause.draft_id
        known = [proposal.round] if proposal.round_id else []
        return cosponsors(Naming.published(draft_id, known=known), proposal.round_id, [obj.organization]).label
