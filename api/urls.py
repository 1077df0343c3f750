"""The API, versioned: everything lives under /api/v1/ (a v2 would sit beside it)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView

from api import docs, views
from api.problems import not_found

app_name = "api"

v1 = [
    path(
        "monitoring/access-logs/",
        views.AccessLogUploadView.as_view(),
        name="monitoring_access_logs",
    ),
    # The same, with the file's name in the path (e.g. curl --upload-file): .csv, .jsonl, .gz.
    path(
        "monitoring/access-logs/<str:filename>",
        views.AccessLogFileUploadView.as_view(),
        name="monitoring_access_log_file",
    ),
    path(
        "monitoring/reference-deliveries/",
        views.ReferenceUploadView.as_view(),
        name="monitoring_reference_deliveries",
    ),
    path(
        "monitoring/deliveries/<int:pk>/",
        views.MonitoringDeliveryView.as_view(),
        name="monitoring_delivery",
    ),
    path(
        "monitoring/deliveries/<int:pk>/rejections/",
        views.MonitoringRejectionsView.as_view(),
        name="monitoring_delivery_rejections",
    ),
    path("monitoring/detection-runs/", views.DetectionRunsView.as_view(), name="detection_runs"),
    path(
        "monitoring/detection-runs/<int:pk>/",
        views.DetectionRunView.as_view(),
        name="detection_run",
    ),
    path("monitoring/signals/", views.SignalExportView.as_view(), name="signals"),
    path("intake/reports/", views.ReportIntakeView.as_view(), name="intake_reports"),
    path("intake/complaints/", views.ComplaintIntakeView.as_view(), name="intake_complaints"),
    path("hr/deliveries/", views.HrUploadView.as_view(), name="hr_deliveries"),
    path("hr/deliveries/<int:pk>/", views.HrDeliveryView.as_view(), name="hr_delivery"),
    path(
        "hr/deliveries/<int:pk>/rejections/",
        views.HrRejectionsView.as_view(),
        name="hr_delivery_rejections",
    ),
    # The documentation: public (the schema is in the repository anyway), no data.
    path(
        "schema/",
        login_not_required(
            SpectacularAPIView.as_view(
                api_version="v1", permission_classes=[], authentication_classes=[]
            )
        ),
        name="schema",
    ),
    path("docs/", docs.SwaggerView.as_view(), name="docs"),
    path("redoc/", docs.RedocView.as_view(), name="redoc"),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^.*$", csrf_exempt(login_not_required(not_found))),
]
