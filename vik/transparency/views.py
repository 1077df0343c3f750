"""Views of the transparency app: thin, on the core's base classes.

The works council's pages show published (protected, frozen) figures only: unit names,
category labels and counts, never a person. Everything else shows personal data and is
scoped by a selector and written to the access log like every other page of VIK.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count as CountOf
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from vik.csvexport import csv_writer
from vik.models import AccessAction, Employee
from vik.roles import Capability, Role
from vik.selectors import employee_of, excluded_employee_ids, has_capability
from vik.services import record_access, record_access_many
from vik.transparency import services
from vik.transparency.dashboard import measure_page, overview
from vik.transparency.disclosure import deferral_set
from vik.transparency.exports import render_export_pdf
from vik.transparency.forms import (
    AccessRequestForm,
    DeferralExtendForm,
    DeferralForm,
    LegalHoldForm,
    PrivacySettingsForm,
    ReasonForm,
    RetentionPolicyForm,
)
from vik.transparency.models import (
    AccessRequest,
    DisclosureDeferral,
    LoggingReportRender,
    PrivacySettings,
    PurgeRecord,
    RetentionPolicy,
)
from vik.transparency.registry import Audience, OwnDataRequest, RetentionCategory, get_registry
from vik.transparency.report import available_years
from vik.transparency.selectors import (
    access_requests_to_handle,
    deferrable_employees,
    deferrals_visible_to,
    describe_accesses,
    legal_holds_visible_to,
    logging_report_renders_visible_to,
    own_access_log,
    own_access_requests,
    publications_visible_to,
)
from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedDetailView,
    ScopedListView,
    acting_role,
    get_visible_or_404,
    htmx_template,
)

if TYPE_CHECKING:
    pass


def _reason(request: HttpRequest) -> str | None:
    """The reason posted with an action, or ``None`` (with a message) when it is missing."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        return str(form.cleaned_data["reason"])
    messages.error(request, _("Give a reason."))
    return None


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The works council's dashboard ------------------------------------------------------


class DashboardView(CapabilityRequiredMixin, TemplateView):
    """Every measure with its latest quarter and its trend."""

    required_capability = Capability.VIEW_AGGREGATES
    template_name = "transparency/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sections"] = overview(publications_visible_to(user=self.request.user))
        return context


class MeasureMixin(CapabilityRequiredMixin):
    required_capability = Capability.VIEW_AGGREGATES

    def measure_or_404(self, key: str) -> Any:
        try:
            return get_registry().measure(key)
        except KeyError:
            raise Http404 from None


class MeasureView(MeasureMixin, TemplateView):
    """One measure: the trend over quarters, and one quarter per unit; charts and tables."""

    template_name = "transparency/measure.html"

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "quarter")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure = self.measure_or_404(kwargs["key"])
        context["page"] = measure_page(
            measure,
            publications_visible_to(user=self.request.user),
            quarter_key=self.request.GET.get("quarter", ""),
        )
        context["measure"] = measure
        return context


class MeasureCsvView(MeasureMixin, View):
    """Every published figure of a measure, as printed ("×" and "–" included)."""

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        measure = self.measure_or_404(key)
        page = measure_page(measure, publications_visible_to(user=request.user))
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow([_("measure"), _("period"), _("unit"), _("category"), _("figure")])
        for row in page.csv_rows():
            writer.writerow([measure.key, *row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{measure.key}.csv"'
        return response


# --- The annual logging report ----------------------------------------------------------


class ReportListView(CapabilityRequiredMixin, TemplateView):
    required_capability = Capability.VIEW_AGGREGATES
    template_name = "transparency/report_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["years"] = [(year, year < today.year) for year in available_years(today=today)]
        context["detailed"] = has_capability(self.request.user, Capability.AUDIT_ACCESS_LOG)
        context["renders"] = list(logging_report_renders_visible_to(user=self.request.user)[:10])
        return context


class ReportRenderRequestView(CapabilityRequiredMixin, View):
    """Ask for the year's logging report; it is rendered in the background (a POST)."""

    required_capability = (Capability.VIEW_AGGREGATES, Capability.AUDIT_ACCESS_LOG)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, year: int, audience: str) -> HttpResponse:
        try:
            render = services.request_logging_report(
                year=year, audience=audience, acting_user=request.user
            )
        except ValidationError as error:
            raise Http404 from error
        return redirect("transparency:report_render", pk=render.pk)


class ReportRenderView(CapabilityRequiredMixin, TemplateView):
    """A rendering's progress, polled by htmx until the PDF is ready (then a download link).

    Progress says nothing about anyone, so polling it is not logged; the download of the
    detailed version is.
    """

    required_capability = (Capability.VIEW_AGGREGATES, Capability.AUDIT_ACCESS_LOG)
    template_name = "transparency/report_render.html"

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "status")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        render = get_object_or_404(
            logging_report_renders_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )
        return super().get_context_data(render=render, **kwargs)


