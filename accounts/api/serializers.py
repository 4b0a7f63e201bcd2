from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..countries import COUNTRY_CODES
from ..models import Membership, Organization, StakeholderGroup, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "stakeholder_group", "country"]


class NewOrganizationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    stakeholder_group = serializers.ChoiceField(choices=StakeholderGroup.choices)
    country = serializers.CharField(max_length=2, min_length=2)

    def validate_country(self, value):
        value = value.upper()
        if value not in COUNTRY_CODES:
            raise serializers.ValidationError(f"{value} is not an ISO 3166-1 alpha-2 country code (e.g. FR, KE, BR).")
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
            raise serializers.ValidationError("Give an organization id or a new organization.")
        try:
            return {"organization_id": int(data)}
        except (TypeError, ValueError):
            raise serializers.ValidationError("Give an organization id or a new organization.") from None

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


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Administrators and moderators: the code from their authenticator app, or a recovery code.",
    )
