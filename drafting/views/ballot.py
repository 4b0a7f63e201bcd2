"""The ballot of a round and competing amendments side by side: voting in place, with or without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from codeofconduct.inputs import whole_number

from .. import rules, selectors
from ..selectors.ballot import amendments_side_by_side, ballot_for


def _ballot_context(request, round_, standing) -> dict:
    ballot = ballot_for(request.user, round_, standing)
    can_console = rules.allowed("round_console", rules.Subject(standing))
    return {
        "ballot": ballot,
        "round": round_,
        "draft": round_.draft,
        "ballot_url": reverse("round-ballot", args=[round_.id]),
        "can": {"round_console": can_console},
        # Moderators follow who has voted, per stakeholder group, from the same page.
        "participation": selectors.round_participation(round_) if can_console else None,
    }


@login_required
def round_ballot(request, round_id):
    round_, standing = selectors.round_for(request.user, round_id)
    return render(request, "drafting/ballot.html", _ballot_context(request, round_, standing))


def ballot_row(request, round_id, kind: str, item_id: int, *, error: str | None, status: int):
    """After a vote posted from the ballot (htmx): the item's row as it now is, and the progress."""
    number = whole_number(round_id)
    if number is None:
        raise Http404("No such round.")
    round_, standing = selectors.round_for(request.user, number)
    context = _ballot_context(request, round_, standing)
    context.update(entry=context["ballot"].find(kind, item_id), vote_error=error, oob_progress=True)
    context["missing_id"] = f"ballot-{kind}-{item_id}"
    return render(request, "drafting/_ballot_item.html", context, status=status)


def amendments_compare(request, clause_id):
    clause, standing = selectors.clause_for(request.user, clause_id)
    context = {
        "clause": clause,
        "draft": clause.draft,
        "compare_url": reverse("clause-amendments-compare", args=[clause.id]),
        **amendments_side_by_side(request.user, clause, standing),
    }
    return render(request, "drafting/amendments_compare.html", context)
