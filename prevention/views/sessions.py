"""Session requests: the intake form, the coordinator's handling, the record, the evaluation,
and the team chief's record of their teams' sessions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from prevention import services
from prevention.filters import SessionFilter
from prevention.forms import (
    EmptyForm,
    EvaluationForm,
    PlanForm,
    ReasonForm,
    RecordForm,
    SessionRequestForm,
)
from prevention.models import PreventionSettings, SessionEvaluationResponse, SessionRequest
from prevention.selectors import (
    advice_requests_visible_to,
    coordinated_session_requests,
    session_evaluation_summary,
    session_requests_visible_to,
    team_sessions_visible_to,
)
from prevention.views.base import Action, ActionPostMixin, ActionsMixin, NotOwnLooksMixin
from vik.evaluations import MINIMUM_GROUP, summary_rows
from vik.roles import Capability
from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedDetailView,
    ScopedListView,
    VisibleObjectsMixin,
)

C = Capability


class SessionSubjectMixin(NotOwnLooksMixin):
    """A session request is about its requester (who asked, and why)."""

    def subject_of(self, obj: Model) -> int | None:
        return getattr(obj, "requester_id", None)


class SessionListView(SessionSubjectMixin, ScopedListView):
    """Every session request of the coordinator's units, with a filter."""

    required_capability = C.COORDINATE_PREVENTION
    selector = staticmethod(coordinated_session_requests)
    template_name = "prevention/session_list.html"

    def get_queryset(self) -> QuerySet[SessionRequest]:
        queryset = super().get_queryset().select_related("team", "requester", "coordinator")
        self.filterset = SessionFilter(self.request.GET, queryset=queryset)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter=self.filterset, today=timezone.localdate(), **kwargs)


ACTIONS: dict[str, Action] = {
    "accept": Action(
        EmptyForm,
        lambda obj, data, user: services.accept_session_request(request=obj, acting_user=user),
        gettext_lazy("The request is accepted; the requester has been told."),
    ),
    "decline": Action(
        ReasonForm,
        lambda obj, data, user: services.decline_session_request(
            request=obj, reason=data["reason"], acting_user=user
        ),
        gettext_lazy("The request is declined; the requester has been told."),
    ),
    "plan": Action(
        PlanForm,
        lambda obj, data, user: services.plan_session(
            request=obj,
            planned_start=data["planned_start"],
            place=data["place"],
            presenters=data["presenters"],
            acting_user=user,
        ),
        gettext_lazy("The session is planned; the requester has been told."),
        form_kwargs=lambda view, obj: {"user": view.request.user, "instance": obj},
    ),
    "record": Action(
        RecordForm,
        lambda obj, data, user: services.record_session(
            request=obj,
            held_on=data["held_on"],
            what_was_done=data["what_was_done"],
            attendance=data["attendance"],
            follow_up=data["follow_up"],
            acting_user=user,
        ),
        gettext_lazy("The session is recorded. Hand out the evaluation codes."),
        form_kwargs=lambda view, obj: {"instance": obj},
    ),
    "withdraw": Action(
        EmptyForm,
        lambda obj, data, user: services.withdraw_session_request(request=obj, acting_user=user),
        gettext_lazy("Your request is withdrawn."),
    ),
}


class SessionDetailView(SessionSubjectMixin, ActionsMixin, ScopedDetailView):
    """One request: for the coordinators who handle it, and for the requester."""

    required_capability = (C.COORDINATE_PREVENTION, C.USE_PREVENTION)
    selector = staticmethod(session_requests_visible_to)
    template_name = "prevention/session_detail.html"
    context_object_name = "session"
    actions = ACTIONS
    detail_url_name = "prevention:session_detail"

    def get_queryset(self) -> QuerySet[SessionRequest]:
        return super().get_queryset().prefetch_related("presenters")

    def handles(self, obj: SessionRequest) -> bool:
        if not hasattr(self, "_handles"):
            self._handles = (
                coordinated_session_requests(user=self.request.user).filter(pk=obj.pk).exists()
            )
        return self._handles

    def available_actions(self, obj: SessionRequest) -> list[str]:
        status = SessionRequest.Status
        names: list[str] = []
        if self.handles(obj):
            by_status: dict[str, list[str]] = {
                status.SUBMITTED: ["accept", "plan", "decline"],
                status.ACCEPTED: ["plan", "decline"],
                status.PLANNED: ["record", "plan"],
            }
            names += by_status.get(obj.status, [])
        if obj.requested_by_id == self.request.user.pk and obj.is_open:
            names.append("withdraw")
        return names

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session: SessionRequest = self.object
        handles = self.handles(session)
        context["handles"] = handles
        context["today"] = timezone.localdate()
        if session.status == SessionRequest.Status.HELD:
            summary = session_evaluation_summary(
                session=session, user=self.request.user, with_texts=handles
            )
            context["evaluation"] = summary
            context["evaluation_rows"] = summary_rows(SessionEvaluationResponse, summary)
            context["minimum_group"] = MINIMUM_GROUP
        return context


