from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..countries import COUNTRY_CODES
from ..models import ApiToken, Membership, Organization, StakeholderGroup, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "stakeholder_group", "country"]
        # A name already here is the service's to refuse, naming the organization it reads as.
        extra_kwargs = {"name": {"validators": []}}


class NewOrganizationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    stakeholder_group = serializers.ChoiceField(choices=StakeholderGroup.choices)
    country = serializers.CharField(max_length=2, min_length=2)

    def validate_country(self, value):
        value = value.upper()
        if value not in COUNTRY_CODES:
            raise serializers.ValidationError(
                _("%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. FR, KE, BR).") % {"value": value}
            )
        return value


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "The id of an existing organization."},
            {
                "type": "object",
                "description": "A new organization; the person's membership of it starts pending.",
                "required": ["name", "stakeholder_group", "country"],
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "stakeholder_group": {"enum": list(StakeholderGroup.values)},
                    "country": {"type": "string", "description": "ISO 3166-1 alpha-2", "pattern": "^[A-Za-z]{2}$"},
                },
            },
        ]
    }
)
class OrganizationField(serializers.Field):
    """Either the id of an existing organization or ``{name, stakeholder_group, country}``."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            serializer = NewOrganizationSerializer(data=data)
            serializer.is_valid(raise_exception=True)
            return {"new_organization": dict(serializer.validated_data)}
        if isinstance(data, bool):
            raise serializers.ValidationError(_("Give an organization id or a new organization."))
        try:
            return {"organization_id": int(data)}
        except (TypeError, ValueError):
            raise serializers.ValidationError(_("Give an organization id or a new organization.")) from None

    def to_representation(self, value):
        return value


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    organization = OrganizationField()


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer()

    class Meta:
        model = Membership
        fields = ["organization", "status"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "memberships"]


class TokenOptionsSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="What the token is for, to tell it apart."
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=36500,
        help_text="How long it lasts (default 30, at most 365; an administrator's or moderator's lasts a day).",
    )


class TokenRequestSerializer(TokenOptionsSerializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Administrators and moderators: the code from their authenticator app, or a recovery code.",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it in the list: never its key, which only its hash is kept of."""

    created_at = serializers.DateTimeField(source="created")
    expires_at = serializers.DateTimeField(source="expiry", allow_null=True)
    second_factor = serializers.SerializerMethodField()
    ends_at_sign_out = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created_at", "expires_at", "second_factor", "ends_at_sign_out"]

    def get_second_factor(self, token) -> bool:
        return token.second_factor_at is not None

    def get_ends_at_sign_out(self, token) -> bool:
        return bool(token.session_key)


class IssuedTokenSerializer(ApiTokenSerializer):
    """A new token: its key, shown this once."""

    token = serializers.CharField()

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
