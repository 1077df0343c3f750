"""Pages of the cases app: the case list, intake, the case and its tabs, overviews."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from cases import protocol, services
from cases.forms import CaseFilter, JournalForm, PeriodForm, ReportForm, RevealForm
from cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    Interview,
    Punishment,
    ReporterNotice,
)
from cases.selectors import (
    cases_visible_to,
    complaints_visible_to,
    deadline_overview,
    deadlines_visible_to,
    document_requests_visible_to,
    employees_for_case_forms,
    evidence_visible_to,
    forwarded_signals_visible_to,
    interviews_visible_to,
    investigator_assignments_visible_to,
    journal_entries_visible_to,
    letters_visible_to,
    methods_visible_to,
    parties_visible_to,
    report_renders_visible_to,
    report_versions_visible_to,
    reporter_identities_visible_to,
    reporter_notices_visible_to,
    triage_statistics,
)
from cases.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES
from cases.views.base import (
    CASE_STAFF,
    COMMISSIONER,
    AnyCapabilityMixin,
    CaseMixin,
    CaseObjectMixin,
)
from vik.models import AccessAction, Unit
from vik.roles import Capability, UnitScope
from vik.selectors import unit_ids_in_scope
from vik.services import record_access, record_access_many
from vik.sorting import choice_order, sort, sort_columns
from vik.views.base import ObjectHistoryView, VisibleObjectsMixin, htmx_template


class CaseListView(AnyCapabilityMixin, VisibleObjectsMixin, ListView):
    """The cases this user sees: to triage, to investigate, or registered and awaiting triage."""

    selector = staticmethod(cases_visible_to)
    template_name = "cases/case_list.html"
    paginate_by = 25

    # Sortable columns (vik.sorting); the newest report first unless the URL says else.
    SORTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "reference": ("reference",),
        "received": ("received_at",),
        "status": ("status_order",),
        "deadline": ("investigation__due_on",),
    }
    DEFAULT_SORT = "-received"

    def get_queryset(self) -> QuerySet[Case]:
        self.filterset = CaseFilter(self.request.GET, queryset=super().get_queryset())
        # The status in the order of the procedure, not of its code.
        status_order = choice_order("status", CaseStatus.values)
        cases = sort(
            self.filterset.qs.select_related("investigation").annotate(status_order=status_order),
            self.request.GET.get("sort"),
            self.SORTS,
            self.DEFAULT_SORT,
        )
        return cases.prefetch_related(
            Prefetch(
                "parties",
                queryset=CaseParty.objects.filter(role=CaseParty.Role.CONCERNED).select_related(
                    "employee"
                ),
                to_attr="concerned",
            )
        )

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "results")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sorts = sort_columns(
            self.request.GET, self.request.GET.get("sort"), self.SORTS, self.DEFAULT_SORT
        )
        return super().get_context_data(filter=self.filterset, sorts=sorts, **kwargs)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # One entry per person concerned shown on this page of the list.
        employees = {
            party.employee_id for case in context["object_list"] for party in case.concerned
        }
        record_access_many(
            actor=self.request.user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=sorted(employees),
            object_type=Case._meta.label_lower,
            query=self.request.GET.urlencode(),
        )
        return super().render_to_response(context, **kwargs)


class ReportCreateView(AnyCapabilityMixin, FormView):
    """Intake: register a report from any channel."""

    required_capability = (Capability.REGISTER_REPORTS,)
    template_name = "cases/report_form.html"
    form_class = ReportForm

    def get_form_kwargs(self) -> dict[str, Any]:
        units = Unit.objects.filter(
            id__in=unit_ids_in_scope(
                user=self.request.user, scopes=(UnitScope.INVESTIGATE, UnitScope.HEAD)
            ),
            parent__isnull=True,
        )
        return {
            **super().get_form_kwargs(),
            "units": units,
            "employees": employees_for_case_forms(user=self.request.user),
        }

    def form_valid(self, form: ReportForm) -> HttpResponse:
        data = form.cleaned_data
        reporter = None
        if data["reporter_name"]:
            reporter = services.ReporterDetails(
                name=data["reporter_name"],
                contact=data["reporter_contact"],
                employee=data["reporter_personnel_number"],
                consent_to_disclose=data["reporter_consent"],
            )
        try:
            case = services.register_report(
                channel=data["channel"],
                summary=data["summary"],
                concerned_employees=data["concerned"],
                named_employees=data["named"],
                reporter_identity=reporter,
                source_reference=data["source_reference"],
                received_at=data["received_at"],
                unit=data["unit"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Report %(reference)s is registered.") % {"reference": case.reference},
        )
        if cases_visible_to(user=self.request.user).filter(pk=case.pk).exists():
            return redirect("cases:case_detail", pk=case.pk)
        # Registered about oneself or someone one is conflicted with: it is out of sight now.
        return redirect("cases:case_list")


class CaseDetailView(CaseMixin, TemplateView):
    """The case: the report, the people involved, triage, the assignment and the protocol."""

    template_name = "cases/case_detail.html"
    # Shown on the page (who triaged, the assignment, the protocol's hearing step): read with
    # the case in its one query.
    case_related = ("triaged_by", "investigation", "investigation__hearing")

    @cached_property
    def parties(self) -> list[CaseParty]:
        """Everyone listed on the case, read once: shown, logged, and the checklist's input.

        The case itself came through the visible-to selector, so these are all its parties.
        """
        return list(parties_visible_to(user=self.request.user).filter(case=self.case))

    def subject_ids(self) -> list[int]:
        """The overview lists everyone involved, not only the persons concerned."""
        return [party.employee_id for party in self.parties]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        investigation = self.investigation
        identity = reporter_identities_visible_to(user=user).filter(case=self.case).first()
        context.update(
            parties=self.parties,
            # An identity the user may see exists; only otherwise ask whether there is one.
            has_reporter_identity=self.case.channel != Channel.ANONYMOUS
            and (identity is not None or hasattr(self.case, "reporter_identity")),
            # Shown outright only with the reporter's consent; otherwise revealed on request.
            reporter=identity if identity is not None and identity.consent_to_disclose else None,
            reveal_form=RevealForm() if identity is not None else None,
            deadlines=deadlines_visible_to(user=user).filter(case=self.case, met_on__isnull=True),
            referrals=self.case.line_referrals.select_related("employee"),
            criterion_answers=self.case.criterion_answers.select_related("criterion"),
        )
        if self.as_commissioner:
            # The commissioner sees all of the case's notices and its reporter's identity:
            # what is already recorded, and whether there is a reporter, are known here.
            notices = list(reporter_notices_visible_to(user=user).filter(case=self.case))
            context.update(
                reporter_notices=notices,
                notices_due=services.notices_due(
                    self.case,
                    kinds=(ReporterNotice.Kind.TAKEN_UP, ReporterNotice.Kind.OUTCOME),
                    recorded={notice.kind for notice in notices},
                    has_reporter=identity is not None,
                ),
            )
        if investigation is not None:
            concerned = [p for p in self.parties if p.role == CaseParty.Role.CONCERNED]
            context.update(
                checklist=protocol.checklist(investigation, concerned=concerned),
                assignments=investigator_assignments_visible_to(user=user).filter(
                    investigation=investigation
                ),
                extensions=investigation.extensions.select_related("decided_by"),
            )
        if self.as_commissioner:
            context["complaints"] = complaints_visible_to(user=user).filter(case=self.case)
            context["forwarded_signals"] = forwarded_signals_visible_to(user=user).filter(
                case=self.case
            )
        return context


class JournalView(CaseMixin, FormView):
    """The journal: append-only, timestamped, by author. New lines arrive through htmx."""

    required_capability = CASE_STAFF
    needs_investigation = True
    tab = "journal"
    template_name = "cases/journal.html"
    form_class = JournalForm

    def get_template_names(self) -> list[str]:
        partial = "entries" if self.request.method == "POST" else None
        return [htmx_template(self.request, self.template_name, partial)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        entries = journal_entries_visible_to(user=self.request.user).filter(
            investigation_id=self.case.pk
        )
        return super().get_context_data(entries=entries, **kwargs)

    def form_valid(self, form: JournalForm) -> HttpResponse:
        try:
            services.add_journal_entry(
                case=self.case, text=form.cleaned_data["text"], acting_user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if getattr(self.request, "htmx", False):
            return self.render_to_response(self.get_context_data(form=JournalForm()))
        return HttpResponseRedirect(reverse("cases:journal", args=[self.case.pk]))


class MethodsView(CaseMixin, TemplateView):
    """The methods register: justification, consent, notices, telecommunication stages."""

    needs_investigation = True
    tab = "methods"
    template_name = "cases/methods.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        methods = (
            methods_visible_to(user=self.request.user)
            .filter(investigation_id=self.case.pk)
            .select_related("decided_by", "proposed_by")
            .prefetch_related("stage_decisions", "letters")
        )
        concerned = [
            party.employee
            for party in parties_visible_to(user=self.request.user).filter(
                case=self.case, role=CaseParty.Role.CONCERNED
            )
        ]
        return super().get_context_data(methods=methods, concerned=concerned, **kwargs)


class InterviewsView(CaseMixin, TemplateView):
    """The interviews of an investigation and where each report stands."""

    needs_investigation = True
    tab = "interviews"
    template_name = "cases/interviews.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        interviews = list(
            interviews_visible_to(user=self.request.user)
            .filter(investigation_id=self.case.pk)
            .prefetch_related("versions")
        )
        for interview in interviews:
            versions = list(interview.versions.all())
            interview.latest_version = versions[-1] if versions else None  # type: ignore[attr-defined]
        return super().get_context_data(interviews=interviews, **kwargs)


class InterviewDetailView(CaseObjectMixin, TemplateView):
    """One interview: invitation, holding, the report's versions and their end state."""

    object_selector = staticmethod(interviews_visible_to)
    needs_investigation = True
    tab = "interviews"
    template_name = "cases/interview_detail.html"
    object: Interview

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        versions = report_versions_visible_to(user=self.request.user).filter(interview=self.object)
        letters = letters_visible_to(user=self.request.user).filter(interview=self.object)
        latest = versions.order_by("-number").first()
        return super().get_context_data(
            versions=versions,
            latest=latest,
            letters=letters,
            can_write_version=(
                self.object.status == "held" and (latest is None or latest.state == "superseded")
            ),
            **kwargs,
        )


