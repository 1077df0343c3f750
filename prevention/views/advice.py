"""Advice questions: asked by anyone, handled like a small case by a coordinator."""

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
from django.views.generic import FormView

from prevention import services
from prevention.filters import AdviceFilter
from prevention.forms import AdviceForm, AnswerForm, EmptyForm
from prevention.models import AdviceRequest, PreventionSettings
from prevention.selectors import advice_requests_visible_to, coordinated_advice_requests
from prevention.views.base import Action, ActionPostMixin, ActionsMixin, NotOwnLooksMixin
from vik.roles import Capability
from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedDetailView,
    ScopedListView,
)

C = Capability


class AdviceSubjectMixin(NotOwnLooksMixin):
    """An advice question is about the one who asked it."""

    def subject_of(self, obj: Model) -> int | None:
        return getattr(obj, "asker_id", None)


class AdviceListView(AdviceSubjectMixin, ScopedListView):
    """The questions of the coordinator's units."""

    required_capability = C.COORDINATE_PREVENTION
    selector = staticmethod(coordinated_advice_requests)
    template_name = "prevention/advice_list.html"

    def get_queryset(self) -> QuerySet[AdviceRequest]:
        queryset = (
            super()
            .get_queryset()
            .select_related("asker", "asker__unit", "asker__team", "assigned_to")
        )
        self.filterset = AdviceFilter(self.request.GET, queryset=queryset)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter=self.filterset, today=timezone.localdate(), **kwargs)


class AdviceCreateView(CapabilityRequiredMixin, FormView):
    """Anyone asks prevention and advice a question."""

    required_capability = C.USE_PREVENTION
    template_name = "prevention/advice_form.html"
    form_class = AdviceForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        term = PreventionSettings.load().first_answer_working_days
        return super().get_context_data(term=term, **kwargs)

    def form_valid(self, form: AdviceForm) -> HttpResponse:
        try:
            request = services.ask_advice(
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                question=form.cleaned_data["question"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your question %(ref)s has been sent to the prevention coordinators of your unit.")
            % {"ref": request.reference},
        )
        return redirect("prevention:advice_detail", pk=request.pk)


ACTIONS: dict[str, Action] = {
    "take": Action(
        EmptyForm,
        lambda obj, data, user: services.take_advice_request(request=obj, acting_user=user),
        gettext_lazy("The question is assigned to you."),
    ),
    "answer": Action(
        AnswerForm,
        lambda obj, data, user: services.answer_advice_request(
            request=obj, answer=data["answer"], kinds=data["kinds"], acting_user=user
        ),
        gettext_lazy("The answer is sent; the asker has been told."),
    ),
    "close": Action(
        EmptyForm,
        lambda obj, data, user: services.close_advice_request(request=obj, acting_user=user),
        gettext_lazy("The question is closed."),
    ),
}


class AdviceDetailView(AdviceSubjectMixin, ActionsMixin, ScopedDetailView):
    """One question: for the coordinators of the asker's unit, and for the asker."""

    required_capability = (C.COORDINATE_PREVENTION, C.USE_PREVENTION)
    selector = staticmethod(advice_requests_visible_to)
    template_name = "prevention/advice_detail.html"
    context_object_name = "advice"
    actions = ACTIONS
    detail_url_name = "prevention:advice_detail"

    def get_queryset(self) -> QuerySet[AdviceRequest]:
        return super().get_queryset().prefetch_related("violation_kinds__kind")

    def handles(self, obj: AdviceRequest) -> bool:
        if not hasattr(self, "_handles"):
            self._handles = (
                coordinated_advice_requests(user=self.request.user).filter(pk=obj.pk).exists()
            )
        return self._handles

    def available_actions(self, obj: AdviceRequest) -> list[str]:
        if not self.handles(obj):
            return []
        status = AdviceRequest.Status
        if obj.status == status.SUBMITTED:
            return ["take"]
        if obj.status == status.ASSIGNED:
            return ["answer"] if obj.assigned_to_id == self.request.user.pk else ["take"]
        if obj.status == status.ANSWERED:
            return ["close"]
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["handles"] = self.handles(self.object)
        context["today"] = timezone.localdate()
        return context


class AdviceActionView(ActionPostMixin, AdviceDetailView):
    """POST one action on a question."""


class AdviceHistoryView(ObjectHistoryView):
    required_capability = C.COORDINATE_PREVENTION
    selector = staticmethod(coordinated_advice_requests)

    def subject_of(self, obj: Model) -> int | None:
        return getattr(obj, "asker_id", None)
