"""What changed in a draft since a moment, and marking it seen (API.md "Added for the next capabilities").

``GET /api/v1/drafts/{slug}/changes/?since=`` lists the changes since ``since``, by default since
the caller's last visit; ``POST /api/v1/drafts/{slug}/changes/seen/`` moves that mark to the
``until`` the list answered with, so what arrived while the person read stays unseen.
"""

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput, NotFound

from .. import selectors
from ..search import MAX_PAGE
from ..selectors.changes import changes_since
from ..services.visits import last_visit, mark_seen
from .clauses import DiffChangeSerializer
from .common import validated
from .speaking import SpeakingForSerializer


class BySerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_null=True, help_text="Who did it; null under the Chatham House rule or when no person did."
    )
    speaking_for = SpeakingForSerializer()
    on_proposal_of = SpeakingForSerializer(
        allow_null=True,
        required=False,
        help_text="The delegation on whose proposal the Chair made the change (a live session's edit); "
        "only its group under the Chatham House rule; null when the Chair acted alone or it was not the Chair.",
    )


class ClauseChangeSerializer(serializers.Serializer):
    clause = serializers.IntegerField()
    change = serializers.ChoiceField(choices=["changed", "added", "removed"])
    ref = serializers.CharField(help_text="The paragraph as cited now: “OP3”, “PP2”.")
    previous_ref = serializers.CharField(
        allow_blank=True, help_text="As cited at `since` if it was renumbered, else blank."
    )
    title = serializers.CharField()
    previous_title = serializers.CharField(
        allow_blank=True, help_text="The title at `since` if it changed, else blank."
    )
    section = serializers.CharField(help_text="The title of the section it stands in now.")
    previous_section = serializers.CharField(
        allow_blank=True, help_text="The section it stood in at `since` if it moved since, else blank."
    )
    status = serializers.CharField()
    previous_status = serializers.CharField(allow_null=True, help_text="Null for a clause added since.")
    version = serializers.IntegerField()
    previous_version = serializers.IntegerField(allow_null=True, help_text="Null for a clause added since.")
    changed_at = serializers.DateTimeField()
    reason = serializers.CharField(
        allow_blank=True, help_text="Why its latest version was made, as its history records it."
    )
    redline = DiffChangeSerializer(many=True, help_text="From its text at `since` to its text now, brackets included.")
    by = BySerializer(help_text="Who made its latest version; for an added clause, its proposer.")
    url = serializers.CharField()


class AmendmentChangeSerializer(serializers.Serializer):
    amendment = serializers.IntegerField()
    clause = serializers.IntegerField()
    clause_ref = serializers.CharField()
    clause_title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    round = serializers.CharField(help_text="The round it was submitted in.")
    at = serializers.DateTimeField(help_text="When it was submitted (new) or decided (decided).")
    redline = DiffChangeSerializer(many=True, allow_null=True, help_text="For a new amendment; null for a decided one.")
    by = BySerializer(allow_null=True, help_text="Its author, for a new amendment; null for a decided one.")
    url = serializers.CharField()


class CommentChangeSerializer(serializers.Serializer):
    comment = serializers.IntegerField()
    clause = serializers.IntegerField(help_text="The clause it is on, or whose amendment it is on.")
    clause_ref = serializers.CharField()
    amendment = serializers.IntegerField(allow_null=True)
    parent = serializers.IntegerField(allow_null=True, help_text="The comment it replies to.")
    stance = serializers.CharField()
    body = serializers.CharField(allow_blank=True)
    hidden = serializers.BooleanField(help_text="Hidden by a moderator: listed for moderators only.")
    change = serializers.ChoiceField(
        choices=["written", "edited"], help_text="Written since, or written before and edited since."
    )
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True, help_text="Its author's last edit, if any.")
    by = BySerializer()
    url = serializers.CharField()


class RoundEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=["created", "opened", "voting", "closed"])
    at = serializers.DateTimeField()


class RoundChangeSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    title = serializers.CharField()
    phase = serializers.CharField()
    events = RoundEventSerializer(many=True, help_text="Its moves since `since`, in order.")
    url = serializers.CharField()


class SessionChangeSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    section = serializers.CharField(allow_blank=True, help_text="The section it was on; blank for the whole draft.")
    summary = serializers.JSONField(
        help_text="What changed in it: `clauses` (each paragraph changed, its redline and who changed it, named "
        "as this list names everyone), `interventions` and `delegations` (how many took the floor)."
    )
    url = serializers.CharField()


