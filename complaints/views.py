"""Views of the complaints app: thin — capability, selector, form, service, render.

Every page needs ``HANDLE_COMPLAINTS`` and reads through :func:`complaints_visible_to`, so a
complaint outside the handler's units, about the handler, or about someone they are
conflicted with answers 404. Work on a complaint is its assigned handler's: other handlers
who may see it get 403 for the handler-only pages (contact details, the letter).

A complaint may concern several employees, or none (the officer is often unknown); the
access log gets one entry per employee whose complaint is shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, View

from complaints import rules, services
from complaints.filters import ComplaintFilter, DeadlineFilter
from complaints.forms import (
    ActionForm,
    AddEmployeeForm,
    AssignForm,
    ClassifyForm,
    CommitteeAdviceForm,
    CommitteeRequestForm,
    ComplaintForm,
    ConsentForm,
    CopySentForm,
    DecideForm,
    ExtendForm,
    FinishInformalForm,
    LetterSentForm,
    NotTakenUpForm,
    OfferHearingForm,
    RecordHearingForm,
    RemoveEmployeeForm,
    StartForm,
    WithdrawForm,
)
from complaints.models import ComplainedEmployee, Complaint, Decision, Hearing
from complaints.selectors import complaints_visible_to, contacts_visible_to
from vik.confirm import BACK, carried_fields, dry_run, is_confirmed, read_back
from vik.ics import calendar_event, calendar_response
from vik.models import AccessAction, Unit
from vik.pdf import render_pdf
from vik.roles import Capability
from vik.services import record_access, record_access_many
from vik.sorting import choice_order, sort, sort_columns
from vik.views.base import (
    AccessLoggedMixin,
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedDetailView,
    ScopedListView,
    acting_role,
    get_visible_or_404,
    htmx_template,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

C = Complaint


class ComplaintAccessLogMixin(AccessLoggedMixin):
    """One access-log entry per employee a shown complaint is about (or one without)."""

    required_capability = Capability.HANDLE_COMPLAINTS

    def log_view(self, obj: Model, *, purpose: str = "") -> None:
        employees = [c.employee_id for c in obj.complained_employees.all()]  # type: ignore[attr-defined]
        for employee_id in employees or [None]:
            record_access(
                actor=self.request.user,
                action=self.access_action,
                role=self.role,
                employee=employee_id,
                obj=obj,
                purpose=purpose,
            )

    def log_list(self, objects: Iterable[Model], *, query: str, object_type: str) -> None:
        employees = {
            c.employee_id
            for complaint in objects
            for c in complaint.complained_employees.all()  # type: ignore[attr-defined]
        }
        record_access_many(
            actor=self.request.user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=sorted(employees),
            object_type=object_type,
            query=query,
        )


def _with_people(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.prefetch_related(
        "themes",
        Prefetch(
            "complained_employees",
            queryset=ComplainedEmployee.objects.select_related("employee"),
        ),
    )


# --- Lists ----------------------------------------------------------------------------


class ComplaintListView(ComplaintAccessLogMixin, ScopedListView):
    """Complaints about the units the handler serves; open ones first by default."""

    selector = staticmethod(complaints_visible_to)
    template_name = "complaints/complaint_list.html"

    # Sortable columns (vik.sorting); the newest complaint first unless the URL says else.
    SORTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "reference": ("received_on__year", "id"),
        "received": ("received_on",),
        "unit": ("unit__name",),
        "phase": ("phase_order",),
        "deadline": ("deadline",),
        "handler": ("handler__last_name", "handler__first_name"),
    }
    DEFAULT_SORT = "-received"

    def get_queryset(self) -> QuerySet[Complaint]:
        self.filterset = ComplaintFilter(
            self.request.GET, queryset=_with_people(super().get_queryset()), request=self.request
        )
        complaints = self.filterset.qs.annotate(
            phase_order=choice_order("phase", Complaint.Phase.values)
        )
        return sort(complaints, self.request.GET.get("sort"), self.SORTS, self.DEFAULT_SORT)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sorts = sort_columns(
            self.request.GET, self.request.GET.get("sort"), self.SORTS, self.DEFAULT_SORT
        )
        return super().get_context_data(
            filter=self.filterset, today=timezone.localdate(), sorts=sorts, **kwargs
        )


class DeadlineOverviewView(ComplaintAccessLogMixin, ScopedListView):
    """Open complaints by decision deadline, with the days left and the terms applied."""

    selector = staticmethod(complaints_visible_to)
    template_name = "complaints/deadline_overview.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Complaint]:
        open_complaints = _with_people(super().get_queryset()).filter(phase__in=C.OPEN_PHASES)
        self.filterset = DeadlineFilter(
            self.request.GET, queryset=open_complaints, request=self.request
        )
        return self.filterset.qs.order_by("deadline", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(filter=self.filterset, **kwargs)
        today = timezone.localdate()
        for complaint in context["object_list"]:
            complaint.days_left = (complaint.deadline - today).days
            complaint.days_overdue = -complaint.days_left
            complaint.letter_due = (
                rules.not_taken_up_letter_due(complaint)
                if complaint.phase == C.Phase.INTAKE
                and rules.conduct_is_too_old(
                    conduct_on=complaint.conduct_on, received_on=complaint.received_on
                )
                else None
            )
        context.update(today=today, reminder_days=rules.REMINDER_DAYS_BEFORE)
        return context


# --- Registration ---------------------------------------------------------------------


class ComplaintCreateView(CapabilityRequiredMixin, FormView):
    """Register a complaint as received."""

    required_capability = Capability.HANDLE_COMPLAINTS
    template_name = "complaints/complaint_form.html"
    form_class = ComplaintForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"received_on": timezone.localdate()}

    def form_valid(self, form: ComplaintForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            complaint = services.register_complaint(
                unit=data["unit"],
                received_on=data["received_on"],
                conduct_on=data["conduct_on"],
                location=data["location"],
                channel=C.Channel(data["channel"]),
                summary=data["summary"],
                themes=data["themes"],
                kinds=data["kinds"],
                employees=data.get("employees", []),
                contact=services.ContactDetails(
                    **{name: data[name] for name in ComplaintForm.CONTACT_FIELDS}
                ),
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Complaint %(ref)s is registered.") % {"ref": complaint.reference}
        )
        return redirect("complaints:complaint_detail", pk=complaint.pk)


# --- One complaint --------------------------------------------------------------------


def _is_handler(complaint: Complaint, user: Any) -> bool:
    return complaint.handler_id is not None and complaint.handler_id == user.pk


def _intake_work(complaint: Complaint, user: Any) -> bool:
    return complaint.is_open and (complaint.handler_id is None or _is_handler(complaint, user))


def _handler_in(*phases: Complaint.Phase) -> Callable[[Complaint, Any], bool]:
    return lambda complaint, user: complaint.phase in phases and _is_handler(complaint, user)


@dataclass(frozen=True)
class ComplaintAction:
    """One step of the procedure: when it is offered, its form, and the service it calls.

    *Primary* steps move the procedure on and are shown open; the others (terms,
    classification, people, withdrawal) are folded away until needed.
    """

    form_class: type[ActionForm]
    perform: Callable[[Complaint, dict[str, Any], User], object]
    done: str | Promise
    available: Callable[[Complaint, Any], bool]
    title: str | Promise
    button: str | Promise
    intro: str | Promise = ""
    primary: Callable[[Complaint], bool] = lambda complaint: True
    danger: bool = False
    # What cannot be undone: the handler confirms on a plain page first.
    irreversible: str | Promise | None = None


def _too_old(complaint: Complaint) -> bool:
    return rules.conduct_is_too_old(
        conduct_on=complaint.conduct_on, received_on=complaint.received_on
    )


def _parties_without_hearing(complaint: Complaint) -> bool:
    hearings = list(complaint.hearings.all())
    if not any(h.party == Hearing.Party.COMPLAINANT for h in hearings):
        return True
    heard = {h.employee_id for h in hearings}
    return any(c.employee_id not in heard for c in complaint.complained_employees.all())


ACTIONS: dict[str, ComplaintAction] = {
    "assign": ComplaintAction(
        AssignForm,
        lambda c, d, u: services.assign_handler(
            complaint=c,
            handler=d["handler"],
            not_involved_confirmed=d["not_involved"],
            acting_user=u,
        ),
        gettext_lazy("The handler is assigned."),
        lambda c, u: c.is_open,
        title=gettext_lazy("Handler"),
        button=gettext_lazy("Assign"),
        intro=gettext_lazy(
            "The handler was not involved in the conduct and is not in the team chain of the "
            "employees complained about."
        ),
        primary=lambda c: c.handler_id is None,
    ),
    "start_informal": ComplaintAction(
        StartForm,
        lambda c, d, u: services.start_informal(
            complaint=c, started_on=d["started_on"], acting_user=u
        ),
        gettext_lazy("The informal resolution has started."),
        _handler_in(C.Phase.INTAKE),
        title=gettext_lazy("Informal resolution"),
        button=gettext_lazy("Start informal resolution"),
        intro=gettext_lazy("A conversation or mediation: many complaints end here."),
    ),
    "start_formal": ComplaintAction(
        StartForm,
        lambda c, d, u: services.start_formal(
            complaint=c, started_on=d["started_on"], acting_user=u
        ),
        gettext_lazy("The formal handling has started."),
        _handler_in(C.Phase.INTAKE),
        title=gettext_lazy("Formal handling"),
        button=gettext_lazy("Start formal handling"),
        intro=gettext_lazy("Hearings, possibly the complaints committee, and a written decision."),
    ),
    "not_taken_up": ComplaintAction(
        NotTakenUpForm,
        lambda c, d, u: services.not_taken_up(
            complaint=c, reason=d["reason"], letter_on=d["letter_on"], acting_user=u
        ),
        gettext_lazy("The complaint is closed as not taken up."),
        lambda c, u: _handler_in(C.Phase.INTAKE)(c, u) and _too_old(c),
        title=gettext_lazy("Not taken up (conduct over a year old)"),
        button=gettext_lazy("Close without handling"),
        danger=True,
        irreversible=gettext_lazy(
            "The complaint is closed without being handled; it cannot be reopened."
        ),
    ),
    "finish_informal": ComplaintAction(
        FinishInformalForm,
        lambda c, d, u: services.finish_informal(
            complaint=c,
            outcome=C.InformalOutcome(d["outcome"]),
            note=d["note"],
            finished_on=d["finished_on"],
            acting_user=u,
        ),
        gettext_lazy("The outcome of the informal resolution is recorded."),
        _handler_in(C.Phase.INFORMAL),
        title=gettext_lazy("End of the informal resolution"),
        button=gettext_lazy("Record"),
    ),
    "offer_hearing": ComplaintAction(
        OfferHearingForm,
        lambda c, d, u: services.offer_hearing(
            complaint=c,
            party=d["party"],
            employee=d["employee"],
            offered_on=d["offered_on"],
            scheduled_at=d["scheduled_at"],
            location=d["location"],
            acting_user=u,
        ),
        gettext_lazy(
            "The hearing is offered. Print the invitation letter; the calendar file is with "
            "the hearing."
        ),
        lambda c, u: (
            _handler_in(C.Phase.FORMAL, C.Phase.COMMITTEE)(c, u) and _parties_without_hearing(c)
        ),
        title=gettext_lazy("Offer a hearing"),
        button=gettext_lazy("Offer"),
    ),
    "record_hearing": ComplaintAction(
        RecordHearingForm,
        lambda c, d, u: services.record_hearing(
            hearing=d["hearing"],
            status=Hearing.Status(d["status"]),
            held_on=d["held_on"],
            report=d["report"],
            note=d["note"],
            acting_user=u,
        ),
        gettext_lazy("The hearing is recorded."),
        lambda c, u: (
            _handler_in(C.Phase.FORMAL, C.Phase.COMMITTEE)(c, u)
            and any(h.status == Hearing.Status.OFFERED for h in c.hearings.all())
        ),
        title=gettext_lazy("Record a hearing"),
        button=gettext_lazy("Record"),
    ),
    "committee_advice": ComplaintAction(
        CommitteeAdviceForm,
        lambda c, d, u: services.record_committee_advice(
            complaint=c, advice=d["advice"], received_on=d["received_on"], acting_user=u
        ),
        gettext_lazy("The committee's advice is recorded."),
        _handler_in(C.Phase.COMMITTEE),
        title=gettext_lazy("The committee's advice"),
        button=gettext_lazy("Record the advice"),
    ),
    "decide": ComplaintAction(
        DecideForm,
        lambda c, d, u: services.decide(
            complaint=c,
            outcome=Decision.Outcome(d["outcome"]),
            reasoning=d["reasoning"],
            measures=d["measures"],
            decided_on=d["decided_on"],
            departs_from_advice=d.get("departs_from_advice", False),
            departure_reason=d.get("departure_reason", ""),
            acting_user=u,
        ),
        gettext_lazy("The decision is recorded. Print the letter and send it."),
        _handler_in(C.Phase.FORMAL),
        title=pgettext_lazy("complaint", "Decision"),
        button=pgettext_lazy("complaint", "Decide"),
        intro=gettext_lazy(
            "A written, reasoned decision. The letter names the National Ombudsman and the "
            "term to go there."
        ),
        irreversible=gettext_lazy(
            "The decision closes the complaint for good: the judgement and its reasons are "
            "what the letter to the complainant says, and they cannot be changed afterwards."
        ),
    ),
    "letter_sent": ComplaintAction(
        LetterSentForm,
        lambda c, d, u: services.record_letter_sent(
            complaint=c, sent_on=d["sent_on"], acting_user=u
        ),
        gettext_lazy("The letter to the complainant is recorded as sent."),
        lambda c, u: (
            c.closure == C.Closure.DECIDED
            and _is_handler(c, u)
            and getattr(c, "decision", None) is not None
            and c.decision.letter_sent_on is None
        ),
        title=gettext_lazy("Decision letter sent to the complainant"),
        button=gettext_lazy("Record as sent"),
        intro=gettext_lazy("Print the letter (PDF), send it, and record here when it went out."),
        irreversible=gettext_lazy("The date the letter went to the complainant is on record."),
    ),
    "copy_sent": ComplaintAction(
        CopySentForm,
        lambda c, d, u: services.note_copy_sent(
            complained=d["complained"], sent_on=d["sent_on"], acting_user=u
        ),
        gettext_lazy("The copy of the decision is noted."),
        lambda c, u: (
            c.closure == C.Closure.DECIDED
            and _is_handler(c, u)
            and any(e.copy_sent_on is None for e in c.complained_employees.all())
        ),
        title=gettext_lazy("Copy for the person complained about"),
        button=gettext_lazy("Note"),
    ),
    "request_committee": ComplaintAction(
        CommitteeRequestForm,
        lambda c, d, u: services.request_committee_advice(
            complaint=c, requested_on=d["requested_on"], acting_user=u
        ),
        gettext_lazy("The complaints committee is asked for advice; the term is now 14 weeks."),
        lambda c, u: _handler_in(C.Phase.FORMAL)(c, u) and c.committee_requested_on is None,
        title=gettext_lazy("Ask the complaints committee"),
        button=gettext_lazy("Ask for advice"),
        intro=gettext_lazy("The decision term becomes 14 weeks from receipt."),
        primary=lambda c: False,
    ),
    "extend": ComplaintAction(
        ExtendForm,
        lambda c, d, u: services.extend_term(
            complaint=c, reason=d["reason"], extended_on=d["extended_on"], acting_user=u
        ),
        gettext_lazy(
            "The term is extended by 4 weeks. Tell the complainant and the person complained "
            "about in writing."
        ),
        lambda c, u: _handler_in(*C.OPEN_PHASES)(c, u) and c.extended_on is None,
        title=gettext_lazy("Extend the term by 4 weeks"),
        button=pgettext_lazy("complaint", "Extend"),
        intro=gettext_lazy(
            "Once, before the term ends; tell the complainant and the person complained about "
            "in writing."
        ),
        primary=lambda c: False,
    ),
    "consent": ComplaintAction(
        ConsentForm,
        lambda c, d, u: services.record_consent(
            complaint=c,
            consent_received_on=d["consent_received_on"],
            new_deadline=d["new_deadline"],
            note=d["note"],
            acting_user=u,
        ),
        gettext_lazy("The complainant's consent and the new deadline are recorded."),
        lambda c, u: _handler_in(*C.OPEN_PHASES)(c, u) and c.extended_on is not None,
        title=gettext_lazy("Postpone with written consent"),
        button=gettext_lazy("Record"),
        intro=gettext_lazy(
            "Beyond the statutory term only with the complainant's written consent."
        ),
        primary=lambda c: False,
    ),
    "classify": ComplaintAction(
        ClassifyForm,
        lambda c, d, u: services.classify(
            complaint=c, themes=d["themes"], kinds=d["kinds"], acting_user=u
        ),
        gettext_lazy("The classification is saved."),
        lambda c, u: c.handler_id is None or _is_handler(c, u),
        title=gettext_lazy("Classification"),
        button=gettext_lazy("Save"),
        primary=lambda c: False,
    ),
    "add_employee": ComplaintAction(
        AddEmployeeForm,
        lambda c, d, u: services.add_employee(
            complaint=c, employee=d["personnel_number"], acting_user=u
        ),
        gettext_lazy("The employee is named in the complaint."),
        _intake_work,
        title=gettext_lazy("Name an employee"),
        button=gettext_lazy("Add"),
        primary=lambda c: False,
    ),
    "remove_employee": ComplaintAction(
        RemoveEmployeeForm,
        lambda c, d, u: services.remove_employee(
            complained=d["complained"], reason=d["reason"], acting_user=u
        ),
        gettext_lazy("The employee is no longer named in the complaint."),
        lambda c, u: _intake_work(c, u) and bool(c.complained_employees.all()),
        title=gettext_lazy("Remove a wrongly named employee"),
        button=gettext_lazy("Remove"),
        primary=lambda c: False,
        danger=True,
    ),
    "withdraw": ComplaintAction(
        WithdrawForm,
        lambda c, d, u: services.withdraw(
            complaint=c, reason=d["reason"], withdrawn_on=d["withdrawn_on"], acting_user=u
        ),
        gettext_lazy("The complaint is closed as withdrawn."),
        _handler_in(*C.OPEN_PHASES),
        title=gettext_lazy("Withdrawn by the complainant"),
        button=gettext_lazy("Close as withdrawn"),
        primary=lambda c: False,
        danger=True,
        irreversible=gettext_lazy("The complaint is closed as withdrawn; it cannot be reopened."),
    ),
}


class ComplaintDetailView(ComplaintAccessLogMixin, ScopedDetailView):
    """One complaint: facts, terms, the procedure so far, and the next steps for its handler."""

    selector = staticmethod(complaints_visible_to)
    template_name = "complaints/complaint_detail.html"
    context_object_name = "complaint"

    def get_queryset(self) -> QuerySet[Complaint]:
        return (
            _with_people(super().get_queryset())
            .select_related("registered_by", "decision")
            .prefetch_related(
                Prefetch("hearings", queryset=Hearing.objects.select_related("employee")),
                "violation_kinds__kind",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        complaint: Complaint = self.object
        user = self.request.user
        bound: dict[str, ActionForm] = kwargs.get("bound_forms", {})
        steps: list[dict[str, Any]] = [
            {
                "name": name,
                "action": action,
                "form": bound.get(name)
                or action.form_class(complaint=complaint, user=user, prefix=name),
                "open": name in bound,
            }
            for name, action in ACTIONS.items()
            if name in bound or action.available(complaint, user)
        ]
        context["primary_steps"] = [s for s in steps if s["action"].primary(complaint)]
        context["other_steps"] = [s for s in steps if not s["action"].primary(complaint)]
        today = timezone.localdate()
        too_old = _too_old(complaint)
        context.update(
            today=today,
            is_handler=_is_handler(complaint, user),
            days_left=(complaint.deadline - today).days,
            days_overdue=(today - complaint.deadline).days,
            statutory_deadline=rules.statutory_deadline(complaint),
            conduct_too_old=too_old,
            letter_due=rules.not_taken_up_letter_due(complaint) if too_old else None,
            has_letter=complaint.closure in (C.Closure.DECIDED, C.Closure.NOT_TAKEN_UP),
            rules=rules,
        )
        return context


class ComplaintActionView(ComplaintDetailView):
    """POST one step; a refusal shows the complaint again with the reason at the form."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = kwargs["action"]
        action = ACTIONS.get(name)
        if action is None:
            raise Http404
        self.object = self.get_object()
        form = action.form_class(
            request.POST, complaint=self.object, user=request.user, prefix=name
        )
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
                    return self.confirm(name, action, form)
                form.add_error(None, refusal)
        elif form.is_valid():
            try:
                action.perform(self.object, form.cleaned_data, request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, str(action.done))
                return redirect("complaints:complaint_detail", pk=self.object.pk)
        # Re-read: a refused service may have left nothing changed, but the page must show
        # the state as it is now, with the form and its errors.
        self.object = self.get_object()
        self.log_view(self.object)
        context = self.get_context_data(object=self.object, bound_forms={name: form})
        return self.render_to_response(context, status=status)

    def confirm(self, name: str, action: ComplaintAction, form: ActionForm) -> HttpResponse:
        """A plain page that reads the values back and says what cannot be undone."""
        self.log_view(self.object)
        carried = carried_fields(self.request.POST)
        summary = read_back(form)
        return render(
            self.request,
            "complaints/confirm.html",
            {
                "complaint": self.object,
                "action": action,
                "carried": carried,
                "summary": summary,
                "post_url": self.request.path,
            },
        )


