"""Factories for events, notifications and follows."""

import factory

from notifications.models import Event, Notification, Subscription
from tests.accounts.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = "comment_posted"
    message = factory.Sequence(lambda n: f"Something happened ({n}).")
    url = "/"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = factory.SubFactory(EventFactory)
    kind = factory.LazyAttribute(lambda o: o.event.kind)
    message = factory.LazyAttribute(lambda o: o.event.message)
    url = "/"
    email_status = "sent"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
