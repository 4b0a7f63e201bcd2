from django.urls import path

from . import amendments, clauses, comments, drafts, exports, results, rounds, snapshots, votes

urlpatterns = [
    path("drafts/", drafts.DraftListView.as_view(), name="api-drafts"),
    path("drafts/import/", exports.DraftImportView.as_view(), name="api-draft-import"),
    path("drafts/<slug:slug>/", drafts.DraftDetailView.as_view(), name="api-draft"),
    path("drafts/<slug:slug>/members/", drafts.DraftMembersView.as_view(), name="api-draft-members"),
    path("drafts/<slug:slug>/sections/", drafts.SectionCreateView.as_view(), name="api-draft-sections"),
    path("drafts/<slug:slug>/clauses/", clauses.DraftClausesView.as_view(), name="api-draft-clauses"),
    path("drafts/<slug:slug>/rounds/", rounds.DraftRoundsView.as_view(), name="api-draft-rounds"),
    path("rounds/<int:round_id>/", rounds.RoundDetailView.as_view(), name="api-round"),
    path("rounds/<int:round_id>/open/", rounds.RoundOpenView.as_view(), name="api-round-open"),
    path("rounds/<int:round_id>/start-voting/", rounds.RoundStartVotingView.as_view(), name="api-round-start-voting"),
    path("rounds/<int:round_id>/close/", rounds.RoundCloseView.as_view(), name="api-round-close"),
    path("rounds/<int:round_id>/results/", results.RoundResultsView.as_view(), name="api-round-results"),
    path("rounds/<int:round_id>/report/", results.RoundReportView.as_view(), name="api-round-report"),
    path("rounds/<int:round_id>/dispositions/", results.RoundDispositionsView.as_view(), name="api-round-dispositions"),
    path("drafts/<slug:slug>/snapshots/", snapshots.DraftSnapshotsView.as_view(), name="api-draft-snapshots"),
    path("drafts/<slug:slug>/compare/", snapshots.CompareView.as_view(), name="api-draft-compare"),
    path("drafts/<slug:slug>/export/", exports.ExportView.as_view(), name="api-draft-export"),
    path("exports/<int:job_id>/", exports.ExportJobView.as_view(), name="api-export-job"),
    path("exports/<int:job_id>/download/", exports.ExportDownloadView.as_view(), name="api-export-download"),
    path("snapshots/<int:snapshot_id>/", snapshots.SnapshotDetailView.as_view(), name="api-snapshot"),
    path("clauses/<int:clause_id>/", clauses.ClauseDetailView.as_view(), name="api-clause"),
    path("clauses/<int:clause_id>/history/", clauses.ClauseHistoryView.as_view(), name="api-clause-history"),
    path("clauses/<int:clause_id>/diff/", clauses.ClauseDiffView.as_view(), name="api-clause-diff"),
    path("clauses/<int:clause_id>/revert/", clauses.ClauseRevertView.as_view(), name="api-clause-revert"),
    path(
        "clauses/<int:clause_id>/amendments/", amendments.ClauseAmendmentsView.as_view(), name="api-clause-amendments"
    ),
    path("clauses/<int:item_id>/vote/", votes.ClauseVoteView.as_view(), name="api-clause-vote"),
    path("amendments/<int:amendment_id>/", amendments.AmendmentDetailView.as_view(), name="api-amendment"),
    path(
        "amendments/<int:amendment_id>/withdraw/",
        amendments.AmendmentWithdrawView.as_view(),
        name="api-amendment-withdraw",
    ),
    path("amendments/<int:item_id>/vote/", votes.AmendmentVoteView.as_view(), name="api-amendment-vote"),
    path("comments/", comments.CommentsView.as_view(), name="api-comments"),
    path("comments/<int:comment_id>/", comments.CommentDetailView.as_view(), name="api-comment"),
    path("comments/<int:comment_id>/history/", comments.CommentHistoryView.as_view(), name="api-comment-history"),
    path("comments/<int:comment_id>/hide/", comments.CommentHideView.as_view(), name="api-comment-hide"),
    path("comments/<int:comment_id>/restore/", comments.CommentRestoreView.as_view(), name="api-comment-restore"),
    path(
        "comments/<int:comment_id>/disposition/",
        results.CommentDispositionView.as_view(),
        name="api-comment-disposition",
    ),
]
