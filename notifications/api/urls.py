from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/mark-read/", views.MarkReadView.as_view(), name="api-notifications-mark-read"),
    path("me/preferences/", views.PreferencesView.as_view(), name="api-preferences"),
    path("subscriptions/", views.SubscriptionsView.as_view(), name="api-subscriptions"),
    path("subscriptions/<int:subscription_id>/", views.SubscriptionDetailView.as_view(), name="api-subscription"),
    path("mail/", views.SentMailListView.as_view(), name="api-sent-mail"),
    path("mail/<str:message_id>/", views.SentMailDetailView.as_view(), name="api-sent-mail-message"),
]
