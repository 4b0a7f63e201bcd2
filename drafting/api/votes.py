"""Votes on proposed clauses and submitted amendments (API.md "Votes")."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..models import (
    Vote,
    VoteChoice,
)
from .common import timestamps, validated


class VoteSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class VoteResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = ["id", "round", "clause", "amendment", "choice", "stakeholder_group", "updated_at"]
        read_only_fields = fields


def vote_data(vote: Vote) -> dict:
    """What ``VoteResultSerializer`` gives, without building a ModelSerializer per vote (the busiest
    write); ``tests/drafting/api/test_votes.py`` holds the two equal."""
    return {
        "id": vote.id,
        "round": vote.round_id,
        "clause": vote.clause_id,
        "amendment": vote.amendment_id,
        "choice": vote.choice,
        "stakeholder_group": vote.stakeholder_group,
        "updated_at": timestamps().to_representation(vote.updated_at),
    }


def _vote_view(item: str):
    class VoteView(APIView):
        @extend_schema(
            request=VoteSerializer,
            responses={
                200: VoteResultSerializer,
                409: OpenApiResponse(description="Outside the voting phase, or the item is no longer on the ballot."),
            },
        )
        def put(self, request, item_id: int):
            data = validated(VoteSerializer, request.data)
            vote = services.vote_cast(by=request.user, choice=data["choice"], **{f"{item}_id": item_id})
            return Response(vote_data(vote))

    return VoteView


ClauseVoteView = _vote_view("clause")


AmendmentVoteView = _vote_view("amendment")
