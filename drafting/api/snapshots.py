"""Snapshots (Rev.N) and comparing two of them (API.md "Snapshots")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import NotFound

from .. import selectors, services
from ..models import (
    Snapshot,
    SnapshotClause,
)
from .clauses import DiffChangeSerializer
from .common import required_id, validated


class SnapshotSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    revision = serializers.IntegerField(read_only=True, help_text="N of Rev.N: the draft's snapshots in order, from 1.")
    rev = serializers.CharField(read_only=True, help_text="As documents cite it: “Rev.2”.")

    class Meta:
        model = Snapshot
        fields = ["id", "draft", "label", "revision", "rev", "round", "created_at"]
        read_only_fields = fields


class SnapshotClauseSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The number as cited in this snapshot.")
    ref = serializers.CharField(read_only=True, help_text="The paragraph as cited in this snapshot: “PP2”, “OP16 bis”.")
    previous_label = serializers.CharField(
        read_only=True,
        help_text="The number the clause had in the working text when this snapshot was taken, where the snapshot "
        "numbers it otherwise; blank if the same.",
    )

    class Meta:
        model = SnapshotClause
        fields = [
            "clause",
            "section_title",
            "section_position",
            "section_kind",
            "number",
            "number_suffix",
            "label",
            "ref",
            "previous_label",
            "title",
            "text",
            "text_html",
            "status",
            "version",
        ]
        read_only_fields = fields


class SnapshotDetailSerializer(SnapshotSerializer):
    clauses = SnapshotClauseSerializer(many=True, read_only=True)

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "clauses"]
        read_only_fields = fields


class SnapshotCreateSerializer(serializers.Serializer):
    label = serializers.CharField(allow_blank=True, max_length=200)


class CompareRowSerializer(serializers.Serializer):
    clause = serializers.IntegerField()
    number = serializers.IntegerField()
    number_suffix = serializers.IntegerField(
        help_text="0 for a plain number; else 100 × the Latin word (1 bis, 2 ter, ...) plus a letter (1 A, 2 B, ...)."
    )
    label = serializers.CharField(help_text="The number as cited: “17”, “16 bis”.")
    previous_label = serializers.CharField(help_text="The number in the older snapshot if it changed, else blank.")
    ref = serializers.CharField(help_text="The paragraph as cited in UN style: “OP17”, “PP2”.")
    previous_ref = serializers.CharField(
        help_text="The paragraph as cited in the older snapshot if it changed, else blank."
    )
    title = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"])
    diff = DiffChangeSerializer(many=True, allow_null=True)
    from_status = serializers.CharField(required=False, help_text="Only for a changed clause")
    to_status = serializers.CharField(required=False, help_text="Only for a changed clause")


# Built with type(): "from" is a Python keyword (as in clauses.DiffSerializer).
CompareSerializer = type(
    "CompareSerializer",
    (serializers.Serializer,),
    {
        "from": SnapshotSerializer(),
        "to": SnapshotSerializer(),
        "clauses": CompareRowSerializer(many=True),
    },
)


class DraftSnapshotsView(GenericAPIView):
    serializer_class = SnapshotSerializer

    @extend_schema(responses=SnapshotSerializer(many=True))
    def get(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(draft.snapshots.select_related("draft").order_by("created_at", "id"))
        return self.get_paginated_response(SnapshotSerializer(page, many=True).data)

    @extend_schema(request=SnapshotCreateSerializer, responses={201: SnapshotDetailSerializer})
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        data = validated(SnapshotCreateSerializer, request.data)
        snapshot = services.snapshot_create(draft=draft, label=data["label"], by=request.user)
        return Response(SnapshotDetailSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class SnapshotDetailView(APIView):
    @extend_schema(responses=SnapshotDetailSerializer)
    def get(self, request, snapshot_id: int):
        snapshot, _standing = selectors.snapshot_for(request.user, snapshot_id)
        snapshot = type(snapshot).objects.prefetch_related("clauses").select_related("draft").get(pk=snapshot.pk)
        return Response(SnapshotDetailSerializer(snapshot).data)


class CompareView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=CompareSerializer,
    )
    def get(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        snapshots = []
        for name in ("from", "to"):
            snapshot_id = required_id(request, name, message=_("Give a snapshot id."))
            snapshot = draft.snapshots.filter(pk=snapshot_id).first()
            if snapshot is None:
                raise NotFound(_("This draft has no snapshot %(id)d.") % {"id": snapshot_id})
            snapshots.append(snapshot)
        return Response(
            {
                "from": SnapshotSerializer(snapshots[0]).data,
                "to": SnapshotSerializer(snapshots[1]).data,
                "clauses": selectors.compare_snapshots(*snapshots),
            }
        )
