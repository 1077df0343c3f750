"""Views of the screening app: thin — capability, selector, form, service, render.

Officer pages need ``HANDLE_SCREENING`` and read through the ``*_visible_to`` selectors (an
employee outside the officer's units answers 404); the employee's pages need
``USE_SELF_SERVICE`` and read only through the ``own_*`` selectors.

The employee looking at their own screening is not written to the access log: the log
answers "who looked at my data", and the person themself is not the answer anyone needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from cases.selectors import triaged_reference
from screening import rules, services
from screening.filters import DossierFilter
from screening.forms import (
    CloseDossierForm,
    EmptyForm,
    EvaluationForm,
    HitForm,
    InterviewForm,
    OpenDossierForm,
    SelfReportForm,
)
from screening.models import EvaluationInvitation, EvaluationResponse, ScreeningDossier
from screening.selectors import (
    dossiers_visible_to,
    evaluation_invitations_visible_to,
    evaluation_responses_visible_to,
    own_screening_status,
    own_self_reports,
)
from screening.statistics import MINIMUM_GROUP, evaluation_summary
from vik.confirm import BACK, carried_fields, dry_run, is_confirmed, read_back
from vik.roles import Capability
from vik.sorting import choice_order, sort, sort_columns
from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedDetailView,
    ScopedListView,
    get_visible_or_404,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# --- The officer's worklist and dossiers ----------------------------------------------


class WorklistView(ScopedListView):
    """Open dossiers of the units the officer screens: re-screenings, hits, self-reports."""

    required_capability = Capability.HANDLE_SCREENING
    selector = staticmethod(dossiers_visible_to)
    template_name = "screening/worklist.html"

    # Sortable columns (vik.sorting). Without a sort in the URL: open work by what is due
    # first, closed work newest first (the filter's own order).
    SORTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "reference": ("opened_on__year", "id"),
        "employee": ("employee__last_name", "employee__first_name"),
        "unit": ("employee__unit__name",),
        "kind": ("kind",),
        "status": ("status_order",),
        "due": ("due_on",),
        "closed": ("closed_on",),
    }

    def default_sort(self) -> str:
        return "-closed" if self.request.GET.get("state") == DossierFilter.State.CLOSED else "due"

    def get_queryset(self) -> QuerySet[ScreeningDossier]:
        self.filterset = DossierFilter(
            self.request.GET, queryset=super().get_queryset(), request=self.request
        )
        dossiers = self.filterset.qs.annotate(
            status_order=choice_order("status", ScreeningDossier.Status.values)
        )
        return sort(dossiers, self.request.GET.get("sort"), self.SORTS, self.default_sort())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["sorts"] = sort_columns(
            self.request.GET, self.request.GET.get("sort"), self.SORTS, self.default_sort()
        )
        today = timezone.localdate()
        open_dossiers = dossiers_visible_to(user=self.request.user).exclude(
            status=ScreeningDossier.Status.CLOSED
        )
        # One query for the four counters above the list.
        counters = open_dossiers.aggregate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            new_hits=Count(
                "id",
                filter=Q(
                    kind=ScreeningDossier.Kind.CONTINUOUS_HIT,
                    status=ScreeningDossier.Status.NEW,
                ),
            ),
            new_self_reports=Count(
                "id",
                filter=Q(
                    kind=ScreeningDossier.Kind.SELF_REPORT, status=ScreeningDossier.Status.NEW
                ),
            ),
            unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
        )
        return super().get_context_data(
            filter=self.filterset, counters=counters, today=today, **kwargs
        )


@dataclass(frozen=True)
class DossierAction:
    """One thing an officer can do to a dossier: its form and the service it calls.

    ``irreversible`` says what cannot be undone: the officer confirms on a plain page first.
    """

    form_class: type[forms.Form]
    perform: Callable[[ScreeningDossier, dict[str, Any], User], object]
    done: str | Promise
    irreversible: str | Promise | None = None
    title: str | Promise = ""


ACTIONS: dict[str, DossierAction] = {
    "take": DossierAction(
        EmptyForm,
        lambda dossier, data, user: services.take_dossier(dossier=dossier, acting_user=user),
        gettext_lazy("The dossier is assigned to you."),
    ),
    "interview": DossierAction(
        InterviewForm,
        lambda dossier, data, user: services.record_interview(
            dossier=dossier, held_on=data["held_on"], notes=data["notes"], acting_user=user
        ),
        gettext_lazy("The screening interview is recorded."),
    ),
    "close": DossierAction(
        CloseDossierForm,
        lambda dossier, data, user: services.close_dossier(
            dossier=dossier,
            outcome=ScreeningDossier.Outcome(data["outcome"]),
            reason=data["reason"],
            closed_on=data["closed_on"],
            intake_summary=data["intake_summary"],
            kinds=data["kinds"],
            acting_user=user,
        ),
        gettext_lazy("The dossier is closed."),
        irreversible=gettext_lazy(
            "A closed dossier cannot be reopened and the employee is told there is news. "
            "Referred for an integrity investigation: the report is registered with VIK's "
            "intake at once, with only the text you wrote for intake."
        ),
        title=gettext_lazy("Close the dossier"),
    ),
}


class DossierDetailView(ScopedDetailView):
    """One dossier with the employee's screening facts and the actions open to the officer."""

    required_capability = Capability.HANDLE_SCREENING
    selector = staticmethod(dossiers_visible_to)
    template_name = "screening/dossier_detail.html"
    context_object_name = "dossier"

    def get_queryset(self) -> QuerySet[ScreeningDossier]:
        return (
            super()
            .get_queryset()
            .select_related("employee__function", "hit", "self_report", "evaluation_invitation")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dossier: ScreeningDossier = self.object
        bound: dict[str, forms.Form] = kwargs.get("bound_forms", {})
        available = self.available_actions(dossier)
        context["forms"] = {
            name: bound.get(name) or ACTIONS[name].form_class(prefix=name) for name in available
        }
        terms = rules.policy_for(dossier.employee)
        last = rules.last_screened_on(dossier.employee)
        context.update(
            terms=terms,
            last_screened_on=last,
            next_due_on=rules.next_due_on(last, terms),
            is_overdue=dossier.is_open and dossier.due_on < timezone.localdate(),
            referral_reference=triaged_reference(dossier.referral_case_id),
        )
        return context

    def available_actions(self, dossier: ScreeningDossier) -> list[str]:
        if not dossier.is_open:
            return []
        if dossier.assigned_to_id != self.request.user.pk:
            return ["take"]
        return ["interview", "close"]


class DossierActionView(DossierDetailView):
    """POST one action; on a refusal the dossier page shows again with the reason."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = ACTIONS.get(kwargs["action"])
        if action is None:
            raise Http404
        self.object = self.get_object()
        form = action.form_class(request.POST, prefix=kwargs["action"])
        status = 422
        if form.is_valid() and action.irreversible and not is_confirmed(request.POST):
            if BACK in request.POST:
                status = 200  # back to the filled-in form, nothing done
            else:
                # A refusal by the rules shows on the form now, not after the confirmation.
                refusal = dry_run(
                    lambda: action.perform(self.object, form.cleaned_data, request.user)  # type: ignore[arg-type]
                )
                if refusal is None:
                    return self.confirm(action, form)
                form.add_error(None, refusal)
        elif form.is_valid():
            try:
                action.perform(self.object, form.cleaned_data, request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, str(action.done))
                return redirect("screening:dossier_detail", pk=self.object.pk)
        self.log_view(self.object)
        context = self.get_context_data(object=self.object, bound_forms={kwargs["action"]: form})
        return self.render_to_response(context, status=status)

    def confirm(self, action: DossierAction, form: forms.Form) -> HttpResponse:
        """A plain page that reads the values back and says what cannot be undone."""
        self.log_view(self.object)
        carried = carried_fields(self.request.POST)
        summary = read_back(form)
        return render(
            self.request,
            "screening/confirm.html",
            {
                "dossier": self.object,
                "action": action,
                "carried": carried,
                "summary": summary,
                "post_url": self.request.path,
            },
        )


class DossierHistoryView(ObjectHistoryView):
    """The history trail of one dossier."""

    required_capability = Capability.HANDLE_SCREENING
    selector = staticmethod(dossiers_visible_to)


class OfficerFormView(CapabilityRequiredMixin, FormView):
    """A form for screening officers; the form's employee lookup is limited to their units."""

    required_capability = Capability.HANDLE_SCREENING

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}