class ComplaintHistoryView(ComplaintAccessLogMixin, ObjectHistoryView):
    """The history trail of one complaint."""

    selector = staticmethod(complaints_visible_to)

    def get_queryset(self) -> QuerySet[Complaint]:
        return _with_people(super().get_queryset())


class HandlerOnlyMixin(CapabilityRequiredMixin):
    """For the assigned handler of a visible complaint; other handlers who see it get 403."""

    required_capability = Capability.HANDLE_COMPLAINTS

    def handled_complaint(self, pk: int) -> Complaint:
        complaint = get_visible_or_404(
            lambda user: _with_people(complaints_visible_to(user=user)), self.request.user, pk=pk
        )
        if not _is_handler(complaint, self.request.user):
            raise PermissionDenied
        return complaint


class ContactView(HandlerOnlyMixin, View):
    """Show the complainant's contact details to the handler (each look is logged)."""

    template_name = "complaints/contact.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.handled_complaint(pk)
        contact = get_visible_or_404(contacts_visible_to, request.user, complaint=complaint)
        record_access(
            actor=request.user,
            action=AccessAction.REVEAL,
            role=acting_role(request.user, Capability.HANDLE_COMPLAINTS),
            employee=None,
            obj=contact,
            purpose=_("Complainant's contact details of %(ref)s") % {"ref": complaint.reference},
        )
        return render(
            request,
            htmx_template(request, self.template_name, "contact"),
            {"complaint": complaint, "contact": contact},
        )


