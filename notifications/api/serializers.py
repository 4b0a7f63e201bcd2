from django.utils.translation import gettext as _
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
            raise serializers.ValidationError({"ids": [_("Give the ids to mark read, or all: true.")]})
        return data


class PreferencesSerializer(serializers.Serializer):
    email = serializers.ChoiceField(choices=EmailPreference.choices, required=False)
    time_zone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="An IANA time zone (“Europe/Zurich”) pages show times in; blank for UTC.",
    )

    language = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        help_text="The interface language (ar, zh-hans, en, fr, ru, es) of pages, emails and "
        "notifications; blank follows the browser.",
    )

    def validate(self, data):
        if not {"email", "time_zone", "language"} & set(data):
            raise serializers.ValidationError({"email": ["Give email, time_zone, language or any of them."]})
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


class SentMailSummarySerializer(serializers.Serializer):
    """A kept message as the list shows it (``notifications/sent_mail.py``)."""

    id = serializers.CharField(help_text="The message's id, e.g. 20261207-093000-123456-0a1b2c3d.")
    date = serializers.DateTimeField(allow_null=True)
    sender = serializers.CharField(help_text="The From header.")
    to = serializers.ListField(child=serializers.CharField())
    subject = serializers.CharField()


class SentMailPageSerializer(serializers.Serializer):
    """A page of the kept mail, newest first, and where this installation's mail goes."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SentMailSummarySerializer(many=True)
    kept = serializers.BooleanField(help_text="Whether mail is kept here at all (false where it goes by SMTP).")
    delivery = serializers.CharField(help_text="Where mail goes, in a sentence.")


class SentMailHeaderSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField()


class SentMailSerializer(SentMailSummarySerializer):
    """One kept message: its headers, its text part and its HTML part ("" when it has none)."""

    cc = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_blank=True, help_text="As sent: render it only where no script can run.")
    headers = SentMailHeaderSerializer(many=True, help_text="Every header, in the order sent.")
