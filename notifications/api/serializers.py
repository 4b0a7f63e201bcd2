from rest_framework import serializers

from accounts.models import EmailPreference

from ..models import Notification, Subscription


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read"]
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationPageSerializer(serializers.Serializer):
    """A page of notifications, and how many of all of them are unread."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NotificationSerializer(many=True)
    unread = serializers.IntegerField()


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=1000)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if not data.get("all") and not data.get("ids"):
            raise serializers.ValidationError({"ids": ["Give the ids to mark read, or all: true."]})
        return data


class PreferencesSerializer(serializers.Serializer):
    email = serializers.ChoiceField(choices=EmailPreference.choices, required=False)
    time_zone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="An IANA time zone (“Europe/Zurich”) pages show times in; blank for UTC.",
    )

    def validate(self, data):
        if "email" not in data and "time_zone" not in data:
            raise serializers.ValidationError({"email": ["Give email, time_zone or both."]})
        return data


class SubscriptionSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Subscription
        fields = ["id", "draft", "clause", "created_at"]
        read_only_fields = fields


class SubscriptionCreateSerializer(serializers.Serializer):
    draft = serializers.SlugField(required=False, help_text="The draft's slug")
    clause = serializers.IntegerField(required=False)
