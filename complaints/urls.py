"""URLs of the complaints app."""

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="complaint_list"),
    path("deadlines/", views.DeadlineOverviewView.as_view(), name="deadline_overview"),
    path("new/", views.ComplaintCreateView.as_view(), name="complaint_create"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("<int:pk>/history/", views.ComplaintHistoryView.as_view(), name="complaint_history"),
    path("<int:pk>/contact/", views.ContactView.as_view(), name="complaint_contact"),
    path("<int:pk>/letter.pdf", views.LetterView.as_view(), name="complaint_letter"),
    path(
        "<int:pk>/hearings/<int:hearing_pk>/invitation.pdf",
        views.HearingInvitationView.as_view(),
        name="hearing_invitation",
    ),
    path(
        "<int:pk>/hearings/<int:hearing_pk>/calendar.ics",
        views.HearingCalendarView.as_view(),
        name="hearing_calendar",
    ),
    path("<int:pk>/<slug:action>/", views.ComplaintActionView.as_view(), name="complaint_action"),
]
