"""Amendments to clauses (API.md "Amendments")."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..competing import competing_amendments
from ..diff import word_diff
from ..models import (
    Amendment,
    AmendmentKind,
)
from ..naming import Naming, naming_for, reader_of
from .clauses import DiffChangeSerializer, cosponsor_fields, tally_for
from .common import validated, vote_context
from .speaking import SpeakingForSerializer, named_in, speaking_as_field


class AmendmentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(
        help_text="The author's user name; null under the Chatham House rule (but to the author)."
    )
    organization = serializers.SerializerMethodField(
        help_text="The organization the author spoke for; null under the Chatham House rule (but to the author)."
    )
    speaking_for = serializers.SerializerMethodField(help_text="What the author spoke for when submitting it.")
    competes_with = serializers.SerializerMethodField()
    tally = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = [
            "id",
            "clause",
            "round",
            "kind",
            "text",
            "rationale",
            "base_version",
            "status",
            "author",
            "organization",
            "speaking_for",
            "competes_with",
            "tally",
            "my_vote",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _named(self, amendment):
        return named_in(
            self.context,
            lambda: amendment.clause.draft_id,
            amendment.author_id,
            amendment.author.username,
            amendment.created_at,
            round_id=amendment.round_id,
            recorded=amendment.organization,  # as it was recorded when submitted
            as_chair=amendment.as_chair,
        )

    def get_author(self, amendment) -> str | None:
        return self._named(amendment).name

    def get_organization(self, amendment) -> str | None:
        spoke = self._named(amendment).speaking_for
        return spoke.organization.name if spoke is not None and spoke.organization is not None else None

    def get_speaking_for(self, amendment) -> SpeakingForSerializer:
        return self._named(amendment).data()

    def get_competes_with(self, amendment) -> list[int]:
        return self.context.get("competing", {}).get(amendment.id, [])

    def get_tally(self, amendment) -> dict | None:
        return tally_for(self.context, ("amendment", amendment.id))

    def get_my_vote(self, amendment) -> str | None:
        return self.context.get("my_votes", {}).get(("amendment", amendment.id))


class AmendmentDetailSerializer(AmendmentSerializer):
    diff = serializers.SerializerMethodField()
    cosponsors = serializers.SerializerMethodField(
        help_text="The delegations co-sponsoring it, oldest first; groups only under the Chatham House rule."
    )

    class Meta(AmendmentSerializer.Meta):
        fields = [*AmendmentSerializer.Meta.fields, "base_text", "diff", "cosponsorship", "cosponsors"]
        read_only_fields = fields
        extra_kwargs = {
            "cosponsorship": {
                "help_text": "The proponent's setting: co-sponsors join at once (`open`) or on its acceptance."
            }
        }

    def get_diff(self, amendment) -> DiffChangeSerializer(many=True):
        return word_diff(amendment.base_text, amendment.new_text)

    def get_cosponsors(self, amendment) -> SpeakingForSerializer(many=True):
        naming = naming_for(self.context, reader_of(self.context), lambda: amendment.clause.draft_id)
        return cosponsor_fields(naming, amendment)["cosponsors"]


class AmendmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AmendmentKind.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    speaking_as = speaking_as_field()


class ClauseAmendmentsView(GenericAPIView):
    serializer_class = AmendmentSerializer

    @extend_schema(responses=AmendmentSerializer(many=True))
    def get(self, request, clause_id: int):
        clause, standing = selectors.clause_for(request.user, clause_id)
        amendments = list(selectors.amendments_of(clause))
        page = self.paginate_queryset(amendments)
        context = vote_context(request, clause.draft, standing, amendments=page)
        context["naming"] = Naming(request.user, clause.draft_id).rounds()
        context["naming"].load((a.author_id, a.created_at) for a in page)
        context["competing"] = competing_amendments(amendments, clause.text)
        return self.get_paginated_response(AmendmentSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=AmendmentCreateSerializer,
        responses={
            201: AmendmentDetailSerializer,
            409: OpenApiResponse(description="No round is open, or the clause can no longer be amended."),
        },
    )
    def post(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)
        data = validated(AmendmentCreateSerializer, request.data)
        amendment = services.amendment_submit(clause_id=clause_id, by=request.user, **data)
        return Response(
            AmendmentDetailSerializer(amendment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AmendmentDetailView(APIView):
    @extend_schema(responses=AmendmentDetailSerializer)
    def get(self, request, amendment_id: int):
        amendment, standing = selectors.amendment_for(request.user, amendment_id)
        context = vote_context(request, amendment.clause.draft, standing, amendments=[amendment])
        siblings = list(selectors.amendments_of(amendment.clause))
        context["competing"] = competing_amendments(siblings, amendment.clause.text)
        return Response(AmendmentDetailSerializer(amendment, context=context).data)


class AmendmentWithdrawView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: AmendmentDetailSerializer,
            409: OpenApiResponse(description="Only a submitted amendment is withdrawn, and not while the round votes."),
        },
    )
    def post(self, request, amendment_id: int):
        amendment = services.amendment_withdraw(amendment_id=amendment_id, by=request.user)
        return Response(AmendmentDetailSerializer(amendment, context={"request": request}).data)
