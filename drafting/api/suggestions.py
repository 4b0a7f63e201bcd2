"""Suggesting on the words: an amendment computed from a span of a clause's text (issue 26)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from .amendments import AmendmentDetailSerializer
from .common import validated
from .speaking import speaking_as_field


class SuggestionCreateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The clause version the offsets are in (the version the caller read)."
    )
    start = serializers.IntegerField(
        min_value=0, help_text="Where the words start: a character offset in that version's `text` (its Markdown)."
    )
    end = serializers.IntegerField(min_value=0, help_text="Where the words end (exclusive).")
    quote = serializers.CharField(
        trim_whitespace=False, help_text="The words selected: exactly that version's `text[start:end]`."
    )
    replacement = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="What replaces the words; empty deletes them."
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    speaking_as = speaking_as_field()


class SpanSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version of the clause the amendment is against.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField(help_text="The words replaced, as they stand in that version.")


class SuggestionSerializer(AmendmentDetailSerializer):
    span = serializers.SerializerMethodField(
        help_text="Where the words replaced stand in the text amended (`base_text`): carried over from the "
        "version given when the clause has moved on since."
    )

    class Meta(AmendmentDetailSerializer.Meta):
        fields = [*AmendmentDetailSerializer.Meta.fields, "span"]
        read_only_fields = fields

    def get_span(self, amendment) -> SpanSerializer:
        return amendment.span


class ClauseSuggestionsView(APIView):
    @extend_schema(
        request=SuggestionCreateSerializer,
        responses={
            201: SuggestionSerializer,
            409: OpenApiResponse(
                description="The words changed since that version (`current_version` says which is current), "
                "no round is open, or the clause can no longer be amended."
            ),
        },
    )
    def post(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)
        data = validated(SuggestionCreateSerializer, request.data)
        amendment = services.amendment_suggest(clause_id=clause_id, by=request.user, **data)
        return Response(
            SuggestionSerializer(amendment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
