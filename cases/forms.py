"""Forms of the cases app. Choices are restricted to what the user may see or act on.

Employees are named by personnel number, never picked from a list of staff: a form must not
become a way to browse the directory. The services re-validate everything; forms only shape
the input and give early, field-level feedback.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import (
    AssignmentExtension,
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    DeliveryMethod,
    DocumentRequest,
    HearingForm,
    Interview,
    IntervieweeRole,
    Investigation,
    InvestigationMethod,
    LetterKind,
    MethodKind,
    OutcomeRoute,
    Punishment,
    RijksrechercheCriterion,
    SearchPresence,
    TelecomStage,
    TriageDecision,
)
from cases.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES
from vik.models import Employee, Unit
from vik.typology.forms import KindsField
from vik.widgets import DateInput, DateTimeInput


def today() -> Any:
    return timezone.localdate()


def now_minute() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


class DateField(forms.DateField):
    widget = DateInput


class PersonnelNumbersField(forms.CharField):
    """Personnel numbers separated by spaces, commas or new lines → employees.

    Only employees in ``employees`` (set by the form: those the user may look up) are found;
    any other number is "unknown", exactly like one that does not exist, so the field cannot
    be used to find out who has which number.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)
        self.employees: QuerySet[Employee] = Employee.objects.none()

    def clean(self, value: Any) -> list[Employee]:
        text = super().clean(value) or ""
        numbers = [n for n in re.split(r"[\s,;]+", text) if n]
        employees = {
            e.personnel_number: e for e in self.employees.filter(personnel_number__in=numbers)
        }
        unknown = [n for n in numbers if n not in employees]
        if unknown:
            raise forms.ValidationError(
                _("Unknown personnel number: %(numbers)s") % {"numbers": ", ".join(unknown)}
            )
        return [employees[n] for n in dict.fromkeys(numbers)]


class PersonnelNumberField(PersonnelNumbersField):
    def clean(self, value: Any) -> Employee | None:  # type: ignore[override]
        employees = super().clean(value)
        if len(employees) > 1:
            raise forms.ValidationError(_("Give one personnel number."))
        return employees[0] if employees else None


class EmployeeLookupForm(forms.Form):
    """A form whose personnel-number fields find only the employees the user may look up."""

    def __init__(self, *args: Any, employees: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, PersonnelNumbersField):
                field.employees = employees


# --- Intake and triage ----------------------------------------------------------------------