def _listed(item_serializer, name: str):
    """``{count, items}``: up to 200 items, and how many there are in all."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(help_text="How many in all."),
            "items": item_serializer(many=True, help_text="This page's: 200 at most (page 2 has items 201 to 400)."),
        },
    )


ClauseChangesSerializer = _listed(ClauseChangeSerializer, "ClauseChangesSerializer")
AmendmentChangesSerializer = _listed(AmendmentChangeSerializer, "AmendmentChangesSerializer")
CommentChangesSerializer = _listed(CommentChangeSerializer, "CommentChangesSerializer")
RoundChangesSerializer = _listed(RoundChangeSerializer, "RoundChangesSerializer")
SessionChangesSerializer = _listed(SessionChangeSerializer, "SessionChangesSerializer")


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="The moment asked for; the draft's creation if that was later.")
    until = serializers.DateTimeField(
        help_text="Up to where the lists are whole (when they were made, or before a change still being "
        "written then): send it to `changes/seen/`."
    )
    total = serializers.IntegerField()
    page = serializers.IntegerField(help_text="Each list's page: page 2 holds items 201 to 400 of each.")
    next = serializers.URLField(allow_null=True, help_text="The next page, while some list goes on.")
    previous = serializers.URLField(allow_null=True)
    clauses_changed = ClauseChangesSerializer(help_text="Clauses whose number, title, text or status changed.")
    clauses_added = ClauseChangesSerializer()
    clauses_removed = ClauseChangesSerializer(help_text="Clauses withdrawn or rejected since.")
    amendments_new = AmendmentChangesSerializer()
    amendments_decided = AmendmentChangesSerializer(help_text="Accepted, rejected, withdrawn or conflicted since.")
    comments = CommentChangesSerializer(help_text="Comments and replies written or edited since, oldest first.")
    rounds = RoundChangesSerializer(help_text="Rounds created, opened, put to the vote or closed since.")
    sessions = SessionChangesSerializer(help_text="Live sessions closed since, each with what changed in it.")


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="ISO 8601, e.g. 2026-11-20T09:00:00Z; by default, your last visit."
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)


class SeenSerializer(serializers.Serializer):
    until = serializers.DateTimeField(
        required=False,
        help_text="The `until` of the list you read (so what came after stays unseen); by default now. "
        "Never past now; an earlier moment moves your mark back.",
    )


class SeenAnswerSerializer(serializers.Serializer):
    seen_at = serializers.DateTimeField()


class DraftChangesView(APIView):
    @extend_schema(
        summary="What changed in the draft since a moment (by default, since your last visit)",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                required=False,
                description="ISO 8601, e.g. 2026-11-20T09:00:00Z; by default, the end of your last visit.",
            ),
            OpenApiParameter("page", int, required=False, description="Each list's page (200 items a page)."),
        ],
        responses={
            200: ChangesSerializer,
            400: OpenApiResponse(
                description="`since` is not an ISO 8601 timestamp, or is missing and the caller has no last "
                "visit; or `page` is not a page number."
            ),
            404: OpenApiResponse(description="A page past the last."),
        },
    )
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        query = validated(ChangesQuerySerializer, request.query_params)
        since = query.get("since") or _last_visit(request.user, draft)
        page = query.get("page", 1)
        changes = changes_since(request.user, draft, standing, since, page=page)
        if page > changes.pages:
            raise NotFound(_("No such page: the longest list of changes fills %(pages)d.") % {"pages": changes.pages})
        data = ChangesSerializer(changes).data
        # The links keep the moment the first page started from, so every page lists the same changes.
        moment = data["since"]
        data["next"] = self._link(request, moment, page + 1) if changes.has_next else None
        data["previous"] = self._link(request, moment, page - 1) if page > 1 else None
        return Response(data)

    @staticmethod
    def _link(request, since: str, page: int) -> str:
        return request.build_absolute_uri(f"{request.path}?{urlencode({'since': since, 'page': page})}")


def _last_visit(user, draft):
    seen_at = last_visit(user, draft)
    if seen_at is None:
        raise InvalidInput(
            _("Give `since` (an ISO 8601 timestamp): there is no last visit of yours to start from."), field="since"
        )
    return seen_at


class DraftChangesSeenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark the draft's changes seen up to `until`",
        request=SeenSerializer,
        responses={
            200: SeenAnswerSerializer,
            201: OpenApiResponse(SeenAnswerSerializer, description="Your first mark on this draft."),
        },
    )
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        until = validated(SeenSerializer, request.data).get("until")
        visit, created = mark_seen(request.user, draft, until)
        answer = SeenAnswerSerializer({"seen_at": visit.seen_at}).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
