from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/new/", views.draft_create, name="draft-create"),
    path("drafts/<slug:slug>/", views.draft_detail, name="draft-detail"),
    path("drafts/<slug:slug>/manage/", views.draft_manage, name="draft-manage"),
    path("clauses/<int:clause_id>/", views.clause_detail, name="clause-detail"),
    path("clauses/<int:clause_id>/edit/", views.clause_edit, name="clause-edit"),
    path("clauses/<int:clause_id>/revert/", views.clause_revert, name="clause-revert"),
]
