"""Comments and replies, their history, and moderation (API.md "Comments")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import StakeholderGroup
from codeofconduct.errors import InvalidInput

from .. import rules, selectors, services
from ..models import (
    Comment,
    Stance,
)
from ..naming import Naming
from ..selectors.comment_filters import comment_filter, filter_comments
from .common import id_param, validated
from .speaking import SpeakingForSerializer, named_in, speaking_as_field, speaking_context


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(
        help_text="The author's user name; null under the Chatham House rule (but to the author)."
    )
    speaking_for = serializers.SerializerMethodField(help_text="What the author spoke for when posting it.")
    body = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField(help_text="Hidden with the body: the words quoted are the comment's too.")
    edited = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "clause",
            "amendment",
            "parent",
            "author",
            "speaking_for",
            "body",
            "stance",
            "quote",
            "edited",
            "edited_at",
            "hidden",
            "hidden_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_body(self, comment) -> str | None:
        """A hidden comment's body is for its author and the moderators only (context: request, standing)."""
        standing = self.context.get("standing", rules.NON_MEMBER)
        if selectors.comment_body_visible(self.context["request"].user, comment, standing):
            return comment.body
        return None

    def get_quote(self, comment) -> str | None:
        standing = self.context.get("standing", rules.NON_MEMBER)
        if selectors.comment_body_visible(self.context["request"].user, comment, standing):
            return comment.quote
        return None

    def _named(self, comment):
        def draft_of():
            return comment.clause.draft_id if comment.clause_id else comment.amendment.clause.draft_id

        return named_in(
            self.context,
            draft_of,
            comment.author_id,
            comment.author.username,
            comment.created_at,
            as_chair=comment.as_chair,
        )

    def get_author(self, comment) -> str | None:
        return self._named(comment).name

    def get_speaking_for(self, comment) -> SpeakingForSerializer:
        return self._named(comment).data()

    def get_edited(self, comment) -> bool:
        return comment.edited_at is not None

    def get_hidden_reason(self, comment) -> str | None:
        return comment.hidden_reason if comment.hidden else None


class CommentCreateSerializer(serializers.Serializer):
    clause = serializers.IntegerField(required=False, allow_null=True)
    amendment = serializers.IntegerField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.NEUTRAL)
    quote = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    speaking_as = speaking_as_field()


class CommentVersionSerializer(serializers.Serializer):
    body = serializers.CharField()
    stance = serializers.CharField()
    changed_at = serializers.DateTimeField(source="history_date")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=1000)


class CommentsView(GenericAPIView):
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # the reads go through selectors; this names the model for the schema

    @extend_schema(
        parameters=[
            OpenApiParameter("clause", int),
            OpenApiParameter("amendment", int),
            OpenApiParameter("stance", str, enum=Stance.values, description="Only comments with this stance."),
            OpenApiParameter(
                "group",
                str,
                enum=StakeholderGroup.values,
                description="Only comments whose author speaks for this stakeholder group.",
            ),
            OpenApiParameter("round", int, description="Only comments written during this round of the draft."),
        ],
        responses=CommentSerializer(many=True),
    )
    def get(self, request):
        clause_id, amendment_id = id_param(request, "clause"), id_param(request, "amendment")
        if (clause_id is None) == (amendment_id is None):
            raise InvalidInput(_("Give ?clause=ID or ?amendment=ID."), field="clause")
        if clause_id is not None:
            clause, standing = selectors.clause_for(request.user, clause_id)
            comments, draft = selectors.comments_on(clause=clause), clause.draft
        else:
            amendment, standing = selectors.amendment_for(request.user, amendment_id)
            comments, draft = selectors.comments_on(amendment=amendment), amendment.clause.draft
        comments = filter_comments(comments, comment_filter(request.query_params, draft))
        page = self.paginate_queryset(comments)
        context = {
            "request": request,
            "standing": standing,
            "naming": Naming(request.user, draft.pk, chair=draft.chair_name),
        }
        context |= speaking_context((c.author_id, c.created_at) for c in page)
        return self.get_paginated_response(CommentSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=CommentCreateSerializer,
        responses={
            201: CommentSerializer,
            404: OpenApiResponse(
                description="No such clause, amendment or parent comment, or not one the caller sees."
            ),
        },
    )
    def post(self, request):
        data = validated(CommentCreateSerializer, request.data)
        comment = services.comment_post(
            by=request.user,
            clause_id=data.get("clause"),
            amendment_id=data.get("amendment"),
            parent_id=data.get("parent"),
            body=data["body"],
            stance=data["stance"],
            quote=data["quote"],
            speaking_as=data.get("speaking_as"),
        )
        return Response(CommentSerializer(comment, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    @extend_schema(responses=CommentSerializer)
    def get(self, request, comment_id: int):
        comment, standing = selectors.comment_for(request.user, comment_id)
        return Response(CommentSerializer(comment, context={"request": request, "standing": standing}).data)

    @extend_schema(
        request=CommentEditSerializer,
        responses={
            200: CommentSerializer,
            409: OpenApiResponse(description="A moderator hid this comment; it can no longer be edited."),
        },
    )
    def patch(self, request, comment_id: int):
        _comment, standing = selectors.comment_for(request.user, comment_id)
        data = validated(CommentEditSerializer, request.data)
        comment = services.comment_edit(comment_id=comment_id, by=request.user, **data)
        return Response(CommentSerializer(comment, context={"request": request, "standing": standing}).data)


class CommentHistoryView(GenericAPIView):
    """Earlier wordings of a comment; a hidden one's are for its author and the moderators."""

    serializer_class = CommentVersionSerializer

    @extend_schema(responses=CommentVersionSerializer(many=True))
    def get(self, request, comment_id: int):
        comment, standing = selectors.comment_for(request.user, comment_id)
        rules.check("comment_read_hidden", selectors.comment_subject(request.user, comment, standing))
        records = comment.history.select_related("history_user").order_by("history_id")
        page = self.paginate_queryset(records)
        return self.get_paginated_response(CommentVersionSerializer(page, many=True).data)


def _comment_moderation(service, *, reason_required: bool):
    class CommentModerationView(APIView):
        @extend_schema(request=ReasonSerializer, responses=CommentSerializer)
        def post(self, request, comment_id: int):
            _comment, standing = selectors.comment_for(request.user, comment_id)
            reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
            if reason_required and not str(reason).strip():
                raise InvalidInput(_("Give a reason; it stays on record."), field="reason")
            comment = service(comment_id=comment_id, by=request.user, reason=str(reason))
            return Response(CommentSerializer(comment, context={"request": request, "standing": standing}).data)

    return CommentModerationView


CommentHideView = _comment_moderation(services.comment_hide, reason_required=True)


CommentRestoreView = _comment_moderation(services.comment_restore, reason_required=False)
