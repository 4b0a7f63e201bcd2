"""Drafts, their members and sections (API.md "Drafts")."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import NotFound
from codeofconduct.inputs import LARGEST_ID

from .. import selectors, services
from ..models import (
    Distribution,
    Draft,
    DraftMembership,
    Role,
    Section,
    SectionKind,
    Visibility,
)
from ..naming import Naming
from ..services.visits import record_visit
from .clauses import ClauseSerializer
from .common import validated
from .speaking import speaking_context


class SectionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=SectionKind.choices, read_only=True, help_text="preamble (PP paragraphs) or operative (OP)."
    )
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "position", "kind", "clauses"]


class SectionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)
    kind = serializers.ChoiceField(choices=SectionKind.choices, required=False, default=SectionKind.OPERATIVE)


class SectionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)
    kind = serializers.ChoiceField(
        choices=SectionKind.choices, required=False, help_text="Only while the section has no clauses (else 409)."
    )


class DraftListSerializer(serializers.ModelSerializer):
    document_symbol = serializers.CharField(
        read_only=True, help_text="The symbol documents carry: `symbol`, else one made up (“CCC/2026/L.7”)."
    )

    class Meta:
        model = Draft
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "visibility",
            "symbol",
            "document_symbol",
            "original_language",
            "distribution",
            "issuing_body",
            "chair",
            "titles_in_text",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DraftUpdateSerializer(serializers.Serializer):
    """What a moderator may change; the service checks each value (a symbol another draft has: 409)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=settings.MAX_TITLE * 2)
    summary = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    symbol = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="“CCC/2026/L.1”; blank: one is made up."
    )
    original_language = serializers.CharField(required=False, allow_blank=True, max_length=50)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    issuing_body = serializers.CharField(required=False, allow_blank=True, max_length=400)
    chair = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=400,
        help_text="How the record names the Chair, whose acts the moderators' are: blank for “the Chair”.",
    )
    titles_in_text = serializers.BooleanField(
        required=False,
        help_text="Circulated texts print paragraph titles only when true (UN style numbers them “1.”, “2.”).",
    )


class DraftCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=settings.MAX_TITLE * 2)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)


class DraftDetailSerializer(DraftListSerializer):
    sections = SectionSerializer(many=True, source="ordered_sections")
    your_role = serializers.CharField(source="standing")

    class Meta(DraftListSerializer.Meta):
        fields = [*DraftListSerializer.Meta.fields, "your_role", "sections"]
        read_only_fields = fields


class DraftMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = DraftMembership
        fields = ["user", "username", "role"]


class DraftMemberCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)


class DraftListView(GenericAPIView):
    serializer_class = DraftListSerializer

    def get_queryset(self):
        return selectors.drafts_visible_to(self.request.user)

    @extend_schema(operation_id="drafts_list", responses=DraftListSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DraftListSerializer(page, many=True).data)

    @extend_schema(request=DraftCreateSerializer, responses={201: DraftListSerializer})
    def post(self, request):
        data = validated(DraftCreateSerializer, request.data)
        draft = services.draft_create(**data, by=request.user)
        return Response(DraftListSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftDetailView(APIView):
    @extend_schema(responses=DraftDetailSerializer)
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug, with_visit=request.user.is_authenticated)
        # For "changes since your last visit" (changes/): a call within a minute of the last writes nothing.
        record_visit(request.user, draft, last_viewed_at=getattr(draft, "visit_last_viewed_at", None))
        return self._detail(request, draft, standing)

    @extend_schema(
        request=DraftUpdateSerializer,
        responses={
            200: DraftDetailSerializer,
            409: OpenApiResponse(description="Another draft already has this document symbol."),
        },
    )
    def patch(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        data = validated(DraftUpdateSerializer, request.data)
        draft = services.draft_update(draft=draft, by=request.user, **data)
        return self._detail(request, draft, standing)

    @staticmethod
    def _detail(request, draft, standing):
        draft = selectors.draft_with_text(draft)
        draft.standing = standing
        clauses = [clause for section in draft.ordered_sections for clause in section.clauses.all()]
        context = {"request": request, "naming": Naming(request.user, draft.pk, chair=draft.chair_name).rounds()}
        context |= speaking_context((clause.proposer_id, clause.created_at) for clause in clauses)
        return Response(DraftDetailSerializer(draft, context=context).data)


class DraftMembersView(GenericAPIView):
    serializer_class = DraftMemberSerializer

    @extend_schema(responses=DraftMemberSerializer(many=True))
    def get(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(selectors.draft_members(draft))
        return self.get_paginated_response(DraftMemberSerializer(page, many=True).data)

    @extend_schema(request=DraftMemberCreateSerializer, responses={201: DraftMemberSerializer})
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        data = validated(DraftMemberCreateSerializer, request.data)
        membership = services.draft_member_set(draft=draft, user_id=data["user"], role=data["role"], by=request.user)
        return Response(DraftMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class SectionCreateView(APIView):
    @extend_schema(request=SectionCreateSerializer, responses={201: SectionSerializer})
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        data = validated(SectionCreateSerializer, request.data)
        section = services.section_create(draft=draft, by=request.user, **data)
        return Response(_section_data(section), status=201)


class SectionDetailView(APIView):
    @extend_schema(
        request=SectionUpdateSerializer,
        responses={
            200: SectionSerializer,
            409: OpenApiResponse(description="The section has clauses, so its kind cannot change."),
        },
    )
    def patch(self, request, section_id: int):
        section = (
            Section.objects.select_related("draft").filter(pk=section_id).first() if section_id <= LARGEST_ID else None
        )
        if section is None:
            raise NotFound(_("No such section."))
        selectors.draft_for(request.user, section.draft.slug)  # 404 where the draft is not for this reader
        data = validated(SectionUpdateSerializer, request.data)
        section = services.section_update(section_id=section_id, by=request.user, **data)
        # The section as it now reads, its clauses included (as the draft shows them).
        clauses = list(section.clauses.order_by("number", "number_suffix"))
        context = {"request": request} | speaking_context((clause.proposer_id, clause.created_at) for clause in clauses)
        return Response(
            _section_data(section) | {"clauses": ClauseSerializer(clauses, many=True, context=context).data}
        )


def _section_data(section: Section) -> dict:
    """A section as SectionSerializer shows it, without its clauses (a new one has none)."""
    return {"id": section.id, "title": section.title, "position": section.position, "kind": section.kind, "clauses": []}
