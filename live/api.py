"""What a client that cannot hold a stream asks instead: ``GET /api/v1/drafts/{slug}/events/?after=``,
the changes after an event id, the same as the stream would have sent (``live.views``); and
``GET /api/v1/me/events/``, the answer for a person's own stream, which keeps nothing to tell again."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from drafting import selectors
from drafting.api.common import validated

from . import services
from .models import Kind


class LiveEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    created_at = serializers.DateTimeField()


class LiveEventsSerializer(serializers.Serializer):
    events = LiveEventSerializer(many=True, help_text="Oldest first; 500 at most.")
    complete = serializers.BooleanField(
        help_text="False when more changes followed than are listed, or when some may have been forgotten "
        "(kept for a day): read what you show again."
    )
    last = serializers.IntegerField(help_text="The id to ask after next time.")


class AfterSerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, max_value=2**62)


class DraftEventsView(APIView):
    @extend_schema(
        summary="The draft's changes after an event id (the live stream, asked for instead of held open)",
        parameters=[
            OpenApiParameter(
                "after",
                int,
                required=False,
                description="An event id from an earlier answer, or from the stream; without it, none are "
                "listed and `last` says where the draft stands.",
            )
        ],
        responses={
            200: LiveEventsSerializer,
            400: OpenApiResponse(description="`after` is not an event id."),
            404: OpenApiResponse(description="No such draft, or it is open to its members only."),
        },
    )
    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        after = validated(AfterSerializer, request.query_params).get("after")
        if after is None:
            return Response({"events": [], "complete": True, "last": services.latest(draft.pk)})
        events, complete = services.missed(draft.pk, after)
        # Told in part: the client reads everything again, and goes on from where the draft stands.
        last = max([after, *(event.id for event in events)]) if complete else services.latest(draft.pk)
        return Response(LiveEventsSerializer({"events": events, "complete": complete, "last": last}).data)


class PersonEventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your own changes, asked for instead of held open (your notifications): none are kept",
        description="A person's stream (`/live/me/events/`) tells of new notifications as they come and keeps "
        "none to tell again: a client that cannot hold it reads `GET /api/v1/notifications/` again each time.",
        responses={200: LiveEventsSerializer, 401: OpenApiResponse(description="Not signed in.")},
    )
    def get(self, request):
        return Response({"events": [], "complete": True, "last": 0})
