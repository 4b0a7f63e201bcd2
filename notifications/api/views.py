"""Notifications, email preferences and following (API.md "Notifications"); for administrators,
the mail an installation without SMTP kept (``notifications/sent_mail.py``)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.rules import check_read_sent_mail
from accounts.services import language_set, time_zone_set

from .. import sent_mail, services
from ..models import Notification, Subscription
from .serializers import (
    MarkReadSerializer,
    NotificationPageSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    SentMailPageSerializer,
    SentMailSerializer,
    SentMailSummarySerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
)


class NotificationListView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=NotificationPageSerializer,
    )
    def get(self, request):
        page = self.paginate_queryset(
            Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
        )
        response = self.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread"] = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        return response


class MarkReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MarkReadSerializer, responses=inline_serializer("Marked", {"marked": serializers.IntegerField()})
    )
    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        marked = services.notifications_mark_read(user=request.user, ids=data.get("ids"), everything=data["all"])
        return Response({"marked": marked})


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return Response(_preferences(request.user))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    @transaction.atomic
    def put(self, request):
        """Any of ``email``, ``time_zone`` and ``language``; what is left out stays as it was."""
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, user = serializer.validated_data, request.user
        if "time_zone" in data:  # first: these are the ones a service may still refuse
            user = time_zone_set(user=user, time_zone=data["time_zone"])
        if "language" in data:
            user = language_set(user=user, language=data["language"])
        if "email" in data:
            user = services.preferences_set(user=user, email=data["email"])
        return Response(_preferences(user))


def _preferences(user) -> dict:
    return {"email": user.email_preference, "time_zone": user.time_zone, "language": user.language}


class SubscriptionsView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = SubscriptionSerializer

    @extend_schema(responses=SubscriptionSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(Subscription.objects.filter(user=request.user).select_related("draft"))
        return self.get_paginated_response(SubscriptionSerializer(page, many=True).data)

    @extend_schema(
        request=SubscriptionCreateSerializer,
        responses={
            201: SubscriptionSerializer,
            404: OpenApiResponse(description="No such draft or clause, or not one the caller sees."),
        },
    )
    def post(self, request):
        serializer = SubscriptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription = services.subscription_create(
            user=request.user, draft_slug=data.get("draft"), clause_id=data.get("clause")
        )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, subscription_id: int):
        services.subscription_delete(user=request.user, subscription_id=subscription_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


ADMINISTRATORS_ONLY = "Only administrators read the mail the platform sent (or their second factor is not confirmed)."


class SentMailListView(GenericAPIView):
    """The kept mail, newest first (the page *Sent mail*); empty where mail goes by SMTP."""

    permission_classes = [IsAuthenticated]
    serializer_class = SentMailSummarySerializer

    @extend_schema(
        operation_id="mail_list",
        parameters=[
            OpenApiParameter("to", str, description="Only messages whose To or Cc holds this (any case)."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: SentMailPageSerializer, 403: OpenApiResponse(description=ADMINISTRATORS_ONLY)},
    )
    def get(self, request):
        check_read_sent_mail(request.user)
        page = self.paginate_queryset(sent_mail.message_ids(to=request.query_params.get("to", "")))
        response = self.get_paginated_response(SentMailSummarySerializer(sent_mail.summaries(page), many=True).data)
        response.data["kept"] = sent_mail.in_use()
        response.data["delivery"] = sent_mail.delivery()
        return response


class SentMailDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: SentMailSerializer,
            400: OpenApiResponse(description="The id is not a message id."),
            403: OpenApiResponse(description=ADMINISTRATORS_ONLY),
            404: OpenApiResponse(description="No such message is kept here."),
        }
    )
    def get(self, request, message_id: str):
        """One kept message, with its text and HTML parts as sent."""
        check_read_sent_mail(request.user)
        return Response(SentMailSerializer(sent_mail.message(message_id)).data)
