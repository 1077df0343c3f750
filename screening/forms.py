"""Forms of the screening app. Choices are restricted to what the user may see.

Employees are named by personnel number, never picked from a list, and looked up only among
the employees the officer screens: the forms must not become a way to browse the staff.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from screening.models import EvaluationResponse, ScreeningDossier, SelfReport
from screening.widgets import RadioList
from vik.models import Employee
from vik.roles import UnitScope
from vik.selectors import employee_ids_in_scope
from vik.typology.forms import KindsField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


class ScreenedEmployeeField(forms.CharField):
    """A personnel number that must belong to an employee the officer screens."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Personnel number"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.user: Any = None

    def clean(self, value: Any) -> Employee:
        number = super().clean(value).strip()
        # One message for "does not exist" and "not yours": the form must not reveal who works
        # in units outside the officer's scope.
        try:
            return Employee.objects.select_related("unit").get(
                personnel_number=number,
                id__in=employee_ids_in_scope(user=self.user, scopes=UnitScope.SCREEN),
            )
        except Employee.DoesNotExist:
            raise forms.ValidationError(
                _("No employee with this personnel number works in the units you screen."),
                code="unknown_employee",
            ) from None


class _OfficerForm(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, ScreenedEmployeeField):
                field.user = user


class OpenDossierForm(_OfficerForm):
    """Open an initial screening or a re-screening by hand."""

    employee = ScreenedEmployeeField()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (ScreeningDossier.Kind.INITIAL.value, ScreeningDossier.Kind.INITIAL.label),
            (ScreeningDossier.Kind.PERIODIC.value, ScreeningDossier.Kind.PERIODIC.label),
        ],
        widget=RadioList,
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the screening policy or the handling term."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: appointment to a new function, re-screening brought forward."),
    )


class HitForm(_OfficerForm):
    """Register a continuous-screening notification received for an employee."""

    employee = ScreenedEmployeeField()
    received_on = forms.DateField(
        label=_("Notification received on"), widget=DateInput(), validators=[_not_in_future]
    )
    source_reference = forms.CharField(label=_("Notification number"), max_length=64)
    reported_by = forms.CharField(
        label=_("Unit that recorded the suspicion"),
        max_length=200,
        help_text=_("For example: Eenheid Rotterdam, Landelijke Eenheid."),
    )
    offence = forms.CharField(
        label=_("Suspected offence"),
        max_length=300,
        help_text=_("As described in the notification."),
    )


class InterviewForm(forms.Form):
    held_on = forms.DateField(
        label=_("Interview held on"), widget=DateInput(), validators=[_not_in_future]
    )
    notes = forms.CharField(
        label=_("Notes of the screening interview"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What was discussed and agreed. Seen by the screening officers; part of the "
            "employee's data on an access request."
        ),
    )


class CloseDossierForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ScreeningDossier.Outcome.choices)
    reason = forms.CharField(
        label=_("Reasons for the outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was weighed, and any agreements made with the employee."),
    )
    intake_summary = forms.CharField(
        label=_("For VIK's intake (only when referred for an integrity investigation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only this text goes with the report to VIK's intake, with a reference to this "
            "dossier: no notification details, offence or reasons unless you write them here."
        ),
    )
    kinds = KindsField(
        required=False,
        help_text=_(
            "With agreements, a referral or an objection: the kinds of integrity violation it "
            "points at (for prevention's trends). Left empty: “not yet classified”."
        ),
    )
    closed_on = forms.DateField(
        label=pgettext_lazy("screening", "Closed on"),
        required=False,
        widget=DateInput(),
        validators=[_not_in_future],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == ScreeningDossier.Outcome.REFERRED
            and not data.get("intake_summary", "").strip()
        ):
            self.add_error(
                "intake_summary", _("Write what VIK's intake needs to know about the referral.")
            )
        if data.get("kinds") and data.get("outcome") not in ScreeningDossier.CLASSIFIED_OUTCOMES:
            self.add_error(
                "kinds", _("Only an outcome that points at something gets kinds of violation.")
            )
        return data


class EmptyForm(forms.Form):
    """For actions that need only the button (and the CSRF token)."""


class SelfReportForm(forms.Form):
    """The employee's report under the duty to report (meldplicht)."""

    category = forms.ChoiceField(
        label=_("What changed?"), choices=SelfReport.Category.choices, widget=RadioList
    )
    occurred_on = forms.DateField(
        label=_("Since when?"),
        widget=DateInput(),
        validators=[_not_in_future],
        help_text=_("The date of the change, or your best estimate."),
    )
    description = forms.CharField(
        label=_("Describe the change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        help_text=_(
            "Only what is relevant for your integrity and reliability. A screening officer of "
            "your unit reads it; your team chief does not."
        ),
    )


class EvaluationForm(forms.ModelForm):
    """The 11 evaluation questions; ratings and choices as radio buttons."""

    class Meta:
        model = EvaluationResponse
        fields = [
            "q1_overall",
            "q2_investigator",
            "q3_time",
            "q4_picture",
            "q5_unpleasant",
            "q6_topics",
            "q7_valuable",
            "q8_superfluous",
            "q9_unclear",
            "q10_missing",
            "q11_tips",
        ]
        widgets = {
            "q1_overall": RadioList(inline=True),
            "q2_investigator": RadioList(inline=True),
            "q3_time": RadioList(inline=True),
            "q4_picture": RadioList(inline=True),
            "q6_topics": RadioList(inline=True),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in EvaluationResponse.TEXT_FIELDS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, field in enumerate(self.fields.values(), start=1):
            field.label = f"{number}. {field.label}"
            # Radio lists from model choices get an empty "---------" option: not wanted.
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [c for c in field.choices if c[0] != ""]  # type: ignore[attr-defined]
