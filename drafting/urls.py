from django.urls import path

from . import views
from .views import notifications as notification_views

urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/new/", views.draft_create, name="draft-create"),
    path("drafts/import/", views.draft_import, name="draft-import"),
    path("drafts/<slug:slug>/", views.draft_detail, name="draft-detail"),
    path("drafts/<slug:slug>/manage/", views.draft_manage, name="draft-manage"),
    path("drafts/<slug:slug>/propose/", views.propose, name="clause-propose"),
    path("drafts/<slug:slug>/rounds/", views.rounds, name="draft-rounds"),
    path("drafts/<slug:slug>/snapshots/", views.snapshots, name="draft-snapshots"),
    path("drafts/<slug:slug>/compare/", views.compare, name="draft-compare"),
    path("drafts/<slug:slug>/export/", views.draft_export, name="draft-export"),
    path("exports/<int:job_id>/", views.export_job, name="export-job"),
    path("snapshots/<int:snapshot_id>/", views.snapshot_detail, name="snapshot-detail"),
    path("rounds/<int:round_id>/results/", views.results, name="round-results"),
    path("rounds/<int:round_id>/console/", views.console, name="round-console"),
    path("rounds/<int:round_id>/<str:move>/", views.round_move, name="round-move"),
    path("clauses/<int:clause_id>/", views.clause_detail, name="clause-detail"),
    path("clauses/<int:clause_id>/edit/", views.clause_edit, name="clause-edit"),
    path("clauses/<int:clause_id>/revert/", views.clause_revert, name="clause-revert"),
    path("clauses/<int:clause_id>/amend/", views.amend, name="clause-amend"),
    path("amendments/<int:amendment_id>/", views.amendment_detail, name="amendment-detail"),
    path("amendments/<int:amendment_id>/withdraw/", views.amendment_withdraw, name="amendment-withdraw"),
    path("comments/new/", views.comment_post, name="comment-post"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/hide/", views.comment_hide, name="comment-hide"),
    path("comments/<int:comment_id>/restore/", views.comment_restore, name="comment-restore"),
    path("comments/<int:comment_id>/disposition/", views.comment_disposition, name="comment-disposition"),
    path("votes/<str:kind>/<int:item_id>/", views.vote, name="vote"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications-mark-read"),
    path("notifications/preferences/", notification_views.preferences, name="notification-preferences"),
    path("notifications/unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    path("follow/", notification_views.follow, name="follow"),
]
