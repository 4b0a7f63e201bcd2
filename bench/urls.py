from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/clause/<int:clause_id>/", views.baseline_read),
    path("bench/baseline/write/", views.baseline_write),
    path("", include("codeofconduct.urls")),
]
