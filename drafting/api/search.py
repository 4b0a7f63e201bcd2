"""Search across everything a person may read (API.md "GET /api/v1/search/"; drafting/search/)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.models import StakeholderGroup
from codeofconduct.errors import NotFound

from .. import search


class HitDraftSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    document_symbol = serializers.CharField(help_text="Tells apart drafts with the same title.")


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(search.KINDS), help_text="What was found.")
    id = serializers.IntegerField(help_text="The clause, amendment or comment's id.")
    draft = HitDraftSerializer()
    clause = serializers.IntegerField(source="clause.pk", help_text="The clause it is, or is about.")
    ref = serializers.CharField(source="clause.ref", help_text="The clause as cited now: “OP3 bis”.")
    title = serializers.CharField(help_text="What the hit is, as the search page heads it.")
    title_html = serializers.CharField(
        help_text="HTML: the title escaped; in a clause's, the words that matched in <mark> (a clause is found by its title too)."
    )
    version = serializers.IntegerField(
        allow_null=True,
        help_text="Clauses: the version the words were found in; amendments: the version they were written against.",
    )
    current = serializers.BooleanField(help_text="False when only an earlier version of the clause says it.")
    snippet = serializers.CharField(help_text="HTML: the text around the match, escaped, matches in <mark>.")
    url = serializers.CharField(help_text="The page that shows it.")
    status = serializers.CharField(help_text="Its status (a comment: its stance).")
    reply = serializers.BooleanField(help_text="A reply to another comment.")
    hidden = serializers.BooleanField(help_text="A comment a moderator hid (found by moderators only).")
    round = serializers.IntegerField(source="round_id", allow_null=True)
    at = serializers.DateTimeField(help_text="When it was written (a clause: last changed; a version: recorded).")


class SearchView(GenericAPIView):
    serializer_class = HitSerializer

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description='Words (all must be found), "a phrase" in quotes, word* for words that begin so.',
            ),
            OpenApiParameter("draft", str, description="Only this draft (its slug)."),
            OpenApiParameter("kind", str, enum=list(search.KINDS), description="Only this kind of text."),
            OpenApiParameter(
                "group", str, enum=StakeholderGroup.values, description="Only what authors of this group wrote."
            ),
            OpenApiParameter("round", int, description="Only what was proposed or written in this round."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={
            200: inline_serializer(
                "SearchResults",
                {
                    "count": serializers.IntegerField(),
                    "counts": inline_serializer(
                        "SearchCounts", {kind: serializers.IntegerField(required=False) for kind in search.KINDS}
                    ),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": HitSerializer(many=True),
                },
            ),
            400: OpenApiResponse(description="No words to search for, or a filter that names nothing."),
            404: OpenApiResponse(description="A page past the last."),
        },
    )
    def get(self, request):
        wanted = search.search_request(request.user, request.query_params)
        paginator = self.paginator
        size = paginator.get_page_size(request)
        number = search.page_number(request.query_params.get(paginator.page_query_param))
        found = search.search(wanted, offset=(number - 1) * size, limit=size)
        base = request.build_absolute_uri(request.path)
        pages = max(1, -(-found.count // size))
        if number > pages:
            raise NotFound(
                _("No such page: the %(count)d hits fill %(pages)d.") % {"count": found.count, "pages": pages}
            )

        def link(page: int) -> str | None:
            if page < 1 or page > pages:
                return None
            return f"{base}?{wanted.params(page=str(page), page_size=str(size))}"

        return Response(
            {
                "count": found.count,
                "counts": found.counts,
                "next": link(number + 1),
                "previous": link(number - 1),
                "results": HitSerializer(found.hits, many=True).data,
            }
        )
