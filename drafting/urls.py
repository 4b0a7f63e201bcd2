from django.urls import path

from .views import amendments, clauses, comments, drafts, exports, results, rounds, snapshots, votes

urlpatterns = [
    path("", drafts.home, name="home"),
    path("drafts/new/", drafts.draft_create, name="draft-create"),
    path("drafts/import/", exports.draft_import, name="draft-import"),
    path("drafts/<slug:slug>/", drafts.draft_detail, name="draft-detail"),
    path("drafts/<slug:slug>/manage/", drafts.draft_manage, name="draft-manage"),
    path("drafts/<slug:slug>/propose/", clauses.propose, name="clause-propose"),
    path("drafts/<slug:slug>/rounds/", rounds.rounds, name="draft-rounds"),
    path("drafts/<slug:slug>/snapshots/", snapshots.snapshots, name="draft-snapshots"),
    path("drafts/<slug:slug>/compare/", snapshots.compare, name="draft-compare"),
    path("drafts/<slug:slug>/export/", exports.draft_export, name="draft-export"),
    path("exports/<int:job_id>/", exports.export_job, name="export-job"),
    path("snapshots/<int:snapshot_id>/", snapshots.snapshot_detail, name="snapshot-detail"),
    path("rounds/<int:round_id>/results/", results.results, name="round-results"),
    path("rounds/<int:round_id>/console/", rounds.console, name="round-console"),
    path("rounds/<int:round_id>/<str:move>/", rounds.round_move, name="round-move"),
    path("clauses/<int:clause_id>/", clauses.clause_detail, name="clause-detail"),
    path("clauses/<int:clause_id>/edit/", clauses.clause_edit, name="clause-edit"),
    path("clauses/<int:clause_id>/revert/", clauses.clause_revert, name="clause-revert"),
    path("clauses/<int:clause_id>/amend/", amendments.amend, name="clause-amend"),
    path("amendments/<int:amendment_id>/", amendments.amendment_detail, name="amendment-detail"),
    path("amendments/<int:amendment_id>/withdraw/", amendments.amendment_withdraw, name="amendment-withdraw"),
    path("comments/new/", comments.comment_post, name="comment-post"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/hide/", comments.comment_hide, name="comment-hide"),
    path("comments/<int:comment_id>/restore/", comments.comment_restore, name="comment-restore"),
    path("comments/<int:comment_id>/disposition/", results.comment_disposition, name="comment-disposition"),
    path("votes/<str:kind>/<int:item_id>/", votes.vote, name="vote"),
]
