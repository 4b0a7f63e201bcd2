from django.urls import path

from . import pages, views

urlpatterns = [
    path("live/drafts/<slug:slug>/events/", views.draft_events, name="live-draft-events"),
    path("live/me/events/", views.person_events, name="live-person-events"),
    path("drafts/<slug:slug>/session/", pages.session_room, name="live-session"),
    path("drafts/<slug:slug>/session/screen/", pages.session_screen, name="live-session-screen"),
    path("drafts/<slug:slug>/session/open/", pages.session_open, name="live-session-open"),
    path("drafts/<slug:slug>/session/close/", pages.session_close, name="live-session-close"),
    path("drafts/<slug:slug>/session/follow/", pages.session_follow, name="live-session-follow"),
    path("drafts/<slug:slug>/session/settings/", pages.session_set, name="live-session-set"),
    path("drafts/<slug:slug>/session/floor/ask/", pages.floor_ask, name="live-floor-ask"),
    path("drafts/<slug:slug>/session/floor/withdraw/", pages.floor_withdraw, name="live-floor-withdraw"),
    path("drafts/<slug:slug>/session/floor/give/", pages.floor_give, name="live-floor-give"),
    path("drafts/<slug:slug>/session/floor/end/", pages.floor_end, name="live-floor-end"),
]
