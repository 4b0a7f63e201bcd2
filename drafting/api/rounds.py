"""Consultation rounds and their moves (API.md "Rounds")."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import StakeholderGroup

from .. import selectors, services
from ..models import (
    Counting,
    Round,
    VotingRule,
)
from ..rivals import RivalChoice
from .common import validated


class RoundSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "draft",
            "title",
            "phase",
            "voting_rule",
            "counting",
            "quorum",
            "eligible_groups",
            "hide_tallies_until_close",
            "chatham_house",
            "opens_at",
            "voting_opens_at",
            "closes_at",
            "opened_at",
            "voting_started_at",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    voting_rule = serializers.ChoiceField(choices=VotingRule.choices, default=VotingRule.SIMPLE_MAJORITY)
    counting = serializers.ChoiceField(choices=Counting.choices, default=Counting.PER_DELEGATION)
    quorum = serializers.IntegerField(min_value=0, default=0)
    eligible_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=StakeholderGroup.choices), required=False, allow_empty=False
    )
    hide_tallies_until_close = serializers.BooleanField(default=True)
    chatham_house = serializers.BooleanField(default=False)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    voting_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)


class DraftRoundsView(GenericAPIView):
    serializer_class = RoundSerializer

    @extend_schema(responses=RoundSerializer(many=True))
    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(draft.rounds.select_related("draft").order_by("created_at", "id"))
        return self.get_paginated_response(RoundSerializer(page, many=True).data)

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def post(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        data = validated(RoundCreateSerializer, request.data)
        round_ = services.round_create(draft=draft, by=request.user, **data)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class RoundDetailView(APIView):
    @extend_schema(responses=RoundSerializer)
    def get(self, request, round_id: int):
        round_, _ = selectors.round_for(request.user, round_id)
        return Response(RoundSerializer(round_).data)


def _round_move(service):
    class RoundMoveView(APIView):
        @extend_schema(
            request=None,
            responses={
                200: RoundSerializer,
                409: OpenApiResponse(
                    description="The round is not in the phase this move starts from, or another round is active."
                ),
            },
        )
        def post(self, request, round_id: int):
            return Response(RoundSerializer(service(round_id=round_id, by=request.user)).data)

    return RoundMoveView


RoundOpenView = _round_move(services.round_open)


RoundStartVotingView = _round_move(services.round_start_voting)


class RivalChoiceSerializer(serializers.Serializer):
    amendments = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=1000,
        help_text="The ids of one rival set, as the close preview lists it (`rivals[].amendments`), in any order.",
    )
    choice = serializers.ChoiceField(
        choices=RivalChoice.choices,
        help_text="most_support: the member with most yes (then fewest no, then submitted first) is accepted if it "
        "passes its vote, the others are superseded; carry_over: every member goes to the next round's ballot; "
        "compromise: the Chair's `text` goes on the next round's ballot as a new amendment and the members are "
        "superseded by it (a member its own vote rejected stays rejected).",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=settings.MAX_CLAUSE_TEXT,
        help_text="With compromise: the clause's whole new text. Not used with the other choices.",
    )


class RoundCloseSerializer(serializers.Serializer):
    rivals = RivalChoiceSerializer(
        many=True,
        max_length=1000,
        required=False,
        help_text="The Chair's choice per set of rival amendments; a set not named goes to the one with most support.",
    )


class RoundCloseView(APIView):
    @extend_schema(
        request=RoundCloseSerializer,
        responses={
            200: RoundSerializer,
            400: OpenApiResponse(
                description="A rival choice that does not fit the ballot: ids not in one of the round's rival sets, "
                "a set named twice, a compromise without text, too long, or the clause's current text."
            ),
            409: OpenApiResponse(description="The round is not voting."),
        },
        description="Close the round: tally, settle each set of rival amendments as chosen, merge what is "
        "accepted, publish Rev.N and tell the authors. The body is optional.",
    )
    def post(self, request, round_id: int):
        data = validated(RoundCloseSerializer, request.data)
        rivals = [dict(chosen) for chosen in data.get("rivals", [])]
        return Response(RoundSerializer(services.round_close(round_id=round_id, by=request.user, rivals=rivals)).data)
