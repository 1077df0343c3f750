"""Forms that move a case on: each calls one service, which enforces the protocol.

Every class says who may use it (``required_capability``), what it is about (the case, or
one part of it through its own selector), and which service it calls (``perform``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases import forms, services
from cases.models import (
    AssignmentExtension,
    CaseParty,
    DisciplinaryProcedure,
    ForwardedSignal,
    Interview,
    InterviewReportVersion,
    InvestigationComplaint,
    InvestigationMethod,
    InvestigatorAssignment,
    Letter,
    LetterKind,
    ReporterNotice,
)
from cases.selectors import (
    active_investigators,
    complaints_visible_to,
    document_requests_visible_to,
    eligible_investigators,
    employees_for_case_forms,
    forwarded_signals_visible_to,
    interviews_visible_to,
    investigator_assignments_visible_to,
    letters_visible_to,
    methods_visible_to,
    report_versions_visible_to,
)
from cases.views.base import (
    CASE_STAFF,
    COMMISSIONER,
    INVESTIGATOR,
    CaseActionView,
    CaseObjectActionView,
)

# Refusals of an upload by cases.uploads.check_upload: shown at the file field.
FILE_ERROR_CODES = {"file_type", "empty", "file_size", "file_content"}

# --- Intake and triage -----------------------------------------------------------------------


class TriageView(CaseActionView):
    required_capability = COMMISSIONER
    form_class = forms.TriageForm
    template_name = "cases/triage_form.html"
    title = _("Triage")
    intro = _(
        "Decide what happens with this report and record why. Answer every Rijksrecherche "
        "criterion: a yes sends the report to the Rijksrecherche, unless you record a reasoned "
        "exception."
    )
    submit_label = _("Record the decision")
    success_message = _("The triage decision is recorded.")
    irreversible = _(
        "The triage decision and the answers to the Rijksrecherche criteria are final. No "
        "action or a referral closes the report; an investigation or a referral to the line "
        "starts at once."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "criteria": services.active_criteria()}

    def perform(self, form: forms.TriageForm) -> Any:
        return services.triage_report(
            case=self.case, acting_user=self.request.user, **form.service_arguments()
        )


class EmployeeLookupMixin(CaseActionView):
    """Personnel numbers in the form find only the employees the user may look up."""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "employees": employees_for_case_forms(user=self.request.user),
        }


class PartyAddView(EmployeeLookupMixin):
    required_capability = COMMISSIONER
    form_class = forms.PartyForm
    title = _("Add a person to the case")
    intro = _("The person added can no longer see this case, whatever their role.")
    success_message = _("The person is added to the case.")

    def perform(self, form: forms.PartyForm) -> Any:
        return services.add_party(
            case=self.case,
            employee=form.cleaned_data["personnel_number"],
            role=CaseParty.Role(form.cleaned_data["role"]),
            acting_user=self.request.user,
        )


class ForwardedSignalView(CaseObjectActionView):
    """The commissioner attaches a forwarded monitoring signal, or sends it back (case closed)."""

    required_capability = COMMISSIONER
    object_selector = staticmethod(forwarded_signals_visible_to)
    case_field = "case_id"
    form_class = forms.ForwardedSignalForm
    title = _("Signal from protective monitoring")
    submit_label = _("Record the decision")
    success_message = _("The decision on the signal is recorded.")
    object: ForwardedSignal

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = self.object.summary  # what the decision is about, above the form
        return context

    def perform(self, form: forms.ForwardedSignalForm) -> Any:
        service = (
            services.attach_forwarded_signal
            if form.cleaned_data["decision"] == "attach"
            else services.return_forwarded_signal
        )
        return service(
            forwarded=self.object, note=form.cleaned_data["note"], acting_user=self.request.user
        )


class ReporterConsentView(CaseActionView):
    required_capability = COMMISSIONER
    form_class = forms.ReporterConsentForm
    title = _("Reporter's consent to disclosure")
    intro = _("Without consent the reporter's identity appears in no document and only you see it.")

    def perform(self, form: forms.ReporterConsentForm) -> Any:
        return services.record_reporter_consent(
            case=self.case,
            consent_to_disclose=form.cleaned_data["consent_to_disclose"],
            acting_user=self.request.user,
        )


class ReporterNoticeView(CaseActionView):
    """Record what the reporter was told (the standard text, adjusted if need be) and when."""

    required_capability = COMMISSIONER
    form_class = forms.ReporterNoticeForm
    submit_label = _("Record what the reporter was told")
    success_message = _("Recorded. Print the letter from the case page if it goes by post.")
    irreversible = _(
        "The text is on record as what the reporter was told and cannot be changed afterwards."
    )
    kind: ReporterNotice.Kind

    def prepare(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().prepare(request, *args, **kwargs)
        if "kind" in kwargs:
            try:
                self.kind = ReporterNotice.Kind(kwargs["kind"])
            except ValueError:
                raise Http404 from None

    @property
    def title(self) -> Any:  # type: ignore[override]
        return self.kind.label

    @property
    def intro(self) -> Any:  # type: ignore[override]
        return {
            ReporterNotice.Kind.WB_ACKNOWLEDGEMENT: _(
                "A whistleblower's report is acknowledged within 7 days of receipt. The letter "
                "names the reporter's options: the Landelijk Meldpunt Misstanden (LMM), an "
                "external authority such as the Huis voor Klokkenluiders, and a confidential "
                "counsellor."
            ),
            ReporterNotice.Kind.WB_FEEDBACK: _(
                "The whistleblower hears what was done with the report within 3 months."
            ),
            ReporterNotice.Kind.TAKEN_UP: _(
                "The reporter hears that the report was taken up — never whom it concerns or "
                "what the investigation found."
            ),
            ReporterNotice.Kind.OUTCOME: _(
                "The reporter hears how the report ended, without the outcome for the person "
                "concerned."
            ),
        }[self.kind]

    def get_initial(self) -> dict[str, Any]:
        return {"text": services.draft_notice_text(self.case, self.kind)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            services.reporter.check_notice_allowed(self.case, self.kind)
        except ValidationError as error:
            context["blocked"] = error.messages
        context["title"] = self.title
        context["intro"] = self.intro
        return context

    def perform(self, form: forms.ReporterNoticeForm) -> Any:
        return services.record_reporter_notice(
            case=self.case,
            kind=self.kind,
            sent_on=form.cleaned_data["sent_on"],
            text=form.cleaned_data["text"],
            acting_user=self.request.user,
        )


class WhistleblowerAckView(ReporterNoticeView):
    kind = ReporterNotice.Kind.WB_ACKNOWLEDGEMENT


class WhistleblowerFeedbackView(ReporterNoticeView):
    kind = ReporterNotice.Kind.WB_FEEDBACK


# --- Investigators and the assignment ------------------------------------------------------------


class InvestigatorAssignView(CaseActionView):
    required_capability = COMMISSIONER
    needs_investigation = True
    form_class = forms.AssignInvestigatorForm
    title = _("Assign an investigator")
    intro = _(
        "Only investigators for this unit who are not involved in the case, and not conflicted "
        "with anyone in it, can be assigned. They see the case from now on."
    )
    submit_label = _("Assign")
    success_message = _("The investigator is assigned.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "eligible": eligible_investigators(self.case)}

    def perform(self, form: forms.AssignInvestigatorForm) -> Any:
        return services.assign_investigator(
            case=self.case,
            user=form.cleaned_data["user"],
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )


class InvestigatorEndView(CaseObjectActionView):
    required_capability = COMMISSIONER
    object_selector = staticmethod(investigator_assignments_visible_to)
    form_class = forms.ReasonForm
    title = _("End an investigator's assignment")
    submit_label = _("End the assignment")
    success_message = _("The assignment has ended.")
    object: InvestigatorAssignment

    def perform(self, form: forms.ReasonForm) -> Any:
        return services.end_investigator_assignment(
            assignment=self.object,
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )


class AssignmentEditView(CaseActionView):
    """Draft the written assignment; "issue" saves and issues it in one go."""

    required_capability = COMMISSIONER
    needs_investigation = True
    form_class = forms.AssignmentForm
    template_name = "cases/assignment_form.html"
    title = _("Written assignment")
    intro = _(
        "The assignment states the reason, objective, research questions, consent to use the "
        "employer's powers, methods, reporting arrangements and expected duration."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.investigation}

    irreversible = _(
        "Issuing starts the investigation: the expected end date runs from today, the "
        "investigators are told, and from then on the assignment changes only by a written "
        "extension of scope or time."
    )

    def needs_confirmation(self, form: Any) -> bool:
        return self.issuing

    def get_confirm_label(self, form: Any) -> Any:
        return _("Issue the assignment")

    def perform(self, form: forms.AssignmentForm) -> Any:
        data = form.cleaned_data
        services.save_assignment(case=self.case, acting_user=self.request.user, **data)
        if self.issuing:
            services.issue_assignment(case=self.case, acting_user=self.request.user)

    @property
    def issuing(self) -> bool:
        return "issue" in self.request.POST

    def get_success_message(self) -> Any:
        if self.issuing:
            return _("The assignment is issued; the investigation has started.")
        return _("The draft assignment is saved.")


class AssignmentExtendView(CaseActionView):
    required_capability = COMMISSIONER
    needs_investigation = True
    form_class = forms.ExtensionForm
    title = _("Extend the assignment")
    intro = _("An extension of scope or time is recorded in writing.")
    success_message = _("The extension is recorded.")
    irreversible = _("An extension is on record for good; an extension of time moves the end date.")

    def perform(self, form: forms.ExtensionForm) -> Any:
        return services.extend_assignment(
            case=self.case,
            kind=AssignmentExtension.Kind(form.cleaned_data["kind"]),
            description=form.cleaned_data["description"],
            extra_working_days=form.cleaned_data["extra_working_days"],
            acting_user=self.request.user,
        )


class CounsellorInformedView(CaseActionView):
    required_capability = CASE_STAFF
    needs_investigation = True
    form_class = forms.CounsellorForm
    title = _("Confidential counsellor informed")
    intro = _("The confidential counsellor is informed when the investigation starts.")

    def perform(self, form: forms.CounsellorForm) -> Any:
        return services.record_counsellor_informed(
            case=self.case,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            acting_user=self.request.user,
        )


# --- Methods ---------------------------------------------------------------------------------


class MethodActionView(CaseObjectActionView):
    tab = "methods"
    object_selector = staticmethod(methods_visible_to)
    needs_investigation = True
    success_tab = "methods"
    object: InvestigationMethod


class MethodProposeView(CaseActionView):
    tab = "methods"
    required_capability = INVESTIGATOR
    needs_investigation = True
    form_class = forms.MethodForm
    success_tab = "methods"
    title = _("Propose a method")
    intro = _(
        "Weigh proportionality first, then subsidiarity: of the methods that fit the aim, the "
        "least intrusive. The commissioner decides."
    )
    success_message = _("The method is proposed to the commissioner.")

    def perform(self, form: forms.MethodForm) -> Any:
        return services.propose_method(
            case=self.case, acting_user=self.request.user, **form.cleaned_data
        )


class MethodNoticesView(MethodActionView):
    required_capability = CASE_STAFF
    form_class = forms.MethodNoticesForm
    title = _("Works council and data-protection authority")
    intro = _(
        "Observation and searching the work environment need the works-council chair's "
        "knowledge; covert methods need prior notice to the data-protection authority."
    )

    intro = _(
        "Observation and searching the work environment need the works-council chair's "
        "knowledge; covert methods need prior notice to the data-protection authority; "
        "telecommunication needs proof that the employee was told in advance that it can be "
        "examined."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "method": self.object}

    def get_initial(self) -> dict[str, Any]:
        return {
            "works_council_chair_informed_on": self.object.works_council_chair_informed_on,
            "works_council_chair_name": self.object.works_council_chair_name,
            "dpa_notified_on": self.object.dpa_notified_on,
            "prior_notice_on": self.object.prior_notice_on,
            "prior_notice_how": self.object.prior_notice_how,
        }

    def perform(self, form: forms.MethodNoticesForm) -> Any:
        return services.record_method_notices(
            method=self.object, acting_user=self.request.user, **form.cleaned_data
        )


class MethodDecideView(MethodActionView):
    required_capability = COMMISSIONER
    form_class = forms.MethodDecisionForm
    title = _("Decide on a method")
    submit_label = _("Record the decision")
    success_message = _("The decision is recorded.")
    irreversible = _("Your decision on the method is final and goes into the journal.")

    def perform(self, form: forms.MethodDecisionForm) -> Any:
        return services.decide_method(
            method=self.object,
            consent=form.cleaned_data["consent"],
            note=form.cleaned_data["note"],
            acting_user=self.request.user,
        )


class TelecomStageView(MethodActionView):
    required_capability = COMMISSIONER
    form_class = forms.TelecomStageForm
    title = _("Examine telecommunication at a further stage")
    intro = _(
        "Stages: 1 volume, 2 attachments, 3 text scan, 4 image scan, 5 language scan, 6 content. "
        "Each further stage is your decision, weighing the person's privacy against the "
        "investigation's interest."
    )
    submit_label = _("Record the decision")
    irreversible = _(
        "A stage decision is on record for good; a later decision can only go further."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        current = (
            self.object.stage_decisions.order_by("-stage").values_list("stage", flat=True).first()
        )
        return {**super().get_form_kwargs(), "current_stage": current}

    def perform(self, form: forms.TelecomStageForm) -> Any:
        return services.decide_telecom_stage(
            method=self.object,
            stage=form.cleaned_data["stage"],
            justification=form.cleaned_data["justification"],
            later_start_justification=form.cleaned_data.get("later_start_justification", ""),
            acting_user=self.request.user,
        )


class MethodProgressView(MethodActionView):
    """Start a consented method, or end a running one."""

    required_capability = INVESTIGATOR
    form_class = forms.MethodProgressForm

    @property
    def title(self) -> Any:  # type: ignore[override]
        return _("End the method") if self.object.started_on else _("Start the method")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "method": self.object}

    def perform(self, form: forms.MethodProgressForm) -> Any:
        if self.object.started_on is None:
            return services.start_method(
                method=self.object,
                on=form.cleaned_data["on"],
                presence=form.cleaned_data.get("presence", ""),
                presence_note=form.cleaned_data.get("presence_note", ""),
                acting_user=self.request.user,
            )
        return services.end_method(
            method=self.object, on=form.cleaned_data["on"], acting_user=self.request.user
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context


# --- Letters ------------------------------------------------------------------------------------


class LetterDraftView(CaseActionView):
    tab = "letters"
    required_capability = CASE_STAFF
    needs_investigation = True
    form_class = forms.LetterDraftForm
    title = _("Draft a letter")
    intro = _("The standard text is filled in from the case; you can adjust it before it is sent.")
    submit_label = _("Draft the letter")
    success_message = _(
        "The letter is drafted. Check the text, print it and record when it was sent."
    )

    def get_initial(self) -> dict[str, Any]:
        return {
            key: self.request.GET.get(key) for key in ("kind", "recipient", "interview", "method")
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "investigation": self.investigation}

    def perform(self, form: forms.LetterDraftForm) -> Any:
        return services.draft_letter(
            case=self.case,
            kind=LetterKind(form.cleaned_data["kind"]),
            recipient=form.cleaned_data["recipient"],
            interview=form.cleaned_data["interview"],
            method=form.cleaned_data["method"],
            acting_user=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("cases:letter_edit", args=[self.case.pk, self.result.pk])


class LetterEditView(CaseObjectActionView):
    """Adjust a draft letter. "View as PDF" and "Record as sent" save the text first."""

    tab = "letters"
    required_capability = CASE_STAFF
    object_selector = staticmethod(letters_visible_to)
    needs_investigation = True
    form_class = forms.LetterEditForm
    template_name = "cases/letter_form.html"
    title = _("Letter")
    success_tab = "letters"
    object: Letter

    def get_initial(self) -> dict[str, Any]:
        return {"subject": self.object.subject, "body": self.object.body}

    def perform(self, form: forms.LetterEditForm) -> Any:
        return services.update_letter(
            letter=self.object, acting_user=self.request.user, **form.cleaned_data
        )

    @property
    def then(self) -> str:
        return self.request.POST.get("then", "")

    def get_success_message(self) -> Any:
        if self.then == "sent":
            return _("The text is saved. Now record when and how the letter was sent.")
        if self.then == "pdf":
            return _("The text is saved.")
        return super().get_success_message()

    def get_success_url(self) -> str:
        args = [self.case.pk, self.object.pk]
        if self.then == "sent":
            return reverse("cases:letter_sent", args=args)
        if self.then == "pdf":
            return reverse("cases:letter_pdf", args=args)
        return super().get_success_url()


class LetterSentView(CaseObjectActionView):
    tab = "letters"
    required_capability = CASE_STAFF
    object_selector = staticmethod(letters_visible_to)
    needs_investigation = True
    form_class = forms.LetterSentForm
    template_name = "cases/letter_sent.html"
    title = _("Record that the letter was sent")
    intro = _("From then on the letter is on record and its text cannot change.")
    success_tab = "letters"
    success_message = _("The letter is recorded as sent.")
    submit_label = _("Record as sent")
    irreversible = _(
        "The letter as shown is on record from now on: its text cannot change, and the "
        "protocol steps that depend on it follow."
    )
    object: Letter

    def perform(self, form: forms.LetterSentForm) -> Any:
        # The text the person saw on the page is the text that went out.
        return services.mark_letter_sent(
            letter=self.object,
            subject=self.object.subject,
            body=self.object.body,
            acting_user=self.request.user,
            **form.cleaned_data,
        )


# --- Documents -------------------------------------------------------------------------------


class DocumentRequestView(EmployeeLookupMixin):
    tab = "documents"
    required_capability = INVESTIGATOR
    needs_investigation = True
    form_class = forms.DocumentRequestForm
    success_tab = "documents"
    title = _("Request documents")
    intro = _(
        "Whoever agrees to hand over documents or goods does so within 5 working days. "
        "Nobody is asked before the person concerned has been informed in writing."
    )
    success_message = _("The request is recorded.")

    def perform(self, form: forms.DocumentRequestForm) -> Any:
        return services.request_documents(
            case=self.case,
            requested_from=form.cleaned_data["personnel_number"],
            requested_from_name=form.cleaned_data["requested_from_name"],
            description=form.cleaned_data["description"],
            requested_on=form.cleaned_data["requested_on"],
            acting_user=self.request.user,
        )


class DocumentOutcomeView(CaseObjectActionView):
    tab = "documents"
    required_capability = INVESTIGATOR
    object_selector = staticmethod(document_requests_visible_to)
    needs_investigation = True
    form_class = forms.DocumentOutcomeForm
    success_tab = "documents"
    title = _("Documents received or refused")
    intro = _("A refusal is reported to the commissioner and in the report.")

    def perform(self, form: forms.DocumentOutcomeForm) -> Any:
        if form.cleaned_data["outcome"] == "received":
            return services.record_documents_received(
                request=self.object, on=form.cleaned_data["on"], acting_user=self.request.user
            )
        return services.record_documents_refused(
            request=self.object,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )


class EvidenceUploadView(CaseActionView):
    tab = "documents"
    required_capability = INVESTIGATOR
    needs_investigation = True
    form_class = forms.EvidenceForm
    success_tab = "documents"
    title = _("Add a document or evidence")
    success_message = _("The file is stored.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "investigation": self.investigation}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            if getattr(error, "code", None) in FILE_ERROR_CODES:
                # Named at the file field, with the file's name: the browser cannot keep the
                # choice across the round trip, everything else entered stays in the form.
                form.add_error(
                    "file",
                    _("%(name)s was not stored: %(reason)s Choose the file again.")
                    % {"name": form.cleaned_data["file"].name, "reason": " ".join(error.messages)},
                )
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, str(self.get_success_message()))
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form: forms.EvidenceForm) -> Any:
        return services.add_evidence(
            case=self.case,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            document_request=form.cleaned_data["document_request"],
            acting_user=self.request.user,
        )


# --- Interviews ---------------------------------------------------------------------------------


class InterviewScheduleView(EmployeeLookupMixin):
    tab = "interviews"
    required_capability = INVESTIGATOR
    needs_investigation = True
    form_class = forms.InterviewForm
    success_tab = "interviews"
    title = _("Schedule an interview")
    intro = _(
        "Two investigators conduct every interview. Nobody is interviewed before the person "
        "concerned has been informed in writing."
    )
    submit_label = _("Schedule")
    success_message = _("The interview is scheduled. Draft and send the invitation letter.")

    def get_form_kwargs(self) -> dict[str, Any]:
        assert self.investigation is not None  # noqa: S101 - needs_investigation
        return {
            **super().get_form_kwargs(),
            "investigators": active_investigators(self.investigation),
        }

    def perform(self, form: forms.InterviewForm) -> Any:
        data = form.cleaned_data
        return services.schedule_interview(
            case=self.case,
            role=data["role"],
            interviewee=data["personnel_number"],
            interviewee_name=data["interviewee_name"],
            scheduled_at=data["scheduled_at"],
            location=data["location"],
            expected_duration_minutes=data["expected_duration_minutes"],
            nature_and_purpose=data["nature_and_purpose"],
            lead_investigator=data["lead_investigator"],
            second_investigator=data["second_investigator"],
            is_recorded=data["is_recorded"],
            acting_user=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("cases:interview_detail", args=[self.case.pk, self.result.pk])


class InterviewActionView(CaseObjectActionView):
    tab = "interviews"
    required_capability = INVESTIGATOR
    object_selector = staticmethod(interviews_visible_to)
    needs_investigation = True
    object: Interview

    def get_success_url(self) -> str:
        return reverse("cases:interview_detail", args=[self.case.pk, self.object.pk])


class InterviewOutcomeView(InterviewActionView):
    form_class = forms.InterviewOutcomeForm
    title = _("Record the interview")
    intro = _(
        "The interviewee must have been invited in writing. The report is due within 5 days of "
        "the interview. An employee's refusal to cooperate is reported to the commissioner and "
        "to their own manager."
    )
    irreversible = _(
        "Held, refused or cancelled: what happened to the interview is final. A refusal is "
        "reported to the commissioner and, for an employee, to their manager at once."
    )

    def perform(self, form: forms.InterviewOutcomeForm) -> Any:
        data = form.cleaned_data
        if data["outcome"] == "held":
            return services.record_interview_held(
                interview=self.object,
                held_at=data["held_at"],
                counsel_present=data["counsel_present"],
                counsel_name=data["counsel_name"],
                recording_retain_until=data["recording_retain_until"],
                acting_user=self.request.user,
            )
        if data["outcome"] == "refused":
            return services.record_interview_refused(
                interview=self.object, reason=data["reason"], acting_user=self.request.user
            )
        return services.cancel_interview(
            interview=self.object, reason=data["reason"], acting_user=self.request.user
        )


class RefusalReportedView(CaseObjectActionView):
    """Record that a refusal was reported to the manager by hand (no team chief in VIK)."""

    required_capability = INVESTIGATOR
    needs_investigation = True
    form_class = forms.RefusalReportedForm
    title = _("Refusal reported to the manager")
    intro = _(
        "The refusal of an employee asked to cooperate is reported to their manager. No team "
        "chief of theirs is known in VIK: record whom you told, in writing, and when."
    )

    def perform(self, form: forms.RefusalReportedForm) -> Any:
        return services.record_refusal_reported(
            refusal=self.object,
            on=form.cleaned_data["on"],
            manager=form.cleaned_data["manager"],
            acting_user=self.request.user,
        )


class InterviewRefusalReportedView(RefusalReportedView):
    tab = "interviews"
    object_selector = staticmethod(interviews_visible_to)

    def get_success_url(self) -> str:
        return reverse("cases:interview_detail", args=[self.case.pk, self.object.pk])


class DocumentRefusalReportedView(RefusalReportedView):
    tab = "documents"
    object_selector = staticmethod(document_requests_visible_to)
    success_tab = "documents"


class RecordingDestroyedView(InterviewActionView):
    form_class = forms.DateForm
    title = _("Recording destroyed")
    intro = _("Afterwards, tell the interviewee by letter that the recording was destroyed.")

    def perform(self, form: forms.DateForm) -> Any:
        return services.record_recording_destroyed(
            interview=self.object, on=form.cleaned_data["on"], acting_user=self.request.user
        )


class VersionCreateView(InterviewActionView):
    form_class = forms.VersionForm
    title = _("Write the interview report")
    submit_label = _("Save the draft")

    def perform(self, form: forms.VersionForm) -> Any:
        return services.create_report_version(
            interview=self.object,
            content=form.cleaned_data["content"],
            acting_user=self.request.user,
        )


class VersionActionView(CaseObjectActionView):
    tab = "interviews"
    required_capability = INVESTIGATOR
    object_selector = staticmethod(report_versions_visible_to)
    case_field = "interview__investigation_id"
    object_kwarg = "version_pk"
    needs_investigation = True
    object: InterviewReportVersion

    def get_success_url(self) -> str:
        return reverse("cases:interview_detail", args=[self.case.pk, self.object.interview_id])


class VersionEditView(VersionActionView):
    form_class = forms.VersionForm
    title = _("Edit the draft report")

    def get_initial(self) -> dict[str, Any]:
        return {"content": self.object.content}

    def perform(self, form: forms.VersionForm) -> Any:
        return services.update_report_version(
            version=self.object, content=form.cleaned_data["content"], acting_user=self.request.user
        )


class VersionSendView(VersionActionView):
    form_class = forms.SentOnForm
    title = _("Send the report for signature")
    intro = _(
        "The text and its content hash are fixed from now on. The interviewee may return "
        "written comments within 5 working days."
    )
    submit_label = _("Record as sent")
    irreversible = _(
        "The version's text and its SHA-256 content hash are fixed for good. A correction "
        "needs the interviewee's comments and a new version."
    )

    def perform(self, form: forms.SentOnForm) -> Any:
        return services.send_report_version(
            version=self.object, sent_on=form.cleaned_data["sent_on"], acting_user=self.request.user
        )


class VersionResponseView(VersionActionView):
    """How the interviewee responded: signed, comments, no agreement, or refused to sign."""

    form_class = forms.VersionResponseForm
    title = _("The interviewee's response")
    irreversible = _(
        "Signed, not agreed or refused to sign: the version is frozen for good in that end "
        "state. Returned comments lead to a decision on them instead."
    )

    def perform(self, form: forms.VersionResponseForm) -> Any:
        data, user = form.cleaned_data, self.request.user
        match data["response"]:
            case "signed":
                return services.record_version_signed(
                    version=self.object,
                    signed_on=data["on"],
                    every_page_initialled=data["every_page_initialled"],
                    acting_user=user,
                )
            case "comments":
                return services.record_version_comments(
                    version=self.object,
                    responded_on=data["on"],
                    comments=data["text"],
                    acting_user=user,
                )
            case "not_agreed":
                return services.record_version_not_agreed(
                    version=self.object,
                    reaction=data["text"],
                    responded_on=data["on"],
                    note=data["note"],
                    acting_user=user,
                )
            case _:
                return services.record_version_refused_to_sign(
                    version=self.object,
                    responded_on=data["on"],
                    reason=data["text"],
                    acting_user=user,
                )


class VersionCommentsView(VersionActionView):
    form_class = forms.VersionCommentsForm
    title = _("Decide on the interviewee's comments")
    intro = _(
        "Accepted comments lead to a new version for signature. Without agreement the report is "
        "filed unsigned with the interviewee's reaction."
    )

    irreversible = _(
        "Accepted comments close this version and start a new one; without agreement the "
        "report is filed unsigned with the interviewee's reaction, for good."
    )

    def get_initial(self) -> dict[str, Any]:
        return {"new_content": self.object.content}

    def perform(self, form: forms.VersionCommentsForm) -> Any:
        data = form.cleaned_data
        if data["decision"] == "accept":
            return services.accept_version_comments(
                version=self.object,
                note=data["note"],
                new_content=data["new_content"],
                acting_user=self.request.user,
            )
        return services.record_version_not_agreed(
            version=self.object, note=data["note"], acting_user=self.request.user
        )


# --- Conclusion ------------------------------------------------------------------------------------


class ConclusionActionView(CaseActionView):
    tab = "conclusion"
    needs_investigation = True
    success_tab = "conclusion"


class FindingsView(ConclusionActionView):
    required_capability = INVESTIGATOR
    form_class = forms.FindingsForm
    title = _("Findings and conclusion")

    def get_initial(self) -> dict[str, Any]:
        assert self.investigation is not None  # noqa: S101
        return {
            "findings": self.investigation.findings,
            "conclusion": self.investigation.conclusion,
        }

    def perform(self, form: forms.FindingsForm) -> Any:
        return services.save_findings(
            case=self.case, acting_user=self.request.user, **form.cleaned_data
        )


class HearingOfferView(ConclusionActionView):
    required_capability = INVESTIGATOR
    form_class = forms.HearingOfferForm
    title = _("Offer the hearing (wederhoor)")
    intro = _(
        "The person concerned may respond orally or in writing to all findings; they may view "
        "but not copy them, take notes, and bring counsel."
    )
    success_message = _(
        "The hearing is offered. Draft the invitation letter; the calendar file is on this page."
    )
    irreversible = _(
        "The case moves to the hearing: no more interviews, requests for documents or methods "
        "after this."
    )

    def perform(self, form: forms.HearingOfferForm) -> Any:
        return services.offer_hearing(
            case=self.case,
            offered_on=form.cleaned_data["offered_on"],
            scheduled_at=form.cleaned_data["scheduled_at"],
            location=form.cleaned_data["location"],
            acting_user=self.request.user,
        )


class HearingRecordView(ConclusionActionView):
    required_capability = INVESTIGATOR
    form_class = forms.HearingRecordForm
    title = _("Record the hearing")
    irreversible = _("The reaction of the person concerned is on record as given.")

    def perform(self, form: forms.HearingRecordForm) -> Any:
        return services.record_hearing(
            case=self.case, acting_user=self.request.user, **form.cleaned_data
        )


class ReportSubmitView(ConclusionActionView):
    required_capability = INVESTIGATOR
    form_class = forms.ConfirmForm
    title = _("Hand the report to the commissioner")
    intro = _(
        "The report goes to the commissioner together with the hearing, as a PDF the "
        "commissioner can open from the case."
    )
    submit_label = _("Hand over")
    success_message = _("The report is with the commissioner; its PDF is being rendered.")
    irreversible = _(
        "The findings and the conclusion can no longer be changed, and the handed-over report "
        "(PDF, with its SHA-256) is on record. The commissioner decides the outcome."
    )

    def perform(self, form: forms.ConfirmForm) -> Any:
        return services.submit_report(case=self.case, acting_user=self.request.user)


class OutcomeView(ConclusionActionView):
    required_capability = COMMISSIONER
    form_class = forms.OutcomeForm
    title = _("Decide the outcome")
    submit_label = _("Decide")
    success_message = _("The outcome is decided. Send the outcome letter to the person concerned.")
    irreversible = _(
        "The outcome (dereliction of duty or not, and the route) is final; a referral to the "
        "line reaches the team chief at once."
    )

    def perform(self, form: forms.OutcomeForm) -> Any:
        return services.decide_outcome(
            case=self.case, acting_user=self.request.user, **form.cleaned_data
        )


class DisciplinaryView(ConclusionActionView):
    """The disciplinary route, one step at a time: intended decision, response, decision, receipt."""

    required_capability = COMMISSIONER
    title = _("Disciplinary route")
    irreversible = _(
        "Each step of the disciplinary route is on record for good: the intended decision, the "
        "response, the decision (never heavier than intended) and the receipt."
    )

    @property
    def procedure(self) -> DisciplinaryProcedure | None:
        return DisciplinaryProcedure.objects.filter(pk=self.case.pk).first()

    def get_form_class(self) -> Any:
        procedure = self.procedure
        if procedure is None:
            return forms.IntendedDecisionForm
        if procedure.response_on is None:
            return forms.DisciplinaryResponseForm
        if procedure.decided_on is None:
            return forms.DisciplinaryDecisionForm
        return forms.ReceiptForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        step = {
            forms.IntendedDecisionForm: _("1. The intended decision"),
            forms.DisciplinaryResponseForm: _("2. The employee's response"),
            forms.DisciplinaryDecisionForm: _("3. The decision (never heavier than intended)"),
            forms.ReceiptForm: _("4. The employee's receipt for the decision"),
        }[self.get_form_class()]
        context["intro"] = step
        return context

    def perform(self, form: Any) -> Any:
        data, user = form.cleaned_data, self.request.user
        if isinstance(form, forms.IntendedDecisionForm):
            return services.intend_punishment(case=self.case, acting_user=user, **data)
        if isinstance(form, forms.DisciplinaryResponseForm):
            return services.record_disciplinary_response(case=self.case, acting_user=user, **data)
        if isinstance(form, forms.DisciplinaryDecisionForm):
            return services.decide_punishment(case=self.case, acting_user=user, **data)
        return services.record_receipt(case=self.case, acting_user=user, **data)


class ReportProvidedView(ConclusionActionView):
    required_capability = COMMISSIONER
    form_class = forms.DateForm
    title = _("The person concerned received the report")
    irreversible = _("The date the person concerned received the report is on record for good.")

    def perform(self, form: forms.DateForm) -> Any:
        return services.record_report_provided(
            case=self.case, on=form.cleaned_data["on"], acting_user=self.request.user
        )


class CaseCloseView(ConclusionActionView):
    required_capability = COMMISSIONER
    form_class = forms.ConfirmForm
    title = _("Close the case")
    intro = _("Possible once the outcome has reached the person concerned.")
    submit_label = _("Close the case")
    success_message = _("The case is closed.")
    irreversible = _(
        "A closed case cannot be reopened; its retention period starts. A complaint about the "
        "investigation can still be registered."
    )
    success_tab = "case_detail"

    def perform(self, form: forms.ConfirmForm) -> Any:
        return services.close_case(case=self.case, acting_user=self.request.user)


class ComplaintCreateView(CaseActionView):
    required_capability = COMMISSIONER
    needs_investigation = True
    form_class = forms.ComplaintForm
    title = _("Register a complaint about the investigation")
    intro = _("The complaint is answered in writing within 6 weeks.")

    def perform(self, form: forms.ComplaintForm) -> Any:
        return services.register_complaint(
            case=self.case, acting_user=self.request.user, **form.cleaned_data
        )


class ComplaintAnswerView(CaseObjectActionView):
    required_capability = COMMISSIONER
    object_selector = staticmethod(complaints_visible_to)
    case_field = "case_id"
    form_class = forms.ComplaintAnswerForm
    title = _("Answer the complaint")
    irreversible = _("The answer is on record and meets the 6-week term.")
    object: InvestigationComplaint

    def perform(self, form: forms.ComplaintAnswerForm) -> Any:
        return services.answer_complaint(
            complaint=self.object, acting_user=self.request.user, **form.cleaned_data
        )


class ReportRenderView(CaseActionView):
    """Start rendering the investigation report in the background (POST only)."""

    required_capability = CASE_STAFF
    needs_investigation = True
    form_class = forms.ConfirmForm
    http_method_names = ["post"]
    success_tab = "conclusion"
    success_message = _("The report is being rendered; you can follow its progress here.")

    def perform(self, form: forms.ConfirmForm) -> Any:
        return services.request_report_render(case=self.case, acting_user=self.request.user)

    def form_invalid(self, form: Any) -> HttpResponse:
        return HttpResponseRedirect(self.get_success_url())
