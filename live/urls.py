from django.urls import path

from . import views

urlpatterns = [
    path("live/drafts/<slug:slug>/events/", views.draft_events, name="live-draft-events"),
]
