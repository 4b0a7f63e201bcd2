"""A round's compilation of proposals as a file (API.md "Exports")."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from codeofconduct.responses import attachment

from .. import selectors
from ..documents import compilation_formats, synoptic


def compilation_file_responses(formats=compilation_formats.FORMATS) -> dict:
    """The 200 answers, one per content type the formats send (for the schema)."""
    responses = {}
    for content_type, _ in formats.values():
        media_type = content_type.split(";")[0]
        responses[(200, media_type)] = OpenApiTypes.OBJECT if media_type == "application/json" else OpenApiTypes.BINARY
    return responses


class RoundCompilationView(APIView):
    """Every clause of the draft with the amendments and new paragraphs proposed in the round, each
    attributed to the delegation that made it (only its stakeholder group under the Chatham House
    rule): the conference room paper a secretariat circulates before a reading."""

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, required=True, enum=list(compilation_formats.FORMATS)),
            OpenApiParameter(
                "Retry-After", int, OpenApiParameter.HEADER, response=[429], description="Seconds to wait"
            ),
        ],
        responses={
            **compilation_file_responses(),
            429: OpenApiResponse(description="Too many files asked for from this address without signing in."),
        },
    )
    def get(self, request, round_id: int):
        round_, _ = selectors.round_for(request.user, round_id)
        fmt = compilation_formats.format_choice(request.query_params)
        return attachment(*compilation_formats.compilation_for_reader(request, round_, fmt))


class RoundSynopticView(APIView):
    """The round's synoptic table: per paragraph, its text as put to the round, the proposals made on
    it with their proponents, how the round ended each and, once it closed, the paragraph in the
    revision its close published. A closed round's is made from its record as it stood at the close."""

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, required=True, enum=list(synoptic.FORMATS)),
            OpenApiParameter(
                "Retry-After", int, OpenApiParameter.HEADER, response=[429], description="Seconds to wait"
            ),
        ],
        responses={
            **compilation_file_responses(synoptic.FORMATS),
            429: OpenApiResponse(description="Too many files asked for from this address without signing in."),
        },
    )
    def get(self, request, round_id: int):
        round_, _ = selectors.round_for(request.user, round_id)
        fmt = compilation_formats.format_choice(request.query_params, form="synoptic")
        return attachment(*compilation_formats.compilation_for_reader(request, round_, fmt, form="synoptic"))
