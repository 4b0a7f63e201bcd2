"""The live room in the API (the same acts as its pages, ``live.pages``):

- ``GET /api/v1/drafts/{slug}/session/``: the open session (or null), the paragraph on screen with
  its redline since the session opened, the list of speakers, the closed sessions' summaries;
- ``POST`` there: the Chair opens one; ``PATCH``: the Chair puts a paragraph on screen, opens or
  closes the list, times interventions; ``POST .../session/close/``: closes it;
- ``POST .../session/speakers/``: the reader's delegation asks for the floor; ``DELETE
  .../session/speakers/mine/``: withdraws; ``POST .../session/speakers/next/`` (or
  ``/{id}/floor/``): the Chair gives the floor; ``POST .../session/speakers/end/``: ends it.

The Chair edits the paragraph with ``PATCH /api/v1/clauses/{id}/`` and ``on_proposal_of``.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from drafting import selectors
from drafting.api.common import validated

from . import room as services
from .models import FloorRequest
from .selectors import room

REFUSALS = {
    400: OpenApiResponse(description="A field is not one of its choices, or out of range."),
    403: OpenApiResponse(description="Only the Chair (a moderator) does this; or not a verified delegate."),
    404: OpenApiResponse(description="No such draft for this reader, or no live session open."),
    409: OpenApiResponse(
        description="Not now: a session is open already, the list is closed, the delegation "
        "is on it already, or nobody waits for the floor."
    ),
}


class SpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=FloorRequest.State.choices)
    delegation = serializers.CharField(allow_null=True, help_text="Null under the Chatham House rule (not your own).")
    stakeholder_group = serializers.CharField()
    label = serializers.CharField(help_text="As the screen shows it.")
    mine = serializers.BooleanField(help_text="The reader's own delegation.")
    asked_at = serializers.DateTimeField()
    floor_at = serializers.DateTimeField(allow_null=True)


class RedlineOpSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class OnScreenSerializer(serializers.Serializer):
    clause = serializers.IntegerField()
    ref = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    redline = RedlineOpSerializer(many=True, allow_null=True, help_text="Its change since the session opened.")
    changed_by = serializers.CharField(allow_blank=True)


class SummarySerializer(serializers.Serializer):
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    summary = serializers.JSONField(
        help_text="`clauses` (each changed paragraph, its redline, who), `interventions`, `delegations`."
    )


class SessionStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    section = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField()
    speakers_open = serializers.BooleanField()
    speaking_time = serializers.IntegerField(allow_null=True)


class RoomSerializer(serializers.Serializer):
    session = SessionStateSerializer(allow_null=True)
    on_screen = OnScreenSerializer(allow_null=True)
    speaking = SpeakerSerializer(allow_null=True)
    waiting = SpeakerSerializer(many=True)
    past = SummarySerializer(many=True, help_text="The latest closed sessions, newest first.")


class OpenSerializer(serializers.Serializer):
    section = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)


class SettingsSerializer(serializers.Serializer):
    clause = serializers.IntegerField(required=False, min_value=1, max_value=2**62, help_text="Put it on screen.")
    speakers_open = serializers.BooleanField(required=False)
    speaking_time = serializers.IntegerField(
        required=False, allow_null=True, min_value=10, max_value=services.LONGEST_TURN, help_text="Null: not timed."
    )


def room_data(request, slug: str) -> dict:
    draft, standing = selectors.draft_for(request.user, slug)
    found = room(request.user, draft, standing)
    session, clause = found.session, found.clause
    return {
        "session": None
        if session is None
        else {
            "id": session.pk,
            "section": session.section_id,
            "opened_at": session.opened_at,
            "speakers_open": session.speakers_open,
            "speaking_time": session.speaking_time,
        },
        "on_screen": None
        if clause is None
        else {
            "clause": clause.pk,
            "ref": clause.ref,
            "title": clause.title,
            "text": clause.text,
            "status": clause.status,
            "version": clause.version,
            "redline": found.redline,
            "changed_by": found.changed_by,
        },
        "speaking": found.speaking.data() if found.speaking else None,
        "waiting": [s.data() for s in found.waiting],
        "past": [{"opened_at": p.opened_at, "closed_at": p.closed_at, "summary": p.summary} for p in found.past],
    }


def _room(request, slug: str, code: int = status.HTTP_200_OK) -> Response:
    return Response(RoomSerializer(room_data(request, slug)).data, status=code)


class SessionView(APIView):
    @extend_schema(summary="The draft's live room", responses={200: RoomSerializer, 404: REFUSALS[404]})
    def get(self, request, slug: str):
        return _room(request, slug)

    @extend_schema(
        summary="Open a live session (the Chair)", request=OpenSerializer, responses={201: RoomSerializer, **REFUSALS}
    )
    def post(self, request, slug: str):
        selectors.draft_for(request.user, slug)  # 404 before field errors for what they can't see
        data = validated(OpenSerializer, request.data)
        services.session_open(slug=slug, by=request.user, section_id=data.get("section"))
        return _room(request, slug, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the screen, open or close the list, time interventions (the Chair)",
        request=SettingsSerializer,
        responses={200: RoomSerializer, **REFUSALS},
    )
    def patch(self, request, slug: str):
        selectors.draft_for(request.user, slug)
        data = validated(SettingsSerializer, request.data)
        with transaction.atomic():  # all of it or none
            if "clause" in data:
                services.session_follow(slug=slug, by=request.user, clause_id=data.pop("clause"))
            services.session_set(slug=slug, by=request.user, **data)
        return _room(request, slug)


class SessionCloseView(APIView):
    @extend_schema(
        summary="Close the live session (the Chair); it keeps what changed in it",
        request=None,
        responses={200: RoomSerializer, **REFUSALS},
    )
    def post(self, request, slug: str):
        services.session_close(slug=slug, by=request.user)
        return _room(request, slug)


class SpeakersView(APIView):
    @extend_schema(
        summary="Ask for the floor for the reader's delegation",
        request=None,
        responses={201: RoomSerializer, **REFUSALS},
    )
    def post(self, request, slug: str):
        services.floor_ask(slug=slug, by=request.user)
        return _room(request, slug, status.HTTP_201_CREATED)


class MySpeakerView(APIView):
    @extend_schema(
        summary="Withdraw the reader's delegation from the list (or end its intervention)",
        request=None,
        responses={200: RoomSerializer, **REFUSALS},
    )
    def delete(self, request, slug: str):
        services.floor_withdraw(slug=slug, by=request.user)
        return _room(request, slug)


class FloorGiveView(APIView):
    @extend_schema(
        summary="Give the floor to the next delegation, or to one on the list (the Chair)",
        request=None,
        responses={200: RoomSerializer, **REFUSALS},
    )
    def post(self, request, slug: str, speaker_id: int | None = None):
        services.floor_give(slug=slug, by=request.user, request_id=speaker_id)
        return _room(request, slug)


class FloorEndView(APIView):
    @extend_schema(
        summary="End the intervention under way (the Chair)", request=None, responses={200: RoomSerializer, **REFUSALS}
    )
    def post(self, request, slug: str):
        services.floor_end(slug=slug, by=request.user)
        return _room(request, slug)
