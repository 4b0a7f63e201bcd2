"""Notifications, email preferences and following (API.md "Notifications")."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import time_zone_set

from .. import services
from ..models import Notification, Subscription
from .serializers import (
    MarkReadSerializer,
    NotificationPageSerializer,
    NotificationSerializer,
    PreferencesSerializer,
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
        """Either or both of ``email`` and ``time_zone``; what is left out stays as it was."""
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, user = serializer.validated_data, request.user
        if "time_zone" in data:  # first: it is the one a service may still refuse
            user = time_zone_set(user=user, time_zone=data["time_zone"])
        if "email" in data:
            user = services.preferences_set(user=user, email=data["email"])
        return Response(_preferences(user))


def _preferences(user) -> dict:
    return {"email": user.email_preference, "time_zone": user.time_zone}


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
