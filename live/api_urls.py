from django.urls import path

from . import api_room
from .api import DraftEventsView, PersonEventsView

urlpatterns = [
    path("me/events/", PersonEventsView.as_view(), name="api-person-events"),
    path("drafts/<slug:slug>/events/", DraftEventsView.as_view(), name="api-draft-events"),
    path("drafts/<slug:slug>/session/", api_room.SessionView.as_view(), name="api-session"),
    path("drafts/<slug:slug>/session/close/", api_room.SessionCloseView.as_view(), name="api-session-close"),
    path("drafts/<slug:slug>/session/speakers/", api_room.SpeakersView.as_view(), name="api-speakers"),
    path("drafts/<slug:slug>/session/speakers/mine/", api_room.MySpeakerView.as_view(), name="api-speaker-mine"),
    path("drafts/<slug:slug>/session/speakers/next/", api_room.FloorGiveView.as_view(), name="api-floor-next"),
    path(
        "drafts/<slug:slug>/session/speakers/<int:speaker_id>/floor/",
        api_room.FloorGiveView.as_view(),
        name="api-floor-give",
    ),
    path("drafts/<slug:slug>/session/speakers/end/", api_room.FloorEndView.as_view(), name="api-floor-end"),
]
