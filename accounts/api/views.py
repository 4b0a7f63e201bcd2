from django.contrib.auth import authenticate
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput
from codeofconduct.limits import SIGNUP_BY_ADDRESS, client_address

from .. import services, twofactor
from ..models import Membership, Organization, User
from .serializers import MeSerializer, OrganizationSerializer, RegisterSerializer, TokenRequestSerializer


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=RegisterSerializer,
        responses={
            201: OpenApiResponse(
                inline_serializer(
                    "Registered", {"id": serializers.IntegerField(), "username": serializers.CharField()}
                ),
                description="The same answer whether or not the address already has an account: a link to "
                "confirm it (or, if it has one, a word to its owner) goes to the address.",
            ),
            429: OpenApiResponse(description="Too many sign-ups from this address."),
        },
    )
    def post(self, request):
        SIGNUP_BY_ADDRESS.take(client_address(request))
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_register(
            username=data["username"], email=data["email"], password=data["password"], **data["organization"]
        )
        return Response({"id": user.id, "username": user.username}, status=status.HTTP_201_CREATED)


class EmailConfirmView(APIView):
    """Confirm a sign-up's address with the token from the emailed link; the account can then sign in."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=inline_serializer("EmailConfirm", {"token": serializers.CharField()}),
        responses={
            200: inline_serializer("Confirmed", {"id": serializers.IntegerField(), "username": serializers.CharField()})
        },
    )
    def post(self, request):
        token = request.data.get("token")
        if not isinstance(token, str) or not token:
            raise InvalidInput("Give the token from the emailed link.", field="token")
        user = services.email_confirm(token=token)
        return Response({"id": user.id, "username": user.username})


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # the log-in limits are the authentication backend's (accounts/backends.py)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                description="Wrong user name or password, a field missing, or (administrators and moderators) "
                "a missing or wrong second-factor code in `otp`."
            ),
            403: OpenApiResponse(description="An administrator or moderator who has not set up two-factor yet."),
            429: OpenApiResponse(description="Too many failed log-ins from this address or for this account."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            return Response({"detail": "Wrong user name or password."}, status=status.HTTP_400_BAD_REQUEST)
        twofactor.token_second_factor(user=user, code=data.get("otp"))
        return Response({"token": services.token_for(user=user)})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        memberships = Prefetch("memberships", queryset=Membership.objects.select_related("organization"))
        user = User.objects.prefetch_related(memberships).get(pk=request.user.pk)
        return Response(MeSerializer(user).data)


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated]
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.all()
    filterset_fields = ["stakeholder_group", "country"]

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(**serializer.validated_data, by=self.request.user)


class VerifyMembershipView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "Verified",
                {
                    "organization": serializers.IntegerField(),
                    "user": serializers.IntegerField(),
                    "status": serializers.ChoiceField(choices=Membership.Status.choices),
                },
            )
        },
    )
    def post(self, request, organization_id: int, user_id: int):
        membership = services.membership_verify(organization_id=organization_id, user_id=user_id, by=request.user)
        return Response({"organization": organization_id, "user": user_id, "status": membership.status})
