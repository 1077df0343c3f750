"""URLs of the screening app."""

from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    # Screening officers
    path("", views.WorklistView.as_view(), name="worklist"),
    path("dossiers/new/", views.DossierCreateView.as_view(), name="dossier_create"),
    path("dossiers/<int:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path(
        "dossiers/<int:pk>/history/",
        views.DossierHistoryView.as_view(),
        name="dossier_history",
    ),
    path(
        "dossiers/<int:pk>/<slug:action>/",
        views.DossierActionView.as_view(),
        name="dossier_action",
    ),
    path("hits/new/", views.HitCreateView.as_view(), name="hit_create"),
    path("evaluations/", views.EvaluationResultsView.as_view(), name="evaluation_results"),
    # The employee's own pages
    path("mine/", views.MyScreeningView.as_view(), name="my_screening"),
    path("mine/report/", views.SelfReportCreateView.as_view(), name="self_report_create"),
    path(
        "mine/evaluation/<int:pk>/",
        views.EvaluationCreateView.as_view(),
        name="evaluation_create",
    ),
]
