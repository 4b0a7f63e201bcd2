from django.contrib.auth import authenticate, logout
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput
from codeofconduct.limits import SIGNUP_BY_ADDRESS, client_address

from .. import services, tokens, twofactor
from ..models import ApiToken, Membership, Organization, User
from .serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    MeSerializer,
    OrganizationSerializer,
    RegisterSerializer,
    TokenOptionsSerializer,
    TokenRequestSerializer,
)


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
    """Confirm a sign-up's address with the token from the emailed link, once; the account can then
    sign in with its password."""

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
            raise InvalidInput(_("Give the token from the emailed link."), field="token")
        user = services.email_confirm(token=token)
        return Response({"id": user.id, "username": user.username})


def _issued(token: ApiToken, key: str) -> dict:
    token.token = key
    return IssuedTokenSerializer(token).data


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # the log-in limits are the authentication backend's (accounts/backends.py)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: OpenApiResponse(
                IssuedTokenSerializer,
                description="A new token, its key shown this once (only its hash is kept). It lasts `days` "
                "(default 30; an administrator's or moderator's a day), ends when the password changes, and is "
                "revoked at `DELETE /api/v1/auth/tokens/{id}/`.",
            ),
            400: OpenApiResponse(
                description="Wrong user name or password, a field missing, or (administrators and moderators) "
                "a missing or wrong second-factor code in `otp`."
            ),
            403: OpenApiResponse(description="An administrator or moderator who has not set up two-factor yet."),
            409: OpenApiResponse(description="The person holds the most live tokens one may; revoke one first."),
            429: OpenApiResponse(description="Too many failed log-ins from this address or for this account."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            return Response({"detail": _("Wrong user name or password.")}, status=status.HTTP_400_BAD_REQUEST)
        confirmed_at = twofactor.token_second_factor(user=user, code=data.get("otp"))
        token, key = tokens.token_issue(
            user=user, name=data.get("name", ""), days=data.get("days"), second_factor_at=confirmed_at
        )
        return Response(_issued(token, key))


class TokensView(APIView):
    """The caller's own API tokens: list them, or make another while signed in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        return Response(ApiTokenSerializer(tokens.tokens_of(request.user), many=True).data)

    @extend_schema(
        request=TokenOptionsSerializer,
        responses={
            201: IssuedTokenSerializer,
            409: OpenApiResponse(description="The person holds the most live tokens one may; revoke one first."),
        },
    )
    def post(self, request):
        serializer = TokenOptionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = tokens.token_issue(
            user=request.user,
            name=data.get("name", ""),
            days=data.get("days"),
            second_factor_at=_confirmed_at(request),
        )
        return Response(_issued(token, key), status=status.HTTP_201_CREATED)


def _confirmed_at(request):
    """When the credential of this request had its second factor confirmed: a new token made with it
    carries the same moment, never a later one."""
    if isinstance(request.auth, ApiToken):
        return request.auth.second_factor_at
    return twofactor.session_confirmed_at(request)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 404: OpenApiResponse(description="No such token of yours.")})
    def delete(self, request, token_id: int):
        tokens.token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    """Sign out: the token this request carries is revoked; a session ends, with the tokens made to
    end with it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.token_revoke(user=request.user, token_id=request.auth.pk)
        else:
            logout(request)  # the tokens made to end with the session end with it
        return Response(status=status.HTTP_204_NO_CONTENT)


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