class SessionActionView(ActionPostMixin, SessionDetailView):
    """POST one action on a request."""


class SessionHistoryView(ObjectHistoryView):
    required_capability = (C.COORDINATE_PREVENTION, C.USE_PREVENTION)
    selector = staticmethod(session_requests_visible_to)

    def subject_of(self, obj: Model) -> int | None:
        return getattr(obj, "requester_id", None)


class SessionCodesView(CapabilityRequiredMixin, VisibleObjectsMixin, DetailView):
    """The single-use evaluation codes of a held session, to print and hand out."""

    required_capability = C.COORDINATE_PREVENTION
    selector = staticmethod(coordinated_session_requests)
    template_name = "prevention/session_codes.html"
    context_object_name = "session"

    def get_queryset(self) -> QuerySet[SessionRequest]:
        return super().get_queryset().filter(status=SessionRequest.Status.HELD)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        from prevention import rules

        context["codes"] = self.object.evaluation_codes.all()
        context["closes_on"] = rules.evaluation_closes_on(self.object.held_on)
        return context


class SessionRequestCreateView(CapabilityRequiredMixin, FormView):
    """The intake form: a team asks for a session."""

    required_capability = C.USE_PREVENTION
    template_name = "prevention/session_form.html"
    form_class = SessionRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        term = PreventionSettings.load().first_answer_working_days
        return super().get_context_data(term=term, **kwargs)

    def form_valid(self, form: SessionRequestForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            request = services.request_session(
                kind=data["kind"],
                kind_other=data["kind_other"],
                team=data["team"],
                learning_questions=data["learning_questions"],
                prompt=data["prompt"],
                prompt_kind=data["prompt_kind"],
                preferred_from=data["preferred_from"],
                preferred_until=data["preferred_until"],
                preferred_note=data["preferred_note"],
                group_size=data["group_size"],
                location=data["location"],
                duration_minutes=data["duration_minutes"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request %(ref)s has been sent to the prevention coordinators.")
            % {"ref": request.reference},
        )
        return redirect("prevention:session_detail", pk=request.pk)


# --- The team chief's record ------------------------------------------------------------


class TeamSessionListView(CapabilityRequiredMixin, VisibleObjectsMixin, TemplateView):
    """The sessions planned for and given to the teams a team chief leads (no names)."""

    required_capability = C.VIEW_TEAM_SESSIONS
    selector = staticmethod(team_sessions_visible_to)
    template_name = "prevention/team_sessions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sessions = list(self.get_queryset().order_by("-planned_start", "-id")[:200])
        return super().get_context_data(
            planned=[s for s in sessions if s.status == SessionRequest.Status.PLANNED],
            held=[s for s in sessions if s.status == SessionRequest.Status.HELD],
            **kwargs,
        )


class TeamSessionDetailView(CapabilityRequiredMixin, VisibleObjectsMixin, DetailView):
    """The record of one session, as the team chief sees it: never who asked, or why."""

    required_capability = C.VIEW_TEAM_SESSIONS
    selector = staticmethod(team_sessions_visible_to)
    template_name = "prevention/team_session_detail.html"
    context_object_name = "session"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.object.status == SessionRequest.Status.HELD:
            summary = session_evaluation_summary(
                session=self.object, user=self.request.user, with_texts=False
            )
            context["evaluation"] = summary
            context["evaluation_rows"] = summary_rows(SessionEvaluationResponse, summary)
            context["minimum_group"] = MINIMUM_GROUP
        return context


# --- The participant's evaluation, and the asker's own overview ------------------------


class EvaluationCreateView(CapabilityRequiredMixin, FormView):
    """The code from the slip and the questions; answered once, stored anonymously."""

    required_capability = C.USE_PREVENTION
    template_name = "prevention/evaluation_form.html"
    form_class = EvaluationForm

    def form_valid(self, form: EvaluationForm) -> HttpResponse:
        try:
            services.submit_session_evaluation(
                code=form.cleaned_data["code"],
                answers=form.answers(),
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you for your evaluation."))
        return redirect("prevention:evaluation_create")


class MyRequestsView(CapabilityRequiredMixin, TemplateView):
    """The user's own session requests and advice questions, with their answers."""

    required_capability = C.USE_PREVENTION
    template_name = "prevention/my_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            sessions=session_requests_visible_to(user=user).filter(requested_by_id=user.pk),
            questions=advice_requests_visible_to(user=user).filter(asked_by_id=user.pk),
            **kwargs,
        )
