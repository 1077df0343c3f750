"""Forms of the transparency app. Employees are named by personnel number, never picked
from a list, and only those in the user's scope are accepted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vik.filters import DateInput
from vik.models import Employee
from vik.transparency.models import PrivacySettings, RetentionPolicy
from vik.transparency.registry import ObjectRef, get_registry
from vik.transparency.retention import max_retention_months

if TYPE_CHECKING:
    from django.db.models import QuerySet


class EmployeeNumberField(forms.CharField):
    """A personnel number, resolved within ``allowed`` (a values("id") subquery)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Personnel number of the employee"))
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.allowed: QuerySet[Any] | None = None

    def clean(self, value: Any) -> Employee:
        number = super().clean(value).strip()
        employees = Employee.objects.filter(personnel_number=number)
        if self.allowed is not None:
            employees = employees.filter(id__in=self.allowed)
        employee = employees.first()
        if employee is None:
            # The same answer for "does not exist" and "not yours": no directory by probing.
            raise forms.ValidationError(_("No employee in your units has this personnel number."))
        return employee


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AccessRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Your question (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "You may say what you want to know, but you need not: you receive everything VIK "
            "holds about you."
        ),
    )


class DeferralForm(forms.Form):
    """Defer disclosure: who, what, why and until when."""

    employee = EmployeeNumberField()
    category = forms.ChoiceField(label=_("What is deferred"))
    object_type = forms.ChoiceField(
        label=_("Only this kind of object"),
        required=False,
        help_text=_("Leave empty to defer the whole category."),
    )
    object_id = forms.CharField(label=_("Object number"), max_length=64, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The covert investigation that disclosure would harm. The privacy officer reads this."
        ),
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)

    def __init__(self, *args: Any, allowed_employees: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employee_field = self.fields["employee"]
        assert isinstance(employee_field, EmployeeNumberField)  # noqa: S101
        employee_field.allowed = allowed_employees
        categories = get_registry().disclosure_categories()
        self.fields["category"].choices = [(c.key, c.label) for c in categories]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (object_type, f"{c.label}: {object_type}")
            for c in categories
            for object_type in c.object_types
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", _("Say what kind of object the number is."))
        if data.get("object_type") and not data.get("object_id"):
            self.add_error("object_id", _("Give the object's number."))
        return data

    @property
    def object_ref(self) -> ObjectRef | None:
        data = self.cleaned_data
        if data.get("object_type"):
            return ObjectRef(data["object_type"], data["object_id"].strip())
        return None


class DeferralExtendForm(forms.Form):
    ends_on = forms.DateField(label=_("New end date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PrivacySettingsForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = PrivacySettings
        fields = ["name_disclosure", "unclaimed_after_days", "max_deferral_days"]


class RetentionPolicyForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = RetentionPolicy
        fields = ["period_months", "legal_hold", "legal_hold_reason"]
        widgets = {"legal_hold_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's clean() refuses a longer period with the reason; the browser is told
        # the maximum too. The instance always carries its category (the edit view sets it).
        maximum = max_retention_months(self.instance.category)
        field = self.fields["period_months"]
        field.widget.attrs.update(min=1, max=maximum)
        field.help_text = _("1 to %(maximum)s months.") % {"maximum": maximum}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("legal_hold") and not (data.get("legal_hold_reason") or "").strip():
            self.add_error("legal_hold_reason", _("Give the reason for the legal hold."))
        return data


class LegalHoldForm(forms.Form):
    employee = EmployeeNumberField()
    category = forms.ChoiceField(label=_("Category"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, allowed_employees: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employee_field = self.fields["employee"]
        assert isinstance(employee_field, EmployeeNumberField)  # noqa: S101
        employee_field.allowed = allowed_employees
        self.fields["category"].choices = [("", _("Every category"))] + [  # type: ignore[attr-defined]
            (c.key, c.label) for c in get_registry().retention_categories()
        ]