class DocumentsView(CaseMixin, TemplateView):
    """Requests for documents (with their terms and refusals) and the stored evidence."""

    needs_investigation = True
    tab = "documents"
    template_name = "cases/documents.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            requests=document_requests_visible_to(user=user).filter(investigation_id=self.case.pk),
            evidence=evidence_visible_to(user=user)
            .filter(investigation_id=self.case.pk)
            .select_related("uploaded_by", "document_request"),
            concerned_ids=set(
                self.case.parties.filter(role=CaseParty.Role.CONCERNED).values_list(
                    "employee_id", flat=True
                )
            ),
            allowed_types=", ".join(sorted(ALLOWED_TYPES)),
            max_size=filesizeformat(MAX_UPLOAD_BYTES),
            **kwargs,
        )


class LettersView(CaseMixin, TemplateView):
    """The investigation's letters: drafted, printed, recorded as sent."""

    needs_investigation = True
    tab = "letters"
    template_name = "cases/letters.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        letters = (
            letters_visible_to(user=self.request.user)
            .filter(investigation_id=self.case.pk)
            .select_related("interview", "method")
        )
        concerned = [
            p.employee
            for p in parties_visible_to(user=self.request.user).filter(
                case=self.case, role=CaseParty.Role.CONCERNED
            )
        ]
        return super().get_context_data(letters=letters, concerned=concerned, **kwargs)


