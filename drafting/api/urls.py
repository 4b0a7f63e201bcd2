from django.urls import path

from . import views

urlpatterns = [
    path("drafts/", views.DraftListView.as_view(), name="api-drafts"),
    path("drafts/<slug:slug>/", views.DraftDetailView.as_view(), name="api-draft"),
    path("drafts/<slug:slug>/members/", views.DraftMembersView.as_view(), name="api-draft-members"),
    path("drafts/<slug:slug>/sections/", views.SectionCreateView.as_view(), name="api-draft-sections"),
    path("drafts/<slug:slug>/clauses/", views.DraftClausesView.as_view(), name="api-draft-clauses"),
    path("clauses/<int:clause_id>/", views.ClauseDetailView.as_view(), name="api-clause"),
    path("clauses/<int:clause_id>/history/", views.ClauseHistoryView.as_view(), name="api-clause-history"),
    path("clauses/<int:clause_id>/diff/", views.ClauseDiffView.as_view(), name="api-clause-diff"),
    path("clauses/<int:clause_id>/revert/", views.ClauseRevertView.as_view(), name="api-clause-revert"),
]
