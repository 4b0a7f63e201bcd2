"""A round's ballot: what the caller votes on, in reading order, with their votes (API.md "next capabilities")."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Phase, VoteChoice
from ..selectors.ballot import Ballot, BallotItem, ballot_for
from .clauses import DiffChangeSerializer
from .results import TallySerializer
from .speaking import SpeakingForSerializer


class BallotRefSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["clause", "amendment"])
    id = serializers.IntegerField()


class BallotSectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class BallotRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    phase = serializers.ChoiceField(choices=Phase.choices)


class BallotItemSerializer(serializers.Serializer):
    item = BallotRefSerializer()
    number = serializers.IntegerField(help_text="The clause's number; for an amendment, its clause's.")
    number_suffix = serializers.IntegerField(
        help_text="0 for a plain number; else 100 × the Latin word (1 bis, 2 ter, ...) plus a letter (1 A, 2 B, ...)."
    )
    label = serializers.CharField(help_text='The number as cited ("16 bis").')
    ref = serializers.CharField(help_text='The paragraph as cited in UN style ("PP2", "OP16 bis"), as numbered now.')
    cited_as = serializers.CharField(
        help_text='The paragraph as the ballot cited it while the round voted ("OP11"); after the close, kept '
        "as it was when a revision renumbers the text."
    )
    title = serializers.CharField(help_text="The clause's title; for an amendment, the title of the clause it changes.")
    section = BallotSectionSerializer()
    clause = serializers.IntegerField(help_text="The proposed clause, or the clause the amendment changes.")
    text = serializers.CharField(allow_null=True, help_text="A proposed clause's text (Markdown); null for amendments.")
    redline = DiffChangeSerializer(
        many=True, allow_null=True, help_text="An amendment's word diff against the text it was written against."
    )
    base_version = serializers.IntegerField(
        allow_null=True, help_text="The clause version an amendment was written against."
    )
    competes_with = serializers.ListField(
        child=serializers.IntegerField(), help_text="Amendments on the ballot that change the same words as this one."
    )
    my_vote = serializers.ChoiceField(choices=VoteChoice.choices, allow_null=True)
    tally = TallySerializer(allow_null=True, help_text="Yes / no / abstain so far; null while tallies are hidden.")
    cosponsors = SpeakingForSerializer(
        many=True, help_text="The delegations co-sponsoring it; groups only under the Chatham House rule."
    )


class BallotSerializer(serializers.Serializer):
    round = BallotRoundSerializer()
    voting_open = serializers.BooleanField(help_text="The round is in its voting phase.")
    may_vote = serializers.BooleanField(help_text="The caller may vote on these items now.")
    reason = serializers.CharField(
        allow_null=True, help_text="Why the caller may not vote now (who they are first, then the phase); else null."
    )
    voted = serializers.IntegerField(help_text="Items the caller has voted on.")
    total = serializers.IntegerField(help_text="Items on the ballot.")
    items = BallotItemSerializer(many=True)


def ballot_item_data(entry: BallotItem) -> dict:
    amendment = entry.item if entry.kind == "amendment" else None
    return {
        "item": {"type": entry.kind, "id": entry.item.id},
        "number": entry.clause.number,
        "number_suffix": entry.clause.number_suffix,
        "label": entry.clause.label,
        "ref": entry.clause.ref,
        "cited_as": entry.cited_as,
        "title": entry.title,
        "section": {"id": entry.section.id, "title": entry.section.title},
        "clause": entry.clause.id,
        "text": entry.clause.text if amendment is None else None,
        "redline": entry.redline,
        "base_version": amendment.base_version if amendment is not None else None,
        "competes_with": entry.competes_with,
        "my_vote": entry.my_vote,
        "tally": entry.tally,
        "cosponsors": entry.item.cosponsors.data(),  # named by ``ballot_for``
    }


def ballot_data(ballot: Ballot) -> dict:
    round_ = ballot.round
    return {
        "round": {"id": round_.id, "title": round_.title, "phase": round_.phase},
        "voting_open": ballot.voting_open,
        "may_vote": ballot.may_vote,
        "reason": ballot.reason,
        "voted": ballot.voted,
        "total": ballot.total,
        "items": [ballot_item_data(entry) for entry in ballot.items],
    }


class RoundBallotView(APIView):
    """The round's ballot for the signed-in caller.

    Every proposed clause and submitted amendment the round votes on (after the close: what it voted
    on), by section in reading order, each amendment under its clause, with the caller's vote. Outside
    the voting phase, and for people who do not vote (observers, moderators, unverified participants,
    groups the round does not let vote), the items are still listed, with ``may_vote`` false and the
    ``reason``: the answer is 200, not 409, since reading the ballot is not refused.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: BallotSerializer,
            401: OpenApiResponse(description="Not signed in: the ballot is each person's own."),
        }
    )
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        return Response(ballot_data(ballot_for(request.user, round_, standing)))
