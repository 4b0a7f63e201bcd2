from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput

from .. import selectors, services
from ..diff import word_diff
from .serializers import (
    ClauseCreateSerializer,
    ClauseRevertSerializer,
    ClauseSerializer,
    ClauseUpdateSerializer,
    ClauseVersionSerializer,
    DiffSerializer,
    DraftCreateSerializer,
    DraftDetailSerializer,
    DraftListSerializer,
    DraftMemberCreateSerializer,
    DraftMemberSerializer,
    SectionCreateSerializer,
    SectionSerializer,
)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DraftListView(GenericAPIView):
    serializer_class = DraftListSerializer

    def get_queryset(self):
        return selectors.drafts_visible_to(self.request.user)

    @extend_schema(operation_id="drafts_list")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DraftListSerializer(page, many=True).data)

    @extend_schema(request=DraftCreateSerializer, responses={201: DraftListSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = _validated(DraftCreateSerializer, request.data)
        draft = services.draft_create(**data, by=request.user)
        return Response(DraftListSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftDetailView(APIView):
    @extend_schema(responses=DraftDetailSerializer)
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        draft = selectors.draft_with_text(draft)
        draft.standing = standing
        return Response(DraftDetailSerializer(draft).data)


class DraftMembersView(GenericAPIView):
    serializer_class = DraftMemberSerializer

    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(selectors.draft_members(draft))
        return self.get_paginated_response(DraftMemberSerializer(page, many=True).data)

    @extend_schema(request=DraftMemberCreateSerializer, responses={201: DraftMemberSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(DraftMemberCreateSerializer, request.data)
        membership = services.draft_member_set(draft=draft, user_id=data["user"], role=data["role"], by=request.user)
        return Response(DraftMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class SectionCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=SectionCreateSerializer, responses={201: SectionSerializer})
    def post(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(SectionCreateSerializer, request.data)
        section = services.section_create(draft=draft, by=request.user, **data)
        return Response({"id": section.id, "title": section.title, "position": section.position, "clauses": []}, status=201)


class DraftClausesView(GenericAPIView):
    serializer_class = ClauseSerializer

    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        clauses = draft.clauses.select_related("proposer", "draft").order_by("number")
        page = self.paginate_queryset(clauses)
        return self.get_paginated_response(ClauseSerializer(page, many=True).data)

    @extend_schema(request=ClauseCreateSerializer, responses={201: ClauseSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(ClauseCreateSerializer, request.data)
        clause = services.clause_create(
            draft=draft, section_id=data["section"], title=data["title"], text=data["text"],
            rationale=data["rationale"], by=request.user,
        )
        return Response(ClauseSerializer(clause).data, status=status.HTTP_201_CREATED)


class ClauseDetailView(APIView):
    @extend_schema(responses=ClauseSerializer)
    def get(self, request, clause_id: int):
        clause, _ = selectors.clause_for(request.user, clause_id)
        return Response(ClauseSerializer(clause).data)

    @extend_schema(request=ClauseUpdateSerializer, responses={200: ClauseSerializer})
    def patch(self, request, clause_id: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        selectors.clause_for(request.user, clause_id)  # 404 before field errors for what they can't see
        data = _validated(ClauseUpdateSerializer, request.data)
        clause = services.clause_update(
            clause_id=clause_id,
            version=data["version"],
            by=request.user,
            title=data.get("title"),
            text=data.get("text"),
            status=data.get("status"),
            section_id=data.get("section"),
            reason=data["reason"],
        )
        return Response(ClauseSerializer(clause).data)


class ClauseHistoryView(GenericAPIView):
    serializer_class = ClauseVersionSerializer

    def get(self, request, clause_id: int):
        clause, _ = selectors.clause_for(request.user, clause_id)
        page = self.paginate_queryset(selectors.clause_history(clause))
        return self.get_paginated_response(ClauseVersionSerializer(page, many=True).data)


class ClauseDiffView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=DiffSerializer,
    )
    def get(self, request, clause_id: int):
        clause, _ = selectors.clause_for(request.user, clause_id)
        versions = {}
        for name in ("from", "to"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit():
                raise InvalidInput("Give a version number.", field=name)
            versions[name] = int(raw)
        old = selectors.clause_version(clause, versions["from"])
        new = selectors.clause_version(clause, versions["to"])
        return Response({"from": old.version, "to": new.version, "changes": word_diff(old.text, new.text)})


class ClauseRevertView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ClauseRevertSerializer, responses={200: ClauseSerializer})
    def post(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)
        data = _validated(ClauseRevertSerializer, request.data)
        clause = services.clause_revert(clause_id=clause_id, by=request.user, **data)
        return Response(ClauseSerializer(clause).data)