class ConclusionView(CaseMixin, TemplateView):
    """Findings, hearing, the report, the outcome and the disciplinary route."""

    needs_investigation = True
    tab = "conclusion"
    template_name = "cases/conclusion.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        investigation = self.investigation
        assert investigation is not None  # noqa: S101 - needs_investigation
        visible = report_renders_visible_to(user=self.request.user).filter(case=self.case)
        # The report as handed over is on record for everyone on the case; working copies
        # are listed for whoever asked for them.
        handover = visible.filter(is_handover=True).order_by("-requested_at").first()
        renders = list(visible.filter(is_handover=False, requested_by_id=self.request.user.pk)[:3])
        return super().get_context_data(
            hearing=getattr(investigation, "hearing", None),
            disciplinary=getattr(investigation, "disciplinary", None),
            renders=renders,
            handover=handover,
            concerned=[
                party.employee
                for party in parties_visible_to(user=self.request.user).filter(
                    case=self.case, role=CaseParty.Role.CONCERNED
                )
            ],
            punishments=Punishment.objects.filter(is_active=True),
            outcome_letters_missing=protocol.outcome_letters_missing(investigation),
            **kwargs,
        )


class CaseHistoryView(AnyCapabilityMixin, ObjectHistoryView):
    """The history trail of the case record itself (the journal tells the investigation's)."""

    selector = staticmethod(cases_visible_to)

    def log_view(self, obj: Any, *, purpose: str = "") -> None:
        employees = CaseParty.objects.filter(case=obj, role=CaseParty.Role.CONCERNED).values_list(
            "employee_id", flat=True
        )
        record_access_many(
            actor=self.request.user,
            action=AccessAction.VIEW,
            role=self.role,
            employees=list(employees),
            object_type=Case._meta.label_lower,
            purpose="history",
        )


