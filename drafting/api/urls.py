from django.urls import path

from . import notifications, views

urlpatterns = [
    path("notifications/", notifications.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/mark-read/", notifications.MarkReadView.as_view(), name="api-notifications-mark-read"),
    path("me/preferences/", notifications.PreferencesView.as_view(), name="api-preferences"),
    path("subscriptions/", notifications.SubscriptionsView.as_view(), name="api-subscriptions"),
    path(
        "subscriptions/<int:subscription_id>/",
        notifications.SubscriptionDetailView.as_view(),
        name="api-subscription",
    ),
    path("drafts/", views.DraftListView.as_view(), name="api-drafts"),
    path("drafts/import/", views.DraftImportView.as_view(), name="api-draft-import"),
    path("drafts/<slug:slug>/", views.DraftDetailView.as_view(), name="api-draft"),
    path("drafts/<slug:slug>/members/", views.DraftMembersView.as_view(), name="api-draft-members"),
    path("drafts/<slug:slug>/sections/", views.SectionCreateView.as_view(), name="api-draft-sections"),
    path("drafts/<slug:slug>/clauses/", views.DraftClausesView.as_view(), name="api-draft-clauses"),
    path("drafts/<slug:slug>/rounds/", views.DraftRoundsView.as_view(), name="api-draft-rounds"),
    path("rounds/<int:round_id>/", views.RoundDetailView.as_view(), name="api-round"),
    path("rounds/<int:round_id>/open/", views.RoundOpenView.as_view(), name="api-round-open"),
    path("rounds/<int:round_id>/start-voting/", views.RoundStartVotingView.as_view(), name="api-round-start-voting"),
    path("rounds/<int:round_id>/close/", views.RoundCloseView.as_view(), name="api-round-close"),
    path("rounds/<int:round_id>/results/", views.RoundResultsView.as_view(), name="api-round-results"),
    path("rounds/<int:round_id>/report/", views.RoundReportView.as_view(), name="api-round-report"),
    path("rounds/<int:round_id>/dispositions/", views.RoundDispositionsView.as_view(), name="api-round-dispositions"),
    path("drafts/<slug:slug>/snapshots/", views.DraftSnapshotsView.as_view(), name="api-draft-snapshots"),
    path("drafts/<slug:slug>/compare/", views.CompareView.as_view(), name="api-draft-compare"),
    path("drafts/<slug:slug>/export/", views.ExportView.as_view(), name="api-draft-export"),
    path("exports/<int:job_id>/", views.ExportJobView.as_view(), name="api-export-job"),
    path("exports/<int:job_id>/download/", views.ExportDownloadView.as_view(), name="api-export-download"),
    path("snapshots/<int:snapshot_id>/", views.SnapshotDetailView.as_view(), name="api-snapshot"),
    path("clauses/<int:clause_id>/", views.ClauseDetailView.as_view(), name="api-clause"),
    path("clauses/<int:clause_id>/history/", views.ClauseHistoryView.as_view(), name="api-clause-history"),
    path("clauses/<int:clause_id>/diff/", views.ClauseDiffView.as_view(), name="api-clause-diff"),
    path("clauses/<int:clause_id>/revert/", views.ClauseRevertView.as_view(), name="api-clause-revert"),
    path("clauses/<int:clause_id>/amendments/", views.ClauseAmendmentsView.as_view(), name="api-clause-amendments"),
    path("clauses/<int:item_id>/vote/", views.ClauseVoteView.as_view(), name="api-clause-vote"),
    path("amendments/<int:amendment_id>/", views.AmendmentDetailView.as_view(), name="api-amendment"),
    path(
        "amendments/<int:amendment_id>/withdraw/", views.AmendmentWithdrawView.as_view(), name="api-amendment-withdraw"
    ),
    path("amendments/<int:item_id>/vote/", views.AmendmentVoteView.as_view(), name="api-amendment-vote"),
    path("comments/", views.CommentsView.as_view(), name="api-comments"),
    path("comments/<int:comment_id>/", views.CommentDetailView.as_view(), name="api-comment"),
    path("comments/<int:comment_id>/history/", views.CommentHistoryView.as_view(), name="api-comment-history"),
    path("comments/<int:comment_id>/hide/", views.CommentHideView.as_view(), name="api-comment-hide"),
    path("comments/<int:comment_id>/restore/", views.CommentRestoreView.as_view(), name="api-comment-restore"),
    path(
        "comments/<int:comment_id>/disposition/", views.CommentDispositionView.as_view(), name="api-comment-disposition"
    ),
]
