"""Co-sponsors of a delegation's proposal, a clause or an amendment (API.md "Co-sponsors"): who
co-sponsors it, a delegation joining, asking and withdrawing, the proponent's decisions and setting."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import speaking_for_data

from .. import services
from ..models import CosponsorAdmission, Cosponsorship
from ..naming import Naming, cosponsors
from ..selectors.cosponsors import cosponsor_panel, draft_of, proposal_for
from .common import timestamps, validated
from .speaking import SpeakingForSerializer, speaking_as_field

REFUSALS = {
    400: OpenApiResponse(description="A field is missing or not one of its choices."),
    403: OpenApiResponse(description="Not a verified member of a delegation that may do this."),
    404: OpenApiResponse(description="No such proposal (or co-sponsorship) for this reader."),
    409: OpenApiResponse(description="Not now: the round is not open, or the proposal or request is past it."),
}


class CosponsorshipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Cosponsorship.Status.choices)
    delegation = SpeakingForSerializer(help_text="The delegation; only its group under the Chatham House rule.")
    created_at = serializers.DateTimeField()


class CosponsorSerializer(serializers.Serializer):
    speaking_as = speaking_as_field()


class MineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Cosponsorship.Status.choices)


class CosponsorsSerializer(serializers.Serializer):
    cosponsorship = serializers.ChoiceField(
        choices=CosponsorAdmission.choices,
        help_text="The proponent's setting: `open` (co-sponsors join at once) or `on_acceptance`.",
    )
    cosponsored_by = serializers.CharField(
        help_text="As documents say it after “co-sponsored by”; empty when none. Groups only under the "
        "Chatham House rule (“2 delegations (Government, Civil society)”)."
    )
    cosponsors = SpeakingForSerializer(many=True, help_text="The co-sponsoring delegations, oldest first.")
    requests = CosponsorshipSerializer(
        many=True, help_text="Requests awaiting the proponent's decision: to the proponent only, else empty."
    )
    mine = MineSerializer(allow_null=True, help_text="The reader's delegation's request or co-sponsorship.")


class CosponsorshipSetSerializer(serializers.Serializer):
    cosponsorship = serializers.ChoiceField(choices=CosponsorAdmission.choices)


def request_data(row: Cosponsorship, delegation) -> dict:
    """A co-sponsorship in the API, ``delegation`` as the naming rule tells it (a ``SpeakingFor``)."""
    return {
        "id": row.pk,
        "status": row.status,
        "delegation": speaking_for_data(delegation, named=delegation.organization is not None),
        "created_at": timestamps().to_representation(row.created_at),
    }


def cosponsorship_data(row: Cosponsorship, proposal, naming: Naming) -> dict:
    return request_data(row, cosponsors(naming, proposal.round_id, [row.organization]).delegations[0])


def cosponsors_data(request, kind: str, item_id: int) -> dict:
    proposal, standing = proposal_for(request.user, kind, item_id)
    panel = cosponsor_panel(request.user, proposal, standing)
    mine = panel.get("mine")
    return {
        "cosponsorship": proposal.cosponsorship,
        "cosponsored_by": proposal.cosponsors.label if proposal.cosponsors else "",
        "cosponsors": proposal.cosponsors.data(),
        "requests": [request_data(row, delegation) for row, delegation in panel.get("requests", [])],
        "mine": {"id": mine.pk, "status": mine.status} if mine is not None else None,
    }


class ProposalView(APIView):
    """A view of one proposal, a clause (``clause_id`` in the path) or an amendment (``amendment_id``)."""

    kind = "clause"

    def item_id(self) -> int:
        return self.kwargs[f"{self.kind}_id"]


class CosponsorsView(ProposalView):
    @extend_schema(responses={200: CosponsorsSerializer, 404: REFUSALS[404]})
    def get(self, request, **ids):
        return Response(cosponsors_data(request, self.kind, self.item_id()))

    @extend_schema(
        request=CosponsorSerializer,
        responses={201: CosponsorshipSerializer, **REFUSALS},
        description="The reader's delegation co-sponsors the proposal (`joined`), or, where the proponent "
        "accepts each co-sponsor, asks to (`requested`). A moderator sends `speaking_as: delegation` "
        "(the Chair co-sponsors nothing: 403 otherwise).",
    )
    def post(self, request, **ids):
        proposal_for(request.user, self.kind, self.item_id())  # 404 before field errors for what they can't see
        data = validated(CosponsorSerializer, request.data)
        row = services.cosponsorship_join(
            kind=self.kind, item_id=self.item_id(), by=request.user, speaking_as=data.get("speaking_as")
        )
        proposal = row.proposal
        naming = Naming.published(draft_of(proposal).pk, known=[proposal.round])
        return Response(cosponsorship_data(row, proposal, naming), status=status.HTTP_201_CREATED)

    @extend_schema(request=CosponsorshipSetSerializer, responses={200: CosponsorsSerializer, **REFUSALS})
    def patch(self, request, **ids):
        proposal_for(request.user, self.kind, self.item_id())  # 404 before field errors for what they can't see
        data = validated(CosponsorshipSetSerializer, request.data)
        services.cosponsorship_set(kind=self.kind, item_id=self.item_id(), by=request.user, **data)
        return Response(cosponsors_data(request, self.kind, self.item_id()))


class MyCosponsorshipView(ProposalView):
    @extend_schema(request=None, responses={204: None, **REFUSALS})
    def delete(self, request, **ids):
        services.cosponsorship_withdraw(kind=self.kind, item_id=self.item_id(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CosponsorshipDecisionView(APIView):
    accept = True

    @extend_schema(request=None, responses={200: CosponsorshipSerializer, **REFUSALS})
    def post(self, request, cosponsorship_id: int):
        decide = services.cosponsorship_accept if self.accept else services.cosponsorship_decline
        row = decide(cosponsorship_id=cosponsorship_id, by=request.user)
        proposal = row.proposal
        naming = Naming.published(draft_of(proposal).pk, known=[proposal.round])
        return Response(cosponsorship_data(row, proposal, naming))
