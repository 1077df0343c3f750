"""URLs of the transparency app (under /transparency/). Every one is in the permission sweep:
tests/transparency/sweep_routes.py."""

from django.urls import path

from vik.transparency import views

app_name = "transparency"

urlpatterns = [
    # The works council (aggregate figures only)
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<str:key>/", views.MeasureView.as_view(), name="measure"),
    path("dashboard/<str:key>/figures.csv", views.MeasureCsvView.as_view(), name="measure_csv"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path(
        "reports/<int:year>/<str:audience>/render/",
        views.ReportRenderRequestView.as_view(),
        name="report_request",
    ),
    path("reports/renders/<int:pk>/", views.ReportRenderView.as_view(), name="report_render"),
    path(
        "reports/renders/<int:pk>/pdf/",
        views.ReportRenderDownloadView.as_view(),
        name="report_download",
    ),
    # The employee
    path("my-data/", views.MyDataView.as_view(), name="my_data"),
    path(
        "my-data/access-request/",
        views.AccessRequestCreateView.as_view(),
        name="access_request_create",
    ),
    path(
        "my-data/access-requests/<int:pk>/export.<str:fmt>",
        views.MyExportView.as_view(),
        name="my_export",
    ),
    # The privacy officer
    path("access-requests/", views.AccessRequestListView.as_view(), name="access_request_list"),
    path(
        "access-requests/<int:pk>/",
        views.AccessRequestDetailView.as_view(),
        name="access_request_detail",
    ),
    path(
        "access-requests/<int:pk>/extend/",
        views.AccessRequestExtendView.as_view(),
        name="access_request_extend",
    ),
    path(
        "access-requests/<int:pk>/answer/",
        views.AccessRequestCompleteView.as_view(),
        name="access_request_complete",
    ),
    path(
        "access-requests/<int:pk>/export.<str:fmt>",
        views.AccessRequestExportView.as_view(),
        name="access_request_export",
    ),
    path(
        "access-requests/<int:pk>/history/",
        views.AccessRequestHistoryView.as_view(),
        name="access_request_history",
    ),
    path("privacy-settings/", views.PrivacySettingsView.as_view(), name="privacy_settings"),
    path("legal-holds/new/", views.LegalHoldCreateView.as_view(), name="legal_hold_create"),
    path(
        "legal-holds/<int:pk>/release/",
        views.LegalHoldReleaseView.as_view(),
        name="legal_hold_release",
    ),
    # The commissioner (and the privacy officer, who audits)
    path("deferrals/", views.DeferralListView.as_view(), name="deferral_list"),
    path("deferrals/new/", views.DeferralCreateView.as_view(), name="deferral_create"),
    path(
        "deferrals/<int:pk>/history/",
        views.DeferralHistoryView.as_view(),
        name="deferral_history",
    ),
    path("deferrals/<int:pk>/extend/", views.DeferralExtendView.as_view(), name="deferral_extend"),
    path("deferrals/<int:pk>/end/", views.DeferralLiftView.as_view(), name="deferral_lift"),
    # Retention (administrator; the privacy officer reads it and keeps the legal holds)
    path("retention/", views.RetentionView.as_view(), name="retention"),
    path("retention/<str:category>/", views.RetentionEditView.as_view(), name="retention_edit"),
]
