"""URLs of the monitoring app. Every one is listed in tests/monitoring/sweep_routes.py."""

from django.urls import path

from monitoring import consent_views, views
from monitoring import conversation_views as chief
from monitoring.selectors.conversations import Source

app_name = "monitoring"

signal = "signals/<int:pk>/"

urlpatterns = [
    # The analyst.
    path("signals/", views.SignalListView.as_view(), name="signal_list"),
    path("signals/bursts/", views.BurstListView.as_view(), name="burst_list"),
    path("signals/bursts/dismiss/", views.BurstDismissView.as_view(), name="burst_dismiss"),
    path(signal, views.SignalDetailView.as_view(), name="signal_detail"),
    path(f"{signal}claim/", views.SignalClaimView.as_view(), name="signal_claim"),
    path(f"{signal}reveal/", views.SignalRevealView.as_view(), name="signal_reveal"),
    path(f"{signal}dismiss/", views.SignalDismissView.as_view(), name="signal_dismiss"),
    path(f"{signal}escalate/", views.SignalEscalateView.as_view(), name="signal_escalate"),
    path(f"{signal}refer/", views.SignalReferView.as_view(), name="signal_refer"),
    path(f"{signal}forward/", views.SignalForwardView.as_view(), name="signal_forward"),
    path("reveals/", views.RevealListView.as_view(), name="reveal_list"),
    path("reveals/<int:pk>/decide/", views.RevealDecideView.as_view(), name="reveal_decide"),
    path("reveals/<int:pk>/show/", views.RevealShowView.as_view(), name="reveal_show"),
    path("feedback/", views.FeedbackView.as_view(), name="feedback"),
    path("protocol/", views.ProtocolView.as_view(), name="protocol"),
    # The administrator: calibration for a new department.
    path("calibration/", views.CalibrationView.as_view(), name="calibration"),
    path("calibration/<int:pk>/", views.CalibrationView.as_view(), name="calibration_report"),
    path(
        "calibration/proposals/<int:pk>/decide/",
        views.ProposalDecideView.as_view(),
        name="proposal_decide",
    ),
    # The team chief: both kinds of conversation (after a signal, a case back to the line).
    path("conversations/", chief.ConversationListView.as_view(), name="conversation_list"),
    # The earlier address of a conversation after a signal (links in earlier messages).
    path(
        "conversations/<int:pk>/",
        chief.OldPageRedirect.as_view(target="monitoring:followup_detail"),
        name="followup_old",
    ),
    # Protocol changes and the works council's consent (issue 11, point 3).
    path(
        "protocol-changes/", consent_views.ProtocolChangeListView.as_view(), name="protocol_changes"
    ),
    path(
        "protocol-changes/<int:pk>/",
        consent_views.ProtocolChangeDetailView.as_view(),
        name="protocol_change_detail",
    ),
    path(
        "protocol-changes/<int:pk>/withdraw/",
        consent_views.ProtocolChangeWithdrawView.as_view(),
        name="protocol_change_withdraw",
    ),
    path(
        "protocol-changes/<int:pk>/letter/",
        consent_views.CouncilLetterView.as_view(),
        name="protocol_change_letter",
    ),
]
for source, prefix in ((Source.SIGNAL, "followup"), (Source.LINE, "referral")):
    base = f"conversations/{source.value}/<int:pk>/"
    urlpatterns += [
        path(base, chief.ConversationDetailView.as_view(source=source), name=f"{prefix}_detail"),
        path(
            f"{base}plan/", chief.ConversationPlanView.as_view(source=source), name=f"{prefix}_plan"
        ),
        path(
            f"{base}record/",
            chief.ConversationRecordView.as_view(source=source),
            name=f"{prefix}_record",
        ),
        path(
            f"{base}calendar/",
            chief.ConversationCalendarView.as_view(source=source),
            name=f"{prefix}_calendar",
        ),
    ]
