"""Root URL configuration: the core's pages, each app under its own prefix, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from vik import admin as vik_admin
from vik.views import auth, conflicts, home, notifications, people, privacy, roles, sso, system

vik_patterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("accounts/login/", sso.LoginView.as_view(), name="login"),
    path("accounts/logout/", sso.LogoutView.as_view(), name="logout"),
    path("oidc/authenticate/", sso.OIDCAuthenticateView.as_view(), name="oidc_authenticate"),
    path("oidc/callback/", sso.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("accounts/2fa/setup/", auth.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("accounts/2fa/verify/", auth.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("people/", people.EmployeeListView.as_view(), name="employee_list"),
    path("people/<int:pk>/", people.EmployeeDetailView.as_view(), name="employee_detail"),
    path("people/<int:pk>/history/", people.EmployeeHistoryView.as_view(), name="employee_history"),
    path("privacy/access-log/", privacy.AccessLogView.as_view(), name="access_log"),
    path(
        "privacy/access-log/export.csv",
        privacy.AccessLogExportView.as_view(),
        name="access_log_export",
    ),
    path("conflicts/", conflicts.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/new/", conflicts.ConflictCreateView.as_view(), name="conflict_create"),
    path("conflicts/<int:pk>/end/", conflicts.ConflictEndView.as_view(), name="conflict_end"),
    path(
        "conflicts/<int:pk>/history/",
        conflicts.ConflictHistoryView.as_view(),
        name="conflict_history",
    ),
    path("roles/requests/", roles.RoleRequestListView.as_view(), name="role_request_list"),
    path("roles/requests/new/", roles.RoleRequestCreateView.as_view(), name="role_request_create"),
    path(
        "roles/requests/<int:pk>/",
        roles.RoleRequestDetailView.as_view(),
        name="role_request_detail",
    ),
    path(
        "roles/requests/<int:pk>/decide/",
        roles.RoleRequestDecideView.as_view(),
        name="role_request_decide",
    ),
    path(
        "roles/requests/<int:pk>/withdraw/",
        roles.RoleRequestWithdrawView.as_view(),
        name="role_request_withdraw",
    ),
    path("roles/changes/", roles.RoleChangeListView.as_view(), name="role_changes"),
    path("messages/", notifications.NotificationListView.as_view(), name="notification_list"),
    path(
        "messages/read/",
        notifications.NotificationMarkReadView.as_view(),
        name="notification_mark_read",
    ),
    path(
        "messages/<int:pk>/open/",
        notifications.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path("health/", system.health, name="health"),
    path("favicon.ico", system.favicon, name="favicon"),
    path("ready/", system.ready, name="ready"),
    path("metrics", system.metrics, name="metrics"),
]

urlpatterns = [
    path("", include((vik_patterns, "vik"))),
    path("monitoring/", include("monitoring.urls")),
    path("cases/", include("cases.urls")),
    path("screening/", include("screening.urls")),
    path("complaints/", include("complaints.urls")),
    path("prevention/", include("prevention.urls")),
    path("transparency/", include("vik.transparency.urls")),
    path("api/", include("api.urls")),
    # Language switching must work on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin signs in through VIK's own login (with its second factor), never its own form;
    # a signed-in user who is no administrator gets a clear 403 there instead of a loop.
    path("admin/login/", vik_admin.admin_login),
    # The admin's own autocomplete URL, answered by a view that writes the access log.
    path("admin/autocomplete/", admin.site.admin_view(vik_admin.autocomplete_view)),
    path("admin/", admin.site.urls),
]
