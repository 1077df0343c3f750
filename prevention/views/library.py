"""The dilemma library: every employee reads it; coordinators write and keep it.

Dilemmas hold no personal data (lessons are anonymised and approved before they appear),
so reading them is not written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from prevention import services
from prevention.filters import DilemmaFilter
from prevention.forms import DilemmaForm, ReasonForm
from prevention.models import Dilemma
from prevention.selectors import dilemmas_visible_to
from vik.roles import Capability
from vik.selectors import has_capability
from vik.views.base import (
    CapabilityRequiredMixin,
    VisibleObjectsMixin,
    get_visible_or_404,
    htmx_template,
)

C = Capability
READERS = (C.USE_PREVENTION, C.COORDINATE_PREVENTION, C.APPROVE_LESSONS)


class DilemmaListView(CapabilityRequiredMixin, VisibleObjectsMixin, ListView):
    """Search the library: words, kind of violation, source. Coordinators also see drafts."""

    required_capability = READERS
    selector = staticmethod(dilemmas_visible_to)
    template_name = "prevention/dilemma_list.html"
    paginate_by = 20

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "results")]

    def get_queryset(self) -> QuerySet[Dilemma]:
        queryset = super().get_queryset().prefetch_related("kinds")
        # Readers see the library; coordinators too, unless they ask for drafts or all states.
        if (
            not has_capability(self.request.user, C.COORDINATE_PREVENTION)
            or "status" not in self.request.GET
        ):
            queryset = queryset.filter(status=Dilemma.Status.PUBLISHED)
        self.filterset = DilemmaFilter(self.request.GET, queryset=queryset)
        return self.filterset.qs.order_by("title", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter=self.filterset,
            is_coordinator=has_capability(self.request.user, C.COORDINATE_PREVENTION),
            **kwargs,
        )


class DilemmaDetailView(CapabilityRequiredMixin, VisibleObjectsMixin, DetailView):
    """One dilemma: the situation, the questions to ask yourself, the rules."""

    required_capability = READERS
    selector = staticmethod(dilemmas_visible_to)
    template_name = "prevention/dilemma_detail.html"
    context_object_name = "dilemma"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dilemma: Dilemma = self.object
        coordinator = has_capability(self.request.user, C.COORDINATE_PREVENTION)
        context["can_edit"] = (
            coordinator
            and dilemma.source == Dilemma.Source.LIBRARY
            and dilemma.status != Dilemma.Status.WITHDRAWN
        )
        context["can_withdraw"] = coordinator and dilemma.is_published
        context["withdraw_form"] = ReasonForm(prefix="withdraw")
        return context


class DilemmaFormView(CapabilityRequiredMixin, FormView):
    """Write a new library dilemma, or edit one (lessons keep their approved text)."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/dilemma_form.html"
    form_class = DilemmaForm
    dilemma: Dilemma | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if "pk" in kwargs and has_capability(request.user, C.COORDINATE_PREVENTION):
            self.dilemma = get_visible_or_404(
                dilemmas_visible_to, request.user, pk=kwargs["pk"], source=Dilemma.Source.LIBRARY
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.dilemma}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(dilemma=self.dilemma, **kwargs)

    def form_valid(self, form: DilemmaForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            dilemma = services.save_dilemma(
                dilemma=self.dilemma,
                title=data["title"],
                situation=data["situation"],
                questions=data["questions"],
                rules_text=data["rules"],
                kinds=data["kinds"],
                unit=data["unit"],
                publish=data["publish"],
                acting_user=self.request.user,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The dilemma is saved."))
        return redirect("prevention:dilemma_detail", pk=dilemma.pk)


class DilemmaWithdrawView(CapabilityRequiredMixin, FormView):
    """Take a published dilemma or lesson out of the library."""

    required_capability = C.COORDINATE_PREVENTION
    http_method_names = ["post"]
    form_class = ReasonForm
    prefix = "withdraw"
    dilemma: Dilemma

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.dilemma = get_visible_or_404(dilemmas_visible_to, request.user, pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ReasonForm) -> HttpResponse:
        dilemma = self.dilemma
        try:
            services.withdraw_dilemma(
                dilemma=dilemma, reason=form.cleaned_data["reason"], acting_user=self.request.user
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, _("The dilemma is withdrawn from the library."))
        return redirect("prevention:dilemma_detail", pk=dilemma.pk)

    def form_invalid(self, form: ReasonForm) -> HttpResponse:
        messages.error(self.request, _("Say why it is withdrawn."))
        return redirect("prevention:dilemma_detail", pk=self.dilemma.pk)