def _top_unit(unit: Unit) -> Unit:
    """The police unit (eenheid) at the top of ``unit``'s branch: the letter's sender."""
    return (
        Unit.objects.filter(descendant_links__descendant=unit, parent__isnull=True).first() or unit
    )


class LetterView(HandlerOnlyMixin, View):
    """The decision letter (or the "not taken up" letter) as PDF, in Dutch, logged as print."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.handled_complaint(pk)
        if complaint.closure == C.Closure.DECIDED:
            template = "complaints/pdf/decision_letter.html"
        elif complaint.closure == C.Closure.NOT_TAKEN_UP:
            template = "complaints/pdf/not_taken_up_letter.html"
        else:
            raise Http404(_("There is no letter for this complaint yet."))
        contact = get_visible_or_404(contacts_visible_to, request.user, complaint=complaint)
        decision = (
            getattr(complaint, "decision", None) if complaint.closure == C.Closure.DECIDED else None
        )
        with translation.override("nl"):
            pdf = render_pdf(
                template_name=template,
                context={
                    "complaint": complaint,
                    "contact": contact,
                    "decision": decision,
                    "handler": request.user,
                    "eenheid": _top_unit(complaint.unit),
                    "rules": rules,
                    "ombudsman_deadline": rules.ombudsman_deadline(decision.decided_on)
                    if decision
                    else None,
                    "document_title": _("Decision on your complaint"),
                    "document_reference": complaint.reference,
                },
            )
        role = acting_role(request.user, Capability.HANDLE_COMPLAINTS)
        for complained in complaint.complained_employees.all() or [None]:
            record_access(
                actor=request.user,
                action=AccessAction.PRINT,
                role=role,
                employee=complained.employee_id if complained else None,
                obj=complaint,
                purpose="letter",
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{complaint.reference}-brief.pdf"'
        return response


class HearingFileMixin(HandlerOnlyMixin):
    """A hearing of a complaint the user handles, with a planned date, time and place."""

    def planned_hearing(self, pk: int, hearing_pk: int) -> tuple[Complaint, Hearing]:
        complaint = self.handled_complaint(pk)
        hearing = complaint.hearings.select_related("employee").filter(pk=hearing_pk).first()
        if hearing is None or hearing.scheduled_at is None:
            raise Http404(_("This hearing has no planned date, time and place."))
        return complaint, hearing

    def log(self, complaint: Complaint, hearing: Hearing, *, action: AccessAction) -> None:
        role = acting_role(self.request.user, Capability.HANDLE_COMPLAINTS)
        record_access(
            actor=self.request.user,
            action=action,
            role=role,
            employee=hearing.employee_id,
            obj=complaint,
            purpose="hearing",
        )


class HearingInvitationView(HearingFileMixin, View):
    """The invitation to a hearing as a letter (PDF, Dutch): to the complainant or an employee."""

    def get(self, request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
        complaint, hearing = self.planned_hearing(pk, hearing_pk)
        contact = (
            get_visible_or_404(contacts_visible_to, request.user, complaint=complaint)
            if hearing.party == Hearing.Party.COMPLAINANT
            else None
        )
        with translation.override("nl"):
            pdf = render_pdf(
                template_name="complaints/pdf/hearing_invitation.html",
                context={
                    "complaint": complaint,
                    "hearing": hearing,
                    "contact": contact,
                    "handler": request.user,
                    "eenheid": _top_unit(complaint.unit),
                    "rules": rules,
                    "document_title": _("Invitation to a hearing"),
                    "document_reference": complaint.reference,
                },
            )
        self.log(complaint, hearing, action=AccessAction.PRINT)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{complaint.reference}-uitnodiging-hoorzitting.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response


class HearingCalendarView(HearingFileMixin, View):
    """The hearing as an .ics file: the complaint's reference and the place, nothing else."""

    def get(self, request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
        complaint, hearing = self.planned_hearing(pk, hearing_pk)
        assert hearing.scheduled_at is not None  # noqa: S101 - planned_hearing checked
        content = calendar_event(
            uid=f"vik-complaint-hearing-{hearing.pk}@vik",
            start=hearing.scheduled_at,
            end=hearing.scheduled_at + datetime.timedelta(hours=1),
            summary=complaint.reference,
            location=hearing.location,
        )
        self.log(complaint, hearing, action=AccessAction.EXPORT)
        return calendar_response(content, f"{complaint.reference}-hoorzitting.ics")
