from django.conf import settings
from rest_framework import serializers

from ..models import Clause, ClauseStatus, Draft, DraftMembership, Role, Section, Visibility


class ClauseSerializer(serializers.ModelSerializer):
    proposer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Clause
        fields = [
            "id", "draft", "section", "number", "title", "text", "text_html", "rationale",
            "status", "proposer", "version", "created_at", "updated_at",
        ]
        read_only_fields = fields


class ClauseCreateSerializer(serializers.Serializer):
    section = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class ClauseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ClauseStatus.choices, required=False)
    section = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ClauseRevertSerializer(serializers.Serializer):
    to_version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=1000)


class ClauseVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    changed_by = serializers.SerializerMethodField()
    changed_at = serializers.DateTimeField(source="history_date")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)

    def get_changed_by(self, record) -> str | None:
        return record.history_user.username if record.history_user else None


class DiffChangeSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


# Built with type() because one of the contract's field names, "from", is a Python keyword.
DiffSerializer = type(
    "DiffSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.IntegerField(),
        "to": serializers.IntegerField(),
        "changes": DiffChangeSerializer(many=True),
    },
)


class SectionSerializer(serializers.ModelSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "position", "clauses"]


class SectionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0)


class DraftListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draft
        fields = ["id", "slug", "title", "summary", "visibility", "created_at", "updated_at"]
        read_only_fields = fields


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
