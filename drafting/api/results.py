"""What a round decided: results, dispositions of comments and the consultation report."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput
from codeofconduct.responses import attachment

from .. import rules, selectors, services
from ..models import (
    CommentDisposition,
    Disposition,
    Outcome,
)
from ..naming import Named
from .common import validated
from .speaking import SpeakingForSerializer, named_as_published, speaking_context


class TallySerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()


class ResultItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["clause", "amendment"])
    id = serializers.IntegerField()
    title = serializers.CharField(
        help_text='"Clause OP11, now OP10: Title" or "Amendment 12 to clause OP11": the paragraph as the '
        "ballot cited it, with its number now where a revision has renumbered it since."
    )
    cited_as = serializers.CharField(help_text='The paragraph as the ballot cited it ("OP11").')
    ref = serializers.CharField(help_text='The paragraph as numbered now ("OP10").')
    by = serializers.DictField(help_text="group; and name and organization unless under Chatham House rule")
    who = serializers.CharField(
        help_text='Who proposed it, as every page and file says it: "ana (Brazil, Government)"; '
        '"a participant (Government)" under the Chatham House rule.'
    )
    speaking_for = SpeakingForSerializer(
        help_text="What the proposer or author spoke for then; the group only under the Chatham House rule."
    )
    cosponsored_by = serializers.CharField(
        help_text='Its co-sponsors as "Proposed by …, co-sponsored by …" ends: "Kenya (Government)"; '
        '"2 delegations (Government, Civil society)" under the Chatham House rule; empty when none.'
    )
    cosponsors = SpeakingForSerializer(many=True, help_text="The co-sponsoring delegations, oldest first.")


class ResultSerializer(serializers.Serializer):
    item = ResultItemSerializer()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(
        help_text="Why the outcome is what it is, under the round's rule: "
        '"Government 0-1; the multistakeholder rule needs a majority in every group that voted."'
    )
    effect = serializers.CharField(help_text="What closing did: agreed, merged, merged three-way, conflicted, ...")
    totals = TallySerializer()
    by_group = serializers.DictField(child=TallySerializer())


class DispositionSerializer(serializers.ModelSerializer):
    comment_body = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    author_group = serializers.SerializerMethodField()
    speaking_for = serializers.SerializerMethodField(
        help_text="What the author spoke for when commenting; the group only under the Chatham House rule."
    )
    stance = serializers.CharField(source="comment.stance", read_only=True)
    on = serializers.SerializerMethodField()

    class Meta:
        model = CommentDisposition
        fields = [
            "comment",
            "round",
            "on",
            "stance",
            "comment_body",
            "author",
            "author_group",
            "speaking_for",
            "disposition",
            "reason",
        ]
        read_only_fields = fields

    def get_comment_body(self, record) -> str | None:
        return selectors.comment_body_published(record.comment)

    def _named(self, record) -> Named:
        comment = record.comment
        return named_as_published(
            self.context,
            record.round,
            comment.author_id,
            comment.author.username,
            comment.created_at,
            as_chair=comment.as_chair,
        )

    def get_author(self, record) -> str | None:
        return self._named(record).name

    def get_author_group(self, record) -> str | None:
        return self.get_speaking_for(record)["stakeholder_group"]

    def get_speaking_for(self, record) -> SpeakingForSerializer:
        return self._named(record).data()

    def get_on(self, record) -> dict:
        comment = record.comment
        if comment.clause_id:
            return {"type": "clause", "id": comment.clause_id}
        return {"type": "amendment", "id": comment.amendment_id}


class DispositionCreateSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RoundResultsView(APIView):
    @extend_schema(
        responses={
            200: ResultSerializer(many=True),
            409: OpenApiResponse(description="This round hides its tallies until it closes."),
        }
    )
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        rows, final = selectors.round_results(round_, standing_=standing)
        return Response(rows, headers={"X-Results-Final": "true" if final else "false"})


class RoundDispositionsView(GenericAPIView):
    serializer_class = DispositionSerializer

    @extend_schema(
        responses={
            200: DispositionSerializer(many=True),
            409: OpenApiResponse(description="Dispositions are published at the close (moderators see them before)."),
        }
    )
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        rules.check("dispositions_see", selectors.round_subject(round_, standing))
        page = self.paginate_queryset(selectors.round_dispositions(round_))
        context = speaking_context((r.comment.author_id, r.comment.created_at) for r in page)
        return self.get_paginated_response(DispositionSerializer(page, many=True, context=context).data)


class CommentDispositionView(APIView):
    @extend_schema(
        request=DispositionCreateSerializer,
        responses={
            200: DispositionSerializer,
            409: OpenApiResponse(description="The draft has no consultation round yet."),
        },
    )
    def post(self, request, comment_id: int):
        selectors.comment_for(request.user, comment_id)
        data = validated(DispositionCreateSerializer, request.data)
        record = services.comment_dispose(comment_id=comment_id, by=request.user, **data)
        context = speaking_context([(record.comment.author_id, record.comment.created_at)])
        return Response(DispositionSerializer(record, context=context).data)


class RoundReportView(APIView):
    """The consultation report of a closed round: ?format=csv or json."""

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "json"])],
        responses={
            (200, "text/csv"): bytes,
            (200, "application/json"): dict,
            409: OpenApiResponse(description="The report is published when the round closes."),
        },
    )
    def get(self, request, round_id: int):
        from ..documents import report

        round_, standing = selectors.round_for(request.user, round_id)
        fmt = request.query_params.get("format", "json")
        if fmt not in ("csv", "json"):
            raise InvalidInput(_("Choose a format: csv or json."), field="format")
        rules.check("report_see", selectors.round_subject(round_, standing))
        content = report.build(round_)
        body, content_type = (
            (report.to_csv(content), "text/csv; charset=utf-8")
            if fmt == "csv"
            else (report.to_json(content), "application/json")
        )
        return attachment(body, content_type, report.filename(round_, fmt))
