from django.conf import settings
from rest_framework import serializers

from accounts.models import StakeholderGroup

from ..diff import word_diff
from ..models import (
    Amendment,
    AmendmentKind,
    Clause,
    ClauseStatus,
    Comment,
    CommentDisposition,
    Disposition,
    Draft,
    DraftMembership,
    Outcome,
    Role,
    Round,
    Section,
    Snapshot,
    SnapshotClause,
    Stance,
    Visibility,
    Vote,
    VoteChoice,
    VotingRule,
)


class ClauseSerializer(serializers.ModelSerializer):
    proposer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tally = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "draft",
            "section",
            "number",
            "title",
            "text",
            "text_html",
            "rationale",
            "status",
            "proposer",
            "round",
            "version",
            "tally",
            "my_vote",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_tally(self, clause) -> dict | None:
        """Yes / no / abstain in the current round, when the round lets this reader see them."""
        return _tally(self.context, ("clause", clause.id))

    def get_my_vote(self, clause) -> str | None:
        return self.context.get("my_votes", {}).get(("clause", clause.id))


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


class RoundSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "draft",
            "title",
            "phase",
            "voting_rule",
            "quorum",
            "eligible_groups",
            "hide_tallies_until_close",
            "chatham_house",
            "opens_at",
            "voting_opens_at",
            "closes_at",
            "opened_at",
            "voting_started_at",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    voting_rule = serializers.ChoiceField(choices=VotingRule.choices, default=VotingRule.SIMPLE_MAJORITY)
    quorum = serializers.IntegerField(min_value=0, default=0)
    eligible_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=StakeholderGroup.choices), required=False, allow_empty=False
    )
    hide_tallies_until_close = serializers.BooleanField(default=True)
    chatham_house = serializers.BooleanField(default=False)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    voting_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)


class TallySerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()


class AmendmentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organization = serializers.SlugRelatedField(slug_field="name", read_only=True)
    competes_with = serializers.SerializerMethodField()
    tally = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = [
            "id",
            "clause",
            "round",
            "kind",
            "text",
            "rationale",
            "base_version",
            "status",
            "author",
            "organization",
            "competes_with",
            "tally",
            "my_vote",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_competes_with(self, amendment) -> list[int]:
        return self.context.get("competing", {}).get(amendment.id, [])

    def get_tally(self, amendment) -> dict | None:
        return _tally(self.context, ("amendment", amendment.id))

    def get_my_vote(self, amendment) -> str | None:
        return self.context.get("my_votes", {}).get(("amendment", amendment.id))


class AmendmentDetailSerializer(AmendmentSerializer):
    diff = serializers.SerializerMethodField()

    class Meta(AmendmentSerializer.Meta):
        fields = [*AmendmentSerializer.Meta.fields, "base_text", "diff"]
        read_only_fields = fields

    def get_diff(self, amendment) -> DiffChangeSerializer(many=True):
        return word_diff(amendment.base_text, amendment.new_text)


class AmendmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AmendmentKind.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    body = serializers.SerializerMethodField()
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
        """A hidden comment's body is for its author and the moderators only."""
        if not comment.hidden:
            return comment.body
        user = self.context["request"].user
        if self.context.get("can_moderate") or comment.author_id == getattr(user, "id", None):
            return comment.body
        return None

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


class VoteSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class VoteResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = ["id", "round", "clause", "amendment", "choice", "stakeholder_group", "updated_at"]
        read_only_fields = fields


def _tally(context, key):
    if not context.get("tallies_visible"):
        return None
    return context.get("tallies", {}).get(key, {"yes": 0, "no": 0, "abstain": 0})


class ResultItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["clause", "amendment"])
    id = serializers.IntegerField()
    title = serializers.CharField()
    by = serializers.DictField(help_text="group; and name and organization unless under Chatham House rule")


class ResultSerializer(serializers.Serializer):
    item = ResultItemSerializer()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    effect = serializers.CharField(help_text="What closing did: agreed, merged, merged three-way, conflicted, ...")
    totals = TallySerializer()
    by_group = serializers.DictField(child=TallySerializer())


class DispositionSerializer(serializers.ModelSerializer):
    comment_body = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    author_group = serializers.SerializerMethodField()
    stance = serializers.CharField(source="comment.stance", read_only=True)
    on = serializers.SerializerMethodField()

    class Meta:
        model = CommentDisposition
        fields = ["comment", "round", "on", "stance", "comment_body", "author", "author_group", "disposition", "reason"]
        read_only_fields = fields

    def get_comment_body(self, record) -> str | None:
        return None if record.comment.hidden else record.comment.body

    def get_author(self, record) -> str | None:
        return None if record.round.chatham_house else record.comment.author.username

    def get_author_group(self, record) -> str | None:
        return self.context.get("groups", {}).get(record.comment.author_id)

    def get_on(self, record) -> dict:
        comment = record.comment
        if comment.clause_id:
            return {"type": "clause", "id": comment.clause_id}
        return {"type": "amendment", "id": comment.amendment_id}


class DispositionCreateSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class SnapshotSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Snapshot
        fields = ["id", "draft", "label", "round", "created_at"]
        read_only_fields = fields


class SnapshotClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SnapshotClause
        fields = [
            "clause",
            "section_title",
            "section_position",
            "number",
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
    title = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"])
    diff = DiffChangeSerializer(many=True, allow_null=True)
