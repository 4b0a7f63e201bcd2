from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_read, name="notifications-mark-read"),
    path("notifications/preferences/", views.preferences, name="notification-preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/", views.follow, name="follow"),
    path("mail/", views.sent_mail_list, name="sent-mail"),
    path("mail/<str:message_id>/", views.sent_mail_message, name="sent-mail-message"),
]
