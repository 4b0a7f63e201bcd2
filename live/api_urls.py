from django.urls import path

from .api import DraftEventsView

urlpatterns = [
    path("drafts/<slug:slug>/events/", DraftEventsView.as_view(), name="api-draft-events"),
]