class ReportRenderDownloadView(CapabilityRequiredMixin, View):
    """The rendered logging report: aggregate for the works council, with names for the
    privacy officer (that version is a print of personal data, and logged as one)."""

    required_capability = (Capability.VIEW_AGGREGATES, Capability.AUDIT_ACCESS_LOG)

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        render = get_object_or_404(logging_report_renders_visible_to(user=request.user), pk=pk)
        if render.status != LoggingReportRender.Status.DONE or not render.file:
            raise Http404
        if render.is_detailed:
            record_access(
                actor=request.user,
                action=AccessAction.PRINT,
                role=acting_role(request.user, Capability.AUDIT_ACCESS_LOG),
                employee=None,
                object_type="transparency.logging_report",
                object_id=str(render.year),
                purpose=_("Annual logging report (detailed)"),
            )
        response = FileResponse(
            render.file.open("rb"),
            as_attachment=True,
            filename=f"vik-logging-report-{render.year}-{render.audience}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "no-store"
        return response


# --- Mijn gegevens ----------------------------------------------------------------------


class SelfServiceMixin(CapabilityRequiredMixin):
    required_capability = Capability.USE_SELF_SERVICE

    def own_employee(self) -> Employee:
        employee = employee_of(self.request.user)
        if employee is None:
            raise Http404
        return employee


class MyDataView(SelfServiceMixin, TemplateView):
    """What VIK holds about me, who looked at my data, and my requests for access."""

    template_name = "transparency/my_data.html"
    looks_per_page = 25

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "looks")]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.employee = Employee.objects.select_related("unit", "team", "function").get(
            pk=self.own_employee().pk
        )
        response = super().get(request, *args, **kwargs)
        # Looking at one's own data is a look at personal data too (NEN 7513).
        record_access(
            actor=request.user,
            action=AccessAction.VIEW,
            role=self.role,
            employee=self.employee,
            object_type="transparency.own_data",
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        employee = self.employee
        deferrals = deferral_set(employee)
        entries = own_access_log(user=self.request.user)
        page = Paginator(entries, self.looks_per_page).get_page(self.request.GET.get("page"))
        by_role = (
            entries.order_by().values_list("actor_role").annotate(n=CountOf("id")).order_by("-n")
        )
        requests = list(own_access_requests(user=self.request.user))
        context.update(
            employee=employee,
            sections=get_registry().own_data(
                OwnDataRequest(employee, Audience.OVERVIEW, deferrals)
            ),
            page_obj=page,
            looks=describe_accesses(list(page.object_list), employee=employee),
            by_role=[
                (Role(role).label if role else _("Automatic processing"), n) for role, n in by_role
            ],
            requests=requests,
            has_open_request=any(request.is_open for request in requests),
            settings=PrivacySettings.current(),
        )
        return context


class AccessRequestCreateView(SelfServiceMixin, FormView):
    """Ask for a copy of everything VIK holds about me (GDPR art. 15)."""

    template_name = "transparency/access_request_form.html"
    form_class = AccessRequestForm

    def form_valid(self, form: AccessRequestForm) -> HttpResponse:
        try:
            services.submit_access_request(
                employee=self.own_employee(),
                note=form.cleaned_data["note"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request has been received. You will have an answer within one month."),
        )
        return redirect("transparency:my_data")


def _export_response(
    request: HttpRequest, access_request: AccessRequest, fmt: str, role: Role | None
) -> HttpResponse:
    if access_request.export is None:
        raise Http404
    filename = f"vik-inzage-{access_request.received_on:%Y%m%d}"
    if fmt == "json":
        action, body = (
            AccessAction.EXPORT,
            json.dumps(access_request.export, ensure_ascii=False, indent=2).encode(),
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "pdf":
        action = AccessAction.PRINT
        response = HttpResponse(
            render_export_pdf(access_request.export), content_type="application/pdf"
        )
    else:
        raise Http404
    record_access(
        actor=request.user,
        action=action,
        role=role,
        employee=access_request.employee_id,
        obj=access_request,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class MyExportView(SelfServiceMixin, View):
    """The employee downloads the answer to their own request."""

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        access_request = get_visible_or_404(
            own_access_requests, request.user, pk=pk, completed_at__isnull=False
        )
        return _export_response(request, access_request, fmt, self.role)


# --- Requests for access: the privacy officer -----------------------------------------


class AccessRequestMixin(CapabilityRequiredMixin):
    required_capability = Capability.AUDIT_ACCESS_LOG


class AccessRequestListView(AccessRequestMixin, ScopedListView):
    """Open requests first, nearest deadline first."""

    template_name = "transparency/access_request_list.html"
    selector = staticmethod(access_requests_to_handle)

    def get_queryset(self) -> QuerySet[AccessRequest]:
        # Open requests (not answered yet) first, on every database.
        return (
            super()
            .get_queryset()
            .order_by(F("completed_at").desc(nulls_first=True), "due_on", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class AccessRequestDetailView(AccessRequestMixin, ScopedDetailView):
    template_name = "transparency/access_request_detail.html"
    selector = staticmethod(access_requests_to_handle)
    context_object_name = "access_request"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        access_request = self.object
        return super().get_context_data(
            today=today,
            may_extend=access_request.is_open
            and access_request.extended_due_on is None
            and today <= access_request.due_on,
            **kwargs,
        )


class AccessRequestHistoryView(AccessRequestMixin, ObjectHistoryView):
    selector = staticmethod(access_requests_to_handle)


class AccessRequestExtendView(AccessRequestMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access_request = get_visible_or_404(access_requests_to_handle, request.user, pk=pk)
        reason = _reason(request)
        if reason is not None:
            try:
                services.extend_access_request(
                    request=access_request, reason=reason, acting_user=request.user
                )
                messages.success(request, _("The term is extended and the employee is told."))
            except ValidationError as error:
                _refused(request, error)
        return redirect("transparency:access_request_detail", pk=pk)


class AccessRequestCompleteView(AccessRequestMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access_request = get_visible_or_404(access_requests_to_handle, request.user, pk=pk)
        try:
            services.complete_access_request(request=access_request, acting_user=request.user)
            messages.success(request, _("The copy is ready and the employee is told."))
        except ValidationError as error:
            _refused(request, error)
        return redirect("transparency:access_request_detail", pk=pk)


class AccessRequestExportView(AccessRequestMixin, View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        access_request = get_visible_or_404(access_requests_to_handle, request.user, pk=pk)
        return _export_response(request, access_request, fmt, self.role)


# --- Disclosure deferrals -------------------------------------------------------------


class DeferralListView(CapabilityRequiredMixin, ListView):
    """The commissioner's deferrals in their units; every deferral for the privacy officer."""

    required_capability = (Capability.AUDIT_ACCESS_LOG, Capability.DEFER_DISCLOSURE)
    template_name = "transparency/deferral_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[DisclosureDeferral]:
        return deferrals_visible_to(user=self.request.user).order_by("lifted_at", "ends_on", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = context["object_list"]
        record_access_many(
            actor=self.request.user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees={deferral.employee_id for deferral in shown},
            object_type=DisclosureDeferral._meta.label_lower,
            query=self.request.GET.urlencode(),
        )
        labels = {c.key: c.label for c in get_registry().disclosure_categories()}
        context.update(
            rows=[
                (deferral, labels.get(deferral.category, deferral.category)) for deferral in shown
            ],
            may_defer=has_capability(self.request.user, Capability.DEFER_DISCLOSURE),
        )
        return context


class DeferralCreateView(CapabilityRequiredMixin, FormView):
    required_capability = Capability.DEFER_DISCLOSURE
    template_name = "transparency/deferral_form.html"
    form_class = DeferralForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "allowed_employees": deferrable_employees(user=self.request.user),
        }

    def form_valid(self, form: DeferralForm) -> HttpResponse:
        try:
            services.defer_disclosure(
                employee=form.cleaned_data["employee"],
                category=form.cleaned_data["category"],
                object_ref=form.object_ref,
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data["ends_on"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Disclosure is deferred; the privacy officer is told."))
        return redirect("transparency:deferral_list")


class DeferralHistoryView(ObjectHistoryView):
    required_capability = (Capability.AUDIT_ACCESS_LOG, Capability.DEFER_DISCLOSURE)
    selector = staticmethod(deferrals_visible_to)


class DeferralExtendView(CapabilityRequiredMixin, View):
    required_capability = Capability.DEFER_DISCLOSURE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        deferral = get_visible_or_404(deferrals_visible_to, request.user, pk=pk)
        form = DeferralExtendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a new end date and a reason."))
            return redirect("transparency:deferral_list")
        try:
            services.extend_deferral(
                deferral=deferral,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(request, _("The deferral is extended."))
        except ValidationError as error:
            _refused(request, error)
        return redirect("transparency:deferral_list")


class DeferralLiftView(CapabilityRequiredMixin, View):
    required_capability = Capability.DEFER_DISCLOSURE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        deferral = get_visible_or_404(deferrals_visible_to, request.user, pk=pk)
        reason = _reason(request)
        if reason is not None:
            try:
                services.lift_deferral(deferral=deferral, reason=reason, acting_user=request.user)
                messages.success(request, _("The deferral has ended; the employee is told."))
            except ValidationError as error:
                _refused(request, error)
        return redirect("transparency:deferral_list")


# --- Retention ------------------------------------------------------------------------


class RetentionView(CapabilityRequiredMixin, TemplateView):
    """Periods per category, purges carried out, and (for the privacy officer) legal holds."""

    required_capability = (Capability.MANAGE_ORGANISATION, Capability.AUDIT_ACCESS_LOG)
    template_name = "transparency/retention.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        policies = {p.category: p for p in RetentionPolicy.objects.all()}
        # (category, the administrator's policy or None, whether it is purged yet): templates
        # would call the purge function if they were handed it.
        registered = get_registry().retention_categories()
        labels = {category.key: category.label for category in registered}
        categories = [
            (
                category,
                policies.get(category.key),
                category.purge is not None,
                labels.get(category.follows, category.follows) if category.follows else "",
            )
            for category in registered
        ]
        holds = list(
            legal_holds_visible_to(user=self.request.user).filter(released_at__isnull=True)
        )
        if holds:
            record_access_many(
                actor=self.request.user,
                action=AccessAction.SEARCH,
                role=self.role,
                employees={hold.employee_id for hold in holds},
                object_type="transparency.legalhold",
            )
        # How much each hold keeps aside (counts only: what is kept is not shown here).
        kept = get_registry().hold_store_counts([hold.pk for hold in holds])
        # Records and holds store the category's key; people read its label (a category no
        # longer registered keeps its key, so nothing is hidden).
        records = list(PurgeRecord.objects.select_related("run_by")[:25])
        context.update(
            categories=categories,
            records=[(record, labels.get(record.category, record.category)) for record in records],
            holds=[
                (hold, kept.get(hold.pk, 0), labels.get(hold.category, hold.category))
                for hold in holds
            ],
            may_edit=has_capability(self.request.user, Capability.MANAGE_ORGANISATION),
            may_hold=has_capability(self.request.user, Capability.AUDIT_ACCESS_LOG),
        )
        return context


class RetentionEditView(CapabilityRequiredMixin, FormView):
    required_capability = Capability.MANAGE_ORGANISATION
    template_name = "transparency/retention_form.html"
    form_class = RetentionPolicyForm

    @cached_property
    def category(self) -> RetentionCategory:
        try:
            category = get_registry().retention_category(self.kwargs["category"])
        except KeyError:
            raise Http404 from None
        if category.follows:
            raise Http404  # no period of its own
        return category

    @cached_property
    def policy(self) -> RetentionPolicy | None:
        return RetentionPolicy.objects.filter(category=self.category.key).first()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "instance": self.policy
            or RetentionPolicy(
                category=self.category.key, period_months=self.category.default_months
            ),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        history = (
            self.policy.history.select_related("history_user").order_by("-history_date")
            if self.policy
            else []
        )
        return super().get_context_data(category=self.category, history=history, **kwargs)

    def form_valid(self, form: RetentionPolicyForm) -> HttpResponse:
        try:
            policy = services.set_retention_policy(
                category=self.category.key,
                period_months=form.cleaned_data["period_months"],
                legal_hold=form.cleaned_data["legal_hold"],
                legal_hold_reason=form.cleaned_data["legal_hold_reason"],
                acting_user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if policy.period_months < form.cleaned_data["period_months"]:
            # A longer period is a protocol change: proposed, not yet in effect.
            messages.warning(
                self.request,
                _(
                    "A longer retention period needs the works council's consent: it is "
                    "proposed, and the current period stays until the council consents."
                ),
            )
        else:
            messages.success(self.request, _("The retention period is saved."))
        return redirect("transparency:retention")


class LegalHoldCreateView(CapabilityRequiredMixin, FormView):
    required_capability = Capability.AUDIT_ACCESS_LOG
    template_name = "transparency/legal_hold_form.html"
    form_class = LegalHoldForm

    def get_form_kwargs(self) -> dict[str, Any]:
        # Anyone but the officer themself and those they are conflicted with.
        allowed = Employee.objects.exclude(id__in=excluded_employee_ids(user=self.request.user))
        return {**super().get_form_kwargs(), "allowed_employees": allowed.values("id")}

    def form_valid(self, form: LegalHoldForm) -> HttpResponse:
        try:
            services.place_legal_hold(
                employee=form.cleaned_data["employee"],
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The legal hold is placed."))
        return redirect("transparency:retention")


class LegalHoldReleaseView(CapabilityRequiredMixin, View):
    required_capability = Capability.AUDIT_ACCESS_LOG

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        hold = get_visible_or_404(legal_holds_visible_to, request.user, pk=pk)
        reason = _reason(request)
        if reason is not None:
            try:
                services.release_legal_hold(hold=hold, reason=reason, acting_user=request.user)
                messages.success(request, _("The legal hold is released."))
            except ValidationError as error:
                _refused(request, error)
        return redirect("transparency:retention")


# --- Privacy settings -------------------------------------------------------------------


class PrivacySettingsView(CapabilityRequiredMixin, FormView):
    """What employees are told about who looked at their data; every change in the history."""

    required_capability = Capability.AUDIT_ACCESS_LOG
    template_name = "transparency/privacy_settings.html"
    form_class = PrivacySettingsForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": PrivacySettings.current()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        history = PrivacySettings.history.select_related("history_user").order_by("-history_date")
        return super().get_context_data(history=history[:20], **kwargs)

    def form_valid(self, form: PrivacySettingsForm) -> HttpResponse:
        services.update_privacy_settings(
            name_disclosure=form.cleaned_data["name_disclosure"],
            unclaimed_after_days=form.cleaned_data["unclaimed_after_days"],
            max_deferral_days=form.cleaned_data["max_deferral_days"],
            acting_user=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, _("The privacy settings are saved."))
        return redirect("transparency:privacy_settings")
