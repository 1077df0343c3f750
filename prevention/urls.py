"""URLs of prevention and advice."""

from django.urls import path

from prevention.views import advice, lessons, library, sessions, work

app_name = "prevention"

urlpatterns = [
    # The coordinator's work
    path("", work.WorklistView.as_view(), name="worklist"),
    path("trends/", work.TrendsView.as_view(), name="trends"),
    path("trends/mark/", work.TrendMarkCreateView.as_view(), name="trend_mark_create"),
    path("trends/<int:pk>/close/", work.TrendCloseView.as_view(), name="trend_close"),
    path("presenters/", work.PresenterListView.as_view(), name="presenter_list"),
    path("presenters/new/", work.PresenterFormView.as_view(), name="presenter_create"),
    path("presenters/<int:pk>/", work.PresenterFormView.as_view(), name="presenter_edit"),
    # Sessions
    path("sessions/", sessions.SessionListView.as_view(), name="session_list"),
    path(
        "sessions/new/",
        sessions.SessionRequestCreateView.as_view(),
        name="session_request_create",
    ),
    path("sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"),
    path(
        "sessions/<int:pk>/history/",
        sessions.SessionHistoryView.as_view(),
        name="session_history",
    ),
    path("sessions/<int:pk>/codes/", sessions.SessionCodesView.as_view(), name="session_codes"),
    path(
        "sessions/<int:pk>/<slug:action>/",
        sessions.SessionActionView.as_view(),
        name="session_action",
    ),
    path("team/", sessions.TeamSessionListView.as_view(), name="team_sessions"),
    path("team/<int:pk>/", sessions.TeamSessionDetailView.as_view(), name="team_session_detail"),
    path("evaluation/", sessions.EvaluationCreateView.as_view(), name="evaluation_create"),
    path("mine/", sessions.MyRequestsView.as_view(), name="my_requests"),
    # Advice
    path("advice/", advice.AdviceListView.as_view(), name="advice_list"),
    path("advice/new/", advice.AdviceCreateView.as_view(), name="advice_create"),
    path("advice/<int:pk>/", advice.AdviceDetailView.as_view(), name="advice_detail"),
    path("advice/<int:pk>/history/", advice.AdviceHistoryView.as_view(), name="advice_history"),
    path("advice/<int:pk>/<slug:action>/", advice.AdviceActionView.as_view(), name="advice_action"),
    # After-discussions of closed investigations, and their lessons
    path(
        "after-discussions/",
        lessons.AfterDiscussionListView.as_view(),
        name="after_discussion_list",
    ),
    path(
        "after-discussions/new/<int:case_id>/",
        lessons.AfterDiscussionCreateView.as_view(),
        name="after_discussion_create",
    ),
    path(
        "after-discussions/<int:pk>/",
        lessons.AfterDiscussionDetailView.as_view(),
        name="after_discussion_detail",
    ),
    path(
        "after-discussions/<int:pk>/history/",
        lessons.AfterDiscussionHistoryView.as_view(),
        name="after_discussion_history",
    ),
    path(
        "after-discussions/<int:pk>/<slug:action>/",
        lessons.AfterDiscussionActionView.as_view(),
        name="after_discussion_action",
    ),
    # The dilemma library
    path("dilemmas/", library.DilemmaListView.as_view(), name="dilemma_list"),
    path("dilemmas/new/", library.DilemmaFormView.as_view(), name="dilemma_create"),
    path("dilemmas/<int:pk>/", library.DilemmaDetailView.as_view(), name="dilemma_detail"),
    path("dilemmas/<int:pk>/edit/", library.DilemmaFormView.as_view(), name="dilemma_edit"),
    path(
        "dilemmas/<int:pk>/withdraw/",
        library.DilemmaWithdrawView.as_view(),
        name="dilemma_withdraw",
    ),
]