class ReportForm(EmployeeLookupForm):
    """Register a report (melding). The reporter's identity is stored apart from the case."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=DateTimeInput, initial=now_minute
    )
    summary = forms.CharField(
        label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 6})
    )
    concerned = PersonnelNumbersField(
        label=_("Person(s) concerned (personnel numbers)"),
        required=False,
        help_text=_("Separate several numbers with spaces. Leave empty if not yet known."),
    )
    named = PersonnelNumbersField(
        label=_("Other employees named in the report (personnel numbers)"),
        required=False,
        help_text=_("Everyone named here is excluded from seeing the case."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),  # the user's units, set in __init__
        required=False,
        help_text=_("Only needed when no person concerned is known yet."),
    )
    source_reference = forms.CharField(label=_("Source reference"), required=False, max_length=100)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=200)
    reporter_contact = forms.CharField(
        label=_("Reporter's contact details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reporter_personnel_number = PersonnelNumberField(
        label=_("Reporter's personnel number (if an employee)"), required=False
    )
    reporter_consent = forms.BooleanField(
        label=_("The reporter consents to disclosure of their identity"), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_reporter = bool(data.get("reporter_name") or data.get("reporter_personnel_number"))
        if data.get("channel") == Channel.ANONYMOUS and has_reporter:
            raise forms.ValidationError(_("An anonymous report has no reporter identity."))
        if data.get("reporter_personnel_number") and not data.get("reporter_name"):
            data["reporter_name"] = data["reporter_personnel_number"].full_name
        if not data.get("concerned") and not data.get("unit"):
            self.add_error("unit", _("Choose the unit when no person concerned is known."))
        return data


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CRITERION_PREFIX = "criterion_"


class TriageForm(forms.Form):
    """The triage decision, with a yes or no to every Rijksrecherche criterion in use."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=TriageDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    rijksrecherche_exception = forms.CharField(
        label=_("Reasoned exception (only if a criterion applies and you do not refer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the case and counted in the yearly figures."),
    )
    referral_reference = forms.CharField(
        label=_("Reference at the receiving party (referrals)"), required=False, max_length=100
    )
    line_instruction = forms.CharField(
        label=_("What the team chief is to discuss (back to the line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The team chief sees only this and the employee's name; never the reporter."),
    )
    kinds = KindsField(
        required=False,
        help_text=_(
            "What the report is about, in the shared typology (for prevention's trends). "
            "Left empty: “not yet classified”; the outcome records what was found."
        ),
    )

    def __init__(self, *args: Any, criteria: list[RijksrechercheCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"{CRITERION_PREFIX}{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.question,
                choices=YES_NO,
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
            )

    def criterion_fields(self) -> list[Any]:
        """The criteria's bound fields, for the template's fieldset."""
        return [self[f"{CRITERION_PREFIX}{criterion.code}"] for criterion in self.criteria]

    def other_fields(self) -> list[Any]:
        return [field for field in self if not field.name.startswith(CRITERION_PREFIX)]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``triage_report`` takes it: the answers under ``criteria``."""
        data = dict(self.cleaned_data)
        data["criteria"] = {
            criterion.code: data.pop(f"{CRITERION_PREFIX}{criterion.code}")
            for criterion in self.criteria
        }
        return data


class ReporterNoticeForm(forms.Form):
    """What the reporter is told (the standard text, adjustable) and when."""

    sent_on = DateField(label=_("Told on"), initial=today)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Never name the person concerned. Fixed once recorded."),
    )


class PartyForm(EmployeeLookupForm):
    personnel_number = PersonnelNumberField(label=_("Personnel number"))
    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=[
            (CaseParty.Role.CONCERNED, CaseParty.Role.CONCERNED.label),
            (CaseParty.Role.NAMED, CaseParty.Role.NAMED.label),
        ],
    )

    def clean_personnel_number(self) -> Employee:
        employee = self.cleaned_data["personnel_number"]
        if employee is None:
            raise forms.ValidationError(_("Give a personnel number."))
        return employee


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see the reporter's identity?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the access log."),
    )


class ForwardedSignalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("attach", _("Attach to the case")),
            ("return", _("Send back to protective monitoring (only once the case is closed)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when sending back: monitoring reads why."),
    )


class ReporterConsentForm(forms.Form):
    consent_to_disclose = forms.BooleanField(
        label=_("The reporter consents to disclosure of their identity"), required=False
    )


class DateForm(forms.Form):
    on = DateField(label=_("Date"), initial=today)


class CounsellorForm(DateForm):
    note = forms.CharField(label=pgettext_lazy("case note", "Note"), required=False, max_length=500)


# --- Investigators and the assignment -------------------------------------------------------


class InvestigatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignInvestigatorForm(forms.Form):
    user = InvestigatorChoiceField(label=_("Investigator"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, eligible: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignmentForm(forms.ModelForm):
    """The written assignment: everything the protocol requires it to state."""

    class Meta:
        model = Investigation
        fields = [
            "reason",
            "objective",
            "research_questions",
            "employer_powers_consent",
            "planned_methods",
            "reporting_arrangements",
            "expected_duration_days",
            "prosecutor_consulted_on",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "research_questions": forms.Textarea(attrs={"rows": 4}),
            "planned_methods": forms.Textarea(attrs={"rows": 3}),
            "reporting_arrangements": forms.Textarea(attrs={"rows": 2}),
            "prosecutor_consulted_on": DateInput,
        }


class ExtensionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Extension of"), choices=AssignmentExtension.Kind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Description and reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    extra_working_days = forms.IntegerField(
        label=_("Extra working days (extension of time)"),
        required=False,
        min_value=1,
        max_value=250,
    )


class JournalForm(forms.Form):
    text = forms.CharField(label=_("New entry"), widget=forms.Textarea(attrs={"rows": 3}))


# --- Methods ------------------------------------------------------------------------------------


class MethodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Method"), choices=MethodKind.choices)
    description = forms.CharField(
        label=_("What exactly, and why"), widget=forms.Textarea(attrs={"rows": 3})
    )
    proportionality = forms.CharField(
        label=_("Proportionality"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Is the means in reasonable proportion to the aim?"),
    )
    subsidiarity = forms.CharField(
        label=_("Subsidiarity"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why no less intrusive method achieves the aim."),
    )
    covert = forms.BooleanField(label=_("Covert"), required=False)
    suspected_telecom_misuse = forms.CharField(
        label=_("Suspected misuse of telecommunication facilities (telecommunication only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Telephone, e-mail, internet or social media are examined only when their misuse is "
            "suspected, and for no other purpose."
        ),
    )
    outside_working_time = forms.BooleanField(
        label=_("Observation also outside working time"), required=False
    )
    outside_working_time_reason = forms.CharField(
        label=_("Why outside working time (observation only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Observation covers working time. Outside it only for a reason such as suspected "
            "incompatible side activities."
        ),
    )


class MethodNoticesForm(forms.Form):
    works_council_chair_informed_on = DateField(
        label=_("Works-council chair informed on"), required=False
    )
    works_council_chair_name = forms.CharField(
        label=_("Name of the works-council chair"), required=False, max_length=200
    )
    dpa_notified_on = DateField(
        label=_("Data-protection authority notified on (covert methods)"), required=False
    )
    prior_notice_on = DateField(
        label=_("Telecommunication: employee told in advance that it can be examined, on"),
        required=False,
    )
    prior_notice_how = forms.CharField(
        label=_("How the employee was told in advance"),
        required=False,
        max_length=300,
        help_text=_("For example: the e-mail and internet code, signed on appointment."),
    )

    def __init__(self, *args: Any, method: InvestigationMethod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not method.is_telecom:
            del self.fields["prior_notice_on"]
            del self.fields["prior_notice_how"]


class MethodDecisionForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Consent")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when refusing)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TelecomStageForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Stage"), choices=TelecomStage.choices, coerce=int)
    justification = forms.CharField(
        label=_("Weighing of privacy against the investigation's interest"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    later_start_justification = forms.CharField(
        label=_("Why the examination starts beyond stage 1 (first decision only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, current_stage: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        floor = current_stage or 0
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in TelecomStage.choices if value > floor
        ]
        if current_stage:
            del self.fields["later_start_justification"]


class MethodProgressForm(forms.Form):
    on = DateField(label=_("Date"), initial=today)
    presence = forms.ChoiceField(
        label=_("The person concerned"),
        choices=SearchPresence.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Invited in writing to be present. If they had a good reason to stay away, agree on "
            "another time instead."
        ),
    )
    presence_note = forms.CharField(
        label=_("Note on presence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, method: InvestigationMethod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (method.is_workplace_search and method.started_on is None):
            del self.fields["presence"]
            del self.fields["presence_note"]


class RefusalReportedForm(forms.Form):
    on = DateField(label=_("Manager told on"), initial=today)
    manager = forms.CharField(label=_("Manager (name and function)"), max_length=300)


# --- Letters ------------------------------------------------------------------------------------


class LetterDraftForm(forms.Form):
    """Which letter, to whom. Choices come from this investigation only."""

    kind = forms.ChoiceField(label=_("Letter"), choices=LetterKind.choices)
    recipient = forms.ModelChoiceField(
        label=_("Person concerned"), queryset=Employee.objects.none(), required=False
    )
    interview = forms.ModelChoiceField(
        label=_("Interview"), queryset=Interview.objects.none(), required=False
    )
    method = forms.ModelChoiceField(
        label=_("Method (telecommunication, or the search of the workplace)"),
        queryset=InvestigationMethod.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, investigation: Investigation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = investigation.case
        self.fields["recipient"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            case_parties__case=case, case_parties__role=CaseParty.Role.CONCERNED
        )
        self.fields["interview"].queryset = investigation.interviews.all()  # type: ignore[attr-defined]
        self.fields["method"].queryset = investigation.methods.filter(  # type: ignore[attr-defined]
            kind__in=[
                MethodKind.TELECOM_MESSAGES,
                MethodKind.INTERNET_USE,
                MethodKind.PHONE_RECORDS,
                MethodKind.WORKPLACE_SEARCH,
            ]
        )


class LetterEditForm(forms.Form):
    # "Subject" alone is the monitored person in another catalogue: say which subject.
    subject = forms.CharField(label=pgettext_lazy("letter", "Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))


class LetterSentForm(forms.Form):
    sent_on = DateField(label=_("Sent on"), initial=today)
    delivery = forms.ChoiceField(label=_("Delivery"), choices=DeliveryMethod.choices)


# --- Documents ---------------------------------------------------------------------------------


class DocumentRequestForm(EmployeeLookupForm):
    personnel_number = PersonnelNumberField(
        label=_("Requested from (personnel number)"), required=False
    )
    requested_from_name = forms.CharField(
        label=_("Or: name (not an employee)"), required=False, max_length=200
    )
    description = forms.CharField(
        label=_("Documents or goods requested"), widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_on = DateField(label=_("Requested and agreed on"), initial=today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("personnel_number") and not data.get("requested_from_name"):
            raise forms.ValidationError(_("Say from whom the documents are requested."))
        return data


class DocumentOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("received", _("Received")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
    )
    on = DateField(label=_("Date"), initial=today)
    reason = forms.CharField(
        label=_("Reason given for a refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_TYPES))}),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    document_request = forms.ModelChoiceField(
        label=_("In answer to request"),
        queryset=DocumentRequest.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, investigation: Investigation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_request"].queryset = DocumentRequest.objects.filter(  # type: ignore[attr-defined]
            investigation=investigation
        )
        # Said before the upload, not only after a refusal.
        self.fields["file"].help_text = _("Allowed: %(types)s; at most %(size)s.") % {
            "types": ", ".join(sorted(ALLOWED_TYPES)),
            "size": filesizeformat(MAX_UPLOAD_BYTES),
        }


# --- Interviews ------------------------------------------------------------------------------


class InterviewForm(EmployeeLookupForm):
    role = forms.ChoiceField(label=_("The interviewee is"), choices=IntervieweeRole.choices)
    personnel_number = PersonnelNumberField(label=_("Personnel number (employees)"), required=False)
    interviewee_name = forms.CharField(
        label=_("Name (not an employee)"), required=False, max_length=200
    )
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    location = forms.CharField(label=_("Location"), max_length=200)
    expected_duration_minutes = forms.IntegerField(
        label=_("Expected duration (minutes)"), min_value=10, max_value=600, initial=90
    )
    nature_and_purpose = forms.CharField(
        label=_("Nature and purpose of the interview"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_investigator = InvestigatorChoiceField(
        label=_("First investigator"), queryset=User.objects.none()
    )
    second_investigator = InvestigatorChoiceField(
        label=_("Second investigator"), queryset=User.objects.none()
    )
    is_recorded = forms.BooleanField(
        label=_("Record the interview (audio)"), required=False, initial=True
    )

    def __init__(self, *args: Any, investigators: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_investigator", "second_investigator"):
            self.fields[name].queryset = investigators  # type: ignore[attr-defined]


class InterviewOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            ("held", _("The interview was held")),
            ("refused", _("The interviewee refused to cooperate")),
            ("cancelled", _("The interview was cancelled")),
        ],
        widget=forms.RadioSelect,
    )
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=DateTimeInput, required=False, initial=now_minute
    )
    counsel_present = forms.BooleanField(label=_("Counsel was present"), required=False)
    counsel_name = forms.CharField(label=_("Name of counsel"), required=False, max_length=200)
    recording_retain_until = DateField(label=_("Keep the recording until"), required=False)
    reason = forms.CharField(
        label=_("Reason (refusal or cancellation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "held" and not data.get("held_at"):
            self.add_error("held_at", _("When was the interview held?"))
        if data.get("outcome") in {"refused", "cancelled"} and not data.get("reason"):
            self.add_error("reason", _("Give the reason."))
        return data


class VersionForm(forms.Form):
    content = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 20}))


class SentOnForm(forms.Form):
    sent_on = DateField(label=_("Sent to the interviewee on"), initial=today)


class VersionResponseForm(forms.Form):
    """How the interviewee responded to a version sent for signature."""

    response = forms.ChoiceField(
        label=_("The interviewee"),
        choices=[
            ("signed", _("agreed and signed; both sides initialled every page")),
            ("comments", _("returned written comments")),
            ("not_agreed", _("does not agree (reaction attached, no signature)")),
            ("refused", _("agrees with the content but refuses to sign")),
        ],
        widget=forms.RadioSelect,
    )
    on = DateField(label=_("Date"), initial=today)
    every_page_initialled = forms.BooleanField(
        label=_("Every page is initialled by the interviewee and both investigators"),
        required=False,
    )
    text = forms.CharField(
        label=_("Comments, reaction or reason for refusing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("Investigators' view (when there is no agreement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VersionCommentsForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The investigators"),
        choices=[
            ("accept", _("accept the comments: a new version goes for signature")),
            ("reject", _("cannot agree: the report is filed unsigned with the reaction")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("remark", "Explanation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    new_content = forms.CharField(
        label=_("New version (when accepting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
    )


# --- Conclusion ------------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    """No fields: a deliberate click on a button that moves the case on."""


class FindingsForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 10}))
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class HearingOfferForm(forms.Form):
    offered_on = DateField(label=_("Opportunity offered on"), initial=today)
    scheduled_at = forms.DateTimeField(
        label=_("Date and time of the hearing"),
        widget=DateTimeInput,
        required=False,
        help_text=_(
            "For the invitation letter and the calendar file; empty for a written reaction."
        ),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class HearingRecordForm(forms.Form):
    held_on = DateField(label=_("Held or received on"), initial=today)
    form = forms.ChoiceField(
        label=_("Response"), choices=HearingForm.choices, widget=forms.RadioSelect
    )
    counsel_present = forms.NullBooleanField(label=_("Counsel present"))
    findings_made_available = forms.BooleanField(
        label=_("All findings were made available (to view, not to copy; notes allowed)"),
        required=False,
    )
    reaction = forms.CharField(
        label=_("The reaction of the person concerned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class OutcomeForm(forms.Form):
    dereliction = forms.TypedChoiceField(
        label=_("Dereliction of duty (plichtsverzuim)"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("none", _("No judgement"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
    )
    route = forms.ChoiceField(
        label=_("Route"), choices=OutcomeRoute.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    line_instruction = forms.CharField(
        label=_("What the team chief is to discuss (back to the line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kinds = KindsField(
        required=False,
        help_text=_(
            "What was found, in the shared typology (for prevention's trends); the kinds "
            "recorded at triage are kept beside these. Left empty: “not yet classified”."
        ),
    )


class PunishmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.legal_basis})"


class IntendedDecisionForm(forms.Form):
    punishment = PunishmentChoiceField(
        label=_("Intended punishment"), queryset=Punishment.objects.filter(is_active=True)
    )
    intended_on = DateField(label=_("Made known on"), initial=today)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class DisciplinaryResponseForm(forms.Form):
    response_on = DateField(label=_("Response received on"), initial=today)
    response = forms.CharField(
        label=_("The employee's response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Or record that the employee did not respond within the term."),
    )


class DisciplinaryDecisionForm(forms.Form):
    punishment = PunishmentChoiceField(
        label=_("Punishment imposed"),
        queryset=Punishment.objects.filter(is_active=True),
        required=False,
        empty_label=_("No punishment after all"),
    )
    decided_on = DateField(label=_("Decided on"), initial=today)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ReceiptForm(forms.Form):
    signed_on = DateField(label=_("Employee signed the receipt on"), required=False, initial=today)
    refusal_reason = forms.CharField(
        label=_("Or: why the receipt was not signed"), required=False, max_length=500
    )


class ComplaintForm(forms.Form):
    received_on = DateField(label=_("Received on"), initial=today)
    complainant = forms.CharField(label=_("Complainant"), max_length=200)
    summary = forms.CharField(label=_("The complaint"), widget=forms.Textarea(attrs={"rows": 4}))


class ComplaintAnswerForm(forms.Form):
    answered_on = DateField(label=_("Answered in writing on"), initial=today)
    answer_summary = forms.CharField(
        label=_("Summary of the answer"), widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Lists -----------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    """Find a case by reference or narrow the list by status and channel."""

    q = django_filters.CharFilter(label=_("Reference, name or personnel number"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)

    class Meta:
        model = Case
        fields = ["q", "status", "channel"]

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """By reference, or by the person concerned (name or personnel number).

        Only narrows the queryset it is given — the cases the user may see, whose persons
        concerned the list already shows — so it finds nobody outside the user's scope. An
        EXISTS per term, no join: a case with two persons concerned is listed once.
        """
        terms = value.split()
        for term in terms:
            concerned = CaseParty.objects.filter(
                case_id=OuterRef("pk"), role=CaseParty.Role.CONCERNED
            ).filter(
                Q(employee__first_name__icontains=term)
                | Q(employee__last_name__icontains=term)
                | Q(employee__personnel_number__iexact=term)
            )
            queryset = queryset.filter(Q(reference__icontains=term) | Exists(concerned))
        return queryset


class PeriodForm(forms.Form):
    since = DateField(label=_("From"))
    until = DateField(label=_("Until"))