class DossierCreateView(OfficerFormView):
    """Open an initial screening or a re-screening by hand."""

    template_name = "screening/dossier_form.html"
    form_class = OpenDossierForm

    def form_valid(self, form: OpenDossierForm) -> HttpResponse:
        try:
            dossier = services.open_dossier(
                employee=form.cleaned_data["employee"],
                kind=ScreeningDossier.Kind(form.cleaned_data["kind"]),
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Dossier %(ref)s is open.") % {"ref": dossier.reference})
        return redirect("screening:dossier_detail", pk=dossier.pk)


class HitCreateView(OfficerFormView):
    """Register a continuous-screening notification; the unit's officers are told."""

    template_name = "screening/hit_form.html"
    form_class = HitForm

    def form_valid(self, form: HitForm) -> HttpResponse:
        try:
            dossier = services.register_hit(
                employee=form.cleaned_data["employee"],
                received_on=form.cleaned_data["received_on"],
                source_reference=form.cleaned_data["source_reference"],
                reported_by=form.cleaned_data["reported_by"],
                offence=form.cleaned_data["offence"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The notification is registered in dossier %(ref)s.") % {"ref": dossier.reference},
        )
        return redirect("screening:dossier_detail", pk=dossier.pk)


class EvaluationResultsView(CapabilityRequiredMixin, TemplateView):
    """The anonymous evaluations of the officer's units, aggregated (never one answer)."""

    required_capability = Capability.HANDLE_SCREENING
    template_name = "screening/evaluation_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        responses = evaluation_responses_visible_to(user=self.request.user)
        years = sorted(set(responses.values_list("year", flat=True)), reverse=True)
        year = _int_param(self.request.GET.get("year"), years[0] if years else None)
        quarter = _int_param(self.request.GET.get("quarter"), None)
        if quarter not in (None, 1, 2, 3, 4):
            quarter = None
        summary = (
            evaluation_summary(responses=responses, year=year, quarter=quarter)
            if year is not None
            else None
        )
        fields = {f.name: f for f in EvaluationResponse._meta.fields}
        context.update(
            years=years,
            year=year,
            quarter=quarter,
            summary=summary,
            minimum_group=MINIMUM_GROUP,
            questions=fields,
            rating_labels=dict(EvaluationResponse.Rating.choices),
        )
        if summary and not summary.get("suppressed"):
            context["rating_rows"] = [
                (fields[name].verbose_name, summary["ratings"][name])
                for name in EvaluationResponse.RATING_FIELDS
            ]
            context["choice_rows"] = [
                (
                    fields[name].verbose_name,
                    [
                        (label, summary["choices"][name][value])
                        for value, label in fields[name].choices or ()
                    ],
                )
                for name in EvaluationResponse.CHOICE_FIELDS
            ]
            context["text_rows"] = [
                (fields[name].verbose_name, summary["texts"][name])
                for name in EvaluationResponse.TEXT_FIELDS
            ]
        return context


def _int_param(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


# --- The employee's own pages ---------------------------------------------------------


class SelfServiceMixin(CapabilityRequiredMixin):
    required_capability = Capability.USE_SELF_SERVICE


class MyScreeningView(SelfServiceMixin, TemplateView):
    """My screening: when I was screened, when I am due, my reports and open evaluations."""

    template_name = "screening/my_screening.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["status"] = own_screening_status(user=self.request.user)
        context["reports"] = own_self_reports(user=self.request.user)
        return context


class SelfReportCreateView(SelfServiceMixin, FormView):
    """Report a change under the duty to report (meldplicht)."""

    template_name = "screening/self_report_form.html"
    form_class = SelfReportForm

    def form_valid(self, form: SelfReportForm) -> HttpResponse:
        try:
            services.submit_self_report(
                category=form.cleaned_data["category"],
                occurred_on=form.cleaned_data["occurred_on"],
                description=form.cleaned_data["description"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you. Your report has been received by the screening officers of your unit."),
        )
        return redirect("screening:my_screening")


class EvaluationCreateView(SelfServiceMixin, FormView):
    """The 11 questions after a screening interview; answered once, stored anonymously."""

    template_name = "screening/evaluation_form.html"
    form_class = EvaluationForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.invitation = self.open_invitation()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.invitation = self.open_invitation()
        return super().post(request, *args, **kwargs)

    def open_invitation(self) -> EvaluationInvitation:
        """The user's own unanswered invitation; anyone else's (or a used one) is a 404."""
        return get_visible_or_404(
            evaluation_invitations_visible_to,
            self.request.user,
            pk=self.kwargs["pk"],
            answered=False,
        )

    def form_valid(self, form: EvaluationForm) -> HttpResponse:
        try:
            services.submit_evaluation(
                invitation=self.invitation,
                answers=form.cleaned_data,
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you for your evaluation."))
        return redirect("screening:my_screening")
