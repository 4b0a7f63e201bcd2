"""Asking to join a draft, and the moderators' answer (API.md "Added for the next capabilities").

Requests are for drafts the caller can read: a members-only draft answers 404 to outsiders, whose
way in is a moderator's appointment (``POST /api/v1/drafts/{slug}/members/``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import rules, selectors
from ..models import JoinRequest, Role
from ..selectors.join_requests import join_requests_pending
from ..services import join_requests as services
from .common import validated
from .speaking import SpeakingForSerializer, speaking_context, speaking_for_in


class JoinRequestSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    speaking_for = serializers.SerializerMethodField(help_text="What the person spoke for when asking.")

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "draft",
            "user",
            "speaking_for",
            "role",
            "message",
            "status",
            "decided_by",
            "decided_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_speaking_for(self, join_request) -> SpeakingForSerializer:
        return speaking_for_in(self.context, join_request.user_id, join_request.created_at)


class JoinRequestCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[(Role.PARTICIPANT.value, "Participant"), (Role.OBSERVER.value, "Observer")],
        default=Role.PARTICIPANT.value,
    )
    message = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class JoinDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Told to the person.")


class DraftJoinRequestsView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = JoinRequestSerializer
    queryset = JoinRequest.objects.none()  # the reads go through selectors; this names the model for the schema

    @extend_schema(
        summary="The draft's pending requests to join, oldest first (moderators)",
        responses=JoinRequestSerializer(many=True),
    )
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        rules.check("join_decide", rules.Subject(standing, state=JoinRequest.Status.PENDING))
        page = self.paginate_queryset(join_requests_pending(draft))
        context = speaking_context((r.user_id, r.created_at) for r in page)
        return self.get_paginated_response(JoinRequestSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Ask for a role on the draft (signed in, no role in it yet)",
        request=JoinRequestCreateSerializer,
        responses={
            201: JoinRequestSerializer,
            409: OpenApiResponse(
                description="The caller already has a role in the draft (`role`), or already asked and awaits an "
                "answer (`request`)."
            ),
        },
    )
    def post(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        data = validated(JoinRequestCreateSerializer, request.data)
        join_request = services.join_request_create(
            draft=draft, by=request.user, role=data["role"], message=data["message"]
        )
        return Response(JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED)


def _decision(service, verb: str):
    class JoinDecisionView(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(
            summary=f"{verb.capitalize()} a request to join (moderators)",
            request=JoinDecisionSerializer,
            responses={
                200: JoinRequestSerializer,
                409: OpenApiResponse(description="The request was already decided (`status`)."),
            },
        )
        def post(self, request, request_id: int):
            data = validated(JoinDecisionSerializer, request.data)
            join_request = service(request_id=request_id, by=request.user, reason=data["reason"])
            return Response(JoinRequestSerializer(join_request).data)

    JoinDecisionView.__name__ = f"JoinRequest{verb.capitalize()}View"
    return JoinDecisionView


JoinRequestApproveView = _decision(services.join_request_approve, "approve")
JoinRequestDeclineView = _decision(services.join_request_decline, "decline")
