"""URLs of the cases app. Every one is listed in tests/cases/sweep_routes.py."""

from django.urls import path

from cases.views import actions, files, pages, referrals

app_name = "cases"

case = "<int:pk>/"
interview = f"{case}interviews/<int:object_pk>/"
version = f"{case}report-versions/<int:version_pk>/"

urlpatterns = [
    path("", pages.CaseListView.as_view(), name="case_list"),
    path("new/", pages.ReportCreateView.as_view(), name="report_create"),
    path("deadlines/", pages.DeadlineOverviewView.as_view(), name="deadlines"),
    path("statistics/", pages.TriageStatisticsView.as_view(), name="statistics"),
    # Earlier addresses: the team chief's conversations are in one place now (monitoring).
    path("referrals/", referrals.ReferralListRedirect.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", referrals.ReferralDetailRedirect.as_view(), name="referral_detail"),
    # The case and its tabs.
    path(case, pages.CaseDetailView.as_view(), name="case_detail"),
    path(f"{case}history/", pages.CaseHistoryView.as_view(), name="case_history"),
    path(f"{case}journal/", pages.JournalView.as_view(), name="journal"),
    path(f"{case}methods/", pages.MethodsView.as_view(), name="methods"),
    path(f"{case}interviews/", pages.InterviewsView.as_view(), name="interviews"),
    path(f"{case}documents/", pages.DocumentsView.as_view(), name="documents"),
    path(f"{case}letters/", pages.LettersView.as_view(), name="letters"),
    path(f"{case}conclusion/", pages.ConclusionView.as_view(), name="conclusion"),
    # Intake and triage.
    path(f"{case}reporter/", pages.RevealReporterView.as_view(), name="reporter_reveal"),
    path(
        f"{case}reporter/consent/", actions.ReporterConsentView.as_view(), name="reporter_consent"
    ),
    path(
        f"{case}whistleblower/ack/",
        actions.WhistleblowerAckView.as_view(),
        name="whistleblower_ack",
    ),
    path(
        f"{case}whistleblower/feedback/",
        actions.WhistleblowerFeedbackView.as_view(),
        name="whistleblower_feedback",
    ),
    path(
        f"{case}reporter/notices/<slug:kind>/",
        actions.ReporterNoticeView.as_view(),
        name="reporter_notice",
    ),
    path(
        f"{case}reporter/notices/<int:object_pk>/pdf/",
        files.ReporterNoticePdfView.as_view(),
        name="reporter_notice_pdf",
    ),
    path(f"{case}triage/", actions.TriageView.as_view(), name="triage"),
    path(f"{case}parties/new/", actions.PartyAddView.as_view(), name="party_add"),
    path(
        f"{case}forwarded/<int:object_pk>/",
        actions.ForwardedSignalView.as_view(),
        name="forwarded_signal",
    ),
    # Investigators and the assignment.
    path(
        f"{case}investigators/new/",
        actions.InvestigatorAssignView.as_view(),
        name="investigator_assign",
    ),
    path(
        f"{case}investigators/<int:object_pk>/end/",
        actions.InvestigatorEndView.as_view(),
        name="investigator_end",
    ),
    path(f"{case}assignment/", actions.AssignmentEditView.as_view(), name="assignment"),
    path(f"{case}assignment/pdf/", files.AssignmentPdfView.as_view(), name="assignment_pdf"),
    path(
        f"{case}assignment/extend/",
        actions.AssignmentExtendView.as_view(),
        name="assignment_extend",
    ),
    path(f"{case}counsellor/", actions.CounsellorInformedView.as_view(), name="counsellor"),
    # Methods.
    path(f"{case}methods/new/", actions.MethodProposeView.as_view(), name="method_propose"),
    path(
        f"{case}methods/<int:object_pk>/notices/",
        actions.MethodNoticesView.as_view(),
        name="method_notices",
    ),
    path(
        f"{case}methods/<int:object_pk>/decide/",
        actions.MethodDecideView.as_view(),
        name="method_decide",
    ),
    path(
        f"{case}methods/<int:object_pk>/stage/",
        actions.TelecomStageView.as_view(),
        name="telecom_stage",
    ),
    path(
        f"{case}methods/<int:object_pk>/progress/",
        actions.MethodProgressView.as_view(),
        name="method_progress",
    ),
    # Letters.
    path(f"{case}letters/new/", actions.LetterDraftView.as_view(), name="letter_draft"),
    path(f"{case}letters/<int:object_pk>/", actions.LetterEditView.as_view(), name="letter_edit"),
    path(
        f"{case}letters/<int:object_pk>/sent/", actions.LetterSentView.as_view(), name="letter_sent"
    ),
    path(f"{case}letters/<int:object_pk>/pdf/", files.LetterPdfView.as_view(), name="letter_pdf"),
    # Documents.
    path(
        f"{case}documents/request/", actions.DocumentRequestView.as_view(), name="document_request"
    ),
    path(
        f"{case}documents/<int:object_pk>/outcome/",
        actions.DocumentOutcomeView.as_view(),
        name="document_outcome",
    ),
    path(
        f"{case}documents/<int:object_pk>/refusal-reported/",
        actions.DocumentRefusalReportedView.as_view(),
        name="document_refusal_reported",
    ),
    path(f"{case}evidence/new/", actions.EvidenceUploadView.as_view(), name="evidence_upload"),
    path(
        f"{case}evidence/<int:object_pk>/",
        files.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    # Interviews and their reports.
    path(
        f"{case}interviews/new/", actions.InterviewScheduleView.as_view(), name="interview_schedule"
    ),
    path(interview, pages.InterviewDetailView.as_view(), name="interview_detail"),
    path(f"{interview}outcome/", actions.InterviewOutcomeView.as_view(), name="interview_outcome"),
    path(
        f"{interview}refusal-reported/",
        actions.InterviewRefusalReportedView.as_view(),
        name="interview_refusal_reported",
    ),
    path(
        f"{interview}calendar.ics",
        files.InterviewCalendarView.as_view(),
        name="interview_calendar",
    ),
    path(
        f"{interview}recording/",
        actions.RecordingDestroyedView.as_view(),
        name="recording_destroyed",
    ),
    path(f"{interview}report/", actions.VersionCreateView.as_view(), name="version_create"),
    path(f"{version}edit/", actions.VersionEditView.as_view(), name="version_edit"),
    path(f"{version}send/", actions.VersionSendView.as_view(), name="version_send"),
    path(f"{version}response/", actions.VersionResponseView.as_view(), name="version_response"),
    path(f"{version}comments/", actions.VersionCommentsView.as_view(), name="version_comments"),
    path(f"{version}pdf/", files.VersionPdfView.as_view(), name="version_pdf"),
    # Findings, hearing, report, outcome.
    path(f"{case}findings/", actions.FindingsView.as_view(), name="findings"),
    path(f"{case}hearing/offer/", actions.HearingOfferView.as_view(), name="hearing_offer"),
    path(f"{case}hearing/", actions.HearingRecordView.as_view(), name="hearing_record"),
    path(
        f"{case}hearing/calendar.ics",
        files.HearingCalendarView.as_view(),
        name="hearing_calendar",
    ),
    path(f"{case}submit/", actions.ReportSubmitView.as_view(), name="report_submit"),
    path(f"{case}outcome/", actions.OutcomeView.as_view(), name="outcome"),
    path(f"{case}disciplinary/", actions.DisciplinaryView.as_view(), name="disciplinary"),
    path(f"{case}report-provided/", actions.ReportProvidedView.as_view(), name="report_provided"),
    path(f"{case}close/", actions.CaseCloseView.as_view(), name="case_close"),
    path(f"{case}report/", actions.ReportRenderView.as_view(), name="report_render"),
    path(
        f"{case}report/<int:object_pk>/",
        files.ReportRenderStatusView.as_view(),
        name="report_status",
    ),
    path(
        f"{case}report/<int:object_pk>/pdf/",
        files.ReportDownloadView.as_view(),
        name="report_download",
    ),
    # Complaints about the investigation.
    path(f"{case}complaints/new/", actions.ComplaintCreateView.as_view(), name="complaint_create"),
    path(
        f"{case}complaints/<int:object_pk>/answer/",
        actions.ComplaintAnswerView.as_view(),
        name="complaint_answer",
    ),
]