class DeadlineOverviewView(AnyCapabilityMixin, TemplateView):
    """Open deadlines: an investigator's own; a head's per investigator."""

    required_capability = CASE_STAFF
    template_name = "cases/deadlines.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = deadline_overview(user=self.request.user)
        per_investigator: dict[str, list[Any]] = {}
        if self.held_capability == Capability.TRIAGE_REPORTS:
            for row in rows:
                for name in row.investigators or (_("Not assigned"),):
                    per_investigator.setdefault(name, []).append(row)
        record_access_many(
            actor=self.request.user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=sorted(
                set(
                    CaseParty.objects.filter(
                        case_id__in={row.deadline.case_id for row in rows},
                        role=CaseParty.Role.CONCERNED,
                    ).values_list("employee_id", flat=True)
                )
            ),
            object_type="cases.deadline",
        )
        return super().get_context_data(
            rows=rows,
            per_investigator=sorted(per_investigator.items()),
            overdue=sum(1 for row in rows if row.is_overdue),
            **kwargs,
        )


class TriageStatisticsView(AnyCapabilityMixin, TemplateView):
    """Triage outcomes and lead times for the head's units: figures, no names."""

    required_capability = COMMISSIONER
    template_name = "cases/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        form = PeriodForm(self.request.GET or None, initial={})
        since, until = datetime.date(today.year, 1, 1), today
        if form.is_valid():
            since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        else:
            form = PeriodForm(initial={"since": since, "until": until})
        stats = triage_statistics(user=self.request.user, since=since, until=until)
        return super().get_context_data(form=form, since=since, until=until, stats=stats, **kwargs)


class RevealReporterView(CaseMixin, FormView):
    """The commissioner looks at the reporter's identity, with a reason (logged as *reveal*)."""

    required_capability = COMMISSIONER
    template_name = "cases/reveal.html"
    form_class = RevealForm

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "identity")]

    def form_valid(self, form: RevealForm) -> HttpResponse:
        identity = (
            reporter_identities_visible_to(user=self.request.user).filter(case=self.case).first()
        )
        if identity is None:
            form.add_error(None, _("This report has no known reporter."))
            return self.form_invalid(form)
        # The look is at the reporter: the entry names them if they are an employee.
        record_access(
            actor=self.request.user,
            action=AccessAction.REVEAL,
            role=self.role,
            employee=identity.employee_id,
            obj=identity,
            purpose=form.cleaned_data["reason"],
        )
        return self.render_to_response(self.get_context_data(form=form, identity=identity))
