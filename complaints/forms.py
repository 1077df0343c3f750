"""Forms of the complaints app. Choices are restricted to what the user may see.

Employees are named by personnel number and looked up only among the employees of the unit
complained about: a form must not become a way to browse the staff directory.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import ComplainedEmployee, Complaint, ComplaintTheme, Decision, Hearing
from complaints.selectors import handlers_for
from complaints.widgets import CheckboxList, RadioList
from vik.models import ClassificationStage, Employee, Unit, UnitAncestry
from vik.roles import UnitScope
from vik.selectors import unit_ids_in_scope
from vik.typology.forms import KindsField, prepare_kinds_field
from vik.widgets import DateTimeInput

CHECKBOX_FIELD = "complaints/widgets/checkbox_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _not_in_future(value: Any) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        validators=[_not_in_future],
        help_text=help_text or (_("Leave empty for today.") if not required else ""),
    )


def _text(
    label: Any, *, rows: int = 3, required: bool = True, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def employees_by_number(numbers: str, unit: Unit) -> list[Employee]:
    """Employees of ``unit`` (or below it) by personnel number; one error for any unknown."""
    wanted = [n for n in re.split(r"[\s,;]+", numbers or "") if n]
    if not wanted:
        return []
    below = UnitAncestry.objects.filter(ancestor=unit).values("descendant_id")
    found = {
        e.personnel_number: e
        for e in Employee.objects.filter(personnel_number__in=wanted).filter(
            Q(unit_id__in=below) | Q(team_id__in=below)
        )
    }
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise forms.ValidationError(
            _("No employee of %(unit)s has personnel number %(numbers)s.")
            % {"unit": unit, "numbers": ", ".join(unknown)}
        )
    return [found[n] for n in dict.fromkeys(wanted)]


class ComplaintForm(forms.Form):
    """Registration of a complaint as received from the citizen."""

    unit = forms.ModelChoiceField(label=_("Unit complained about"), queryset=Unit.objects.none())
    received_on = _date(_("Received on"))
    conduct_on = _date(_("Date of the conduct"))
    location = forms.CharField(label=_("Place of the conduct"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Received by"), choices=Complaint.Channel.choices)
    summary = _text(_("What the complaint is about"), rows=6)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes (uniform classification)"),
        queryset=ComplaintTheme.objects.filter(is_active=True),
        widget=CheckboxList(columns=2),
    )
    kinds = KindsField(
        required=False,
        widget=CheckboxList(columns=2),
        help_text=_(
            "Next to the themes: the kinds of integrity violation of the shared typology, "
            "for prevention's trends. Left empty: “not yet classified”."
        ),
    )
    personnel_numbers = forms.CharField(
        label=_("Employees complained about (personnel numbers)"),
        required=False,
        help_text=_("Optional, separated by spaces or commas. Often the officer is not known yet."),
    )
    name = forms.CharField(label=_("Name of the complainant"), max_length=200)
    street_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)

    CONTACT_FIELDS = ("name", "street_address", "postcode", "city", "email", "phone")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            id__in=unit_ids_in_scope(user=user, scopes=UnitScope.COMPLAINTS), is_active=True
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, conduct = data.get("received_on"), data.get("conduct_on")
        if received and conduct and conduct > received:
            self.add_error(
                "conduct_on",
                _("The conduct cannot have taken place after the complaint was received."),
            )
        if not any(data.get(name) for name in ("street_address", "email", "phone")):
            self.add_error(
                None,
                _("Give at least one way to reach the complainant: address, e-mail or telephone."),
            )
        if data.get("unit"):
            try:
                data["employees"] = employees_by_number(
                    data.get("personnel_numbers", ""), data["unit"]
                )
            except forms.ValidationError as error:
                self.add_error("personnel_numbers", error)
        return data


class ActionForm(forms.Form):
    """A form for one action on one complaint; knows the complaint and the user."""

    def __init__(self, *args: Any, complaint: Complaint, user: Any, **kwargs: Any) -> None:
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())
    not_involved = forms.BooleanField(
        label=_("The handler was not involved in the conduct complained about."),
        template_name=CHECKBOX_FIELD,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employees = [c.employee for c in self.complaint.complained_employees.all()]
        field = self.fields["handler"]
        field.queryset = handlers_for(unit=self.complaint.unit, employees=employees)  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
        if self.complaint.handler_id is None:
            field.initial = self.user.pk


class ClassifyForm(ActionForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=ComplaintTheme.objects.none(), widget=CheckboxList(columns=2)
    )
    kinds = KindsField(
        required=False,
        widget=CheckboxList(columns=2),
        help_text=_(
            "Next to the themes: the kinds of integrity violation of the shared typology, "
            "for prevention's trends. Left empty: “not yet classified”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.complaint.themes.all()
        # Themes no longer in use stay available on complaints that already carry them.
        self.fields["themes"].queryset = ComplaintTheme.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(id__in=current.values("id"))
        )
        self.fields["themes"].initial = list(current)
        prepare_kinds_field(
            self.fields["kinds"], subject=self.complaint, stage=ClassificationStage.TRIAGE
        )


class AddEmployeeForm(ActionForm):
    personnel_number = forms.CharField(label=_("Personnel number"), max_length=32)

    def clean_personnel_number(self) -> Employee:
        return employees_by_number(self.cleaned_data["personnel_number"], self.complaint.unit)[0]


class RemoveEmployeeForm(ActionForm):
    complained = forms.ModelChoiceField(
        label=_("Employee"), queryset=ComplainedEmployee.objects.none()
    )
    reason = _text(_("Reason"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complained"].queryset = self.complaint.complained_employees.select_related(  # type: ignore[attr-defined]
            "employee"
        )


class StartForm(ActionForm):
    started_on = _date(_("Started on"), required=False)


class FinishInformalForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Complaint.InformalOutcome.choices, widget=RadioList
    )
    note = _text(_("How it went"), help_text=_("Who spoke with whom, and what was agreed."))
    finished_on = _date(_("Ended on"), required=False)


class OfferHearingForm(ActionForm):
    party = forms.ChoiceField(label=_("Offer a hearing to"))
    offered_on = _date(_("Offered on"), required=False)
    scheduled_at = forms.DateTimeField(
        label=pgettext_lazy("complaint", "Date and time of the hearing"),
        required=False,
        widget=DateTimeInput,
        help_text=_("For the invitation letter and the calendar file."),
    )
    location = forms.CharField(label=_("Place of the hearing"), max_length=200, required=False)

    COMPLAINANT = "complainant"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hearings = list(self.complaint.hearings.all())
        offered = {h.employee_id for h in hearings}
        choices = []
        if not any(h.party == Hearing.Party.COMPLAINANT for h in hearings):
            choices.append((self.COMPLAINANT, str(_("The complainant"))))
        choices += [
            (str(c.employee_id), c.employee.full_name)
            for c in self.complaint.complained_employees.select_related("employee")
            if c.employee_id not in offered
        ]
        self.fields["party"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        party = data.get("party")
        if party == self.COMPLAINANT:
            data.update(party=Hearing.Party.COMPLAINANT, employee=None)
        elif party:
            data.update(
                party=Hearing.Party.EMPLOYEE,
                employee=self.complaint.complained_employees.get(employee_id=party).employee,
            )
        return data


class RecordHearingForm(ActionForm):
    hearing = forms.ModelChoiceField(label=_("Hearing"), queryset=Hearing.objects.none())
    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[c for c in Hearing.Status.choices if c[0] != Hearing.Status.OFFERED],
        widget=RadioList,
    )
    held_on = _date(_("Held on"), required=False, help_text=_("Only for a hearing that was held."))
    report = _text(_("Report of the hearing"), rows=5, required=False)
    note = _text(
        _("Note"),
        rows=2,
        required=False,
        help_text=_("Why it was declined, or why the complaint is manifestly unfounded."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = self.complaint.hearings.filter(  # type: ignore[attr-defined]
            status=Hearing.Status.OFFERED
        ).select_related("employee")


class CommitteeRequestForm(ActionForm):
    requested_on = _date(_("Requested on"), required=False)


class CommitteeAdviceForm(ActionForm):
    advice = _text(_("The committee's advice"), rows=4)
    received_on = _date(_("Received on"), required=False)


class ExtendForm(ActionForm):
    reason = _text(_("Reason for the extension"), rows=2)
    extended_on = _date(_("Extended on"), required=False)


class ConsentForm(ActionForm):
    consent_received_on = _date(_("Written consent received on"))
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    note = _text(_("What the complainant agreed to"), rows=2)


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Judgement"), choices=Decision.Outcome.choices)
    reasoning = _text(
        _("Reasons"), rows=8, help_text=_("These reasons are in the decision letter.")
    )
    measures = _text(
        _("Measures"), rows=3, required=False, help_text=_("What the police will do, or has done.")
    )
    decided_on = _date(pgettext_lazy("complaint", "Decided on"), required=False)
    departs_from_advice = forms.BooleanField(
        label=_("The decision departs from the committee's advice"),
        required=False,
        template_name=CHECKBOX_FIELD,
    )
    departure_reason = _text(_("Why it departs from the advice"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.complaint.committee_advice_on:
            del self.fields["departs_from_advice"]
            del self.fields["departure_reason"]


class NotTakenUpForm(ActionForm):
    reason = _text(_("Reason"), rows=3)
    letter_on = _date(_("Letter sent on"), required=False)


class WithdrawForm(ActionForm):
    reason = _text(_("What the complainant said"), rows=2)
    withdrawn_on = _date(_("Withdrawn on"), required=False)


class LetterSentForm(ActionForm):
    sent_on = _date(_("Sent on"), required=False)


class CopySentForm(ActionForm):
    complained = forms.ModelChoiceField(
        label=_("Employee"), queryset=ComplainedEmployee.objects.none()
    )
    sent_on = _date(_("Sent on"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complained"].queryset = self.complaint.complained_employees.filter(  # type: ignore[attr-defined]
            copy_sent_on__isnull=True
        ).select_related("employee")
