"""Forms of the shared core. Choices are restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vik.models import Employee


class ConflictForm(forms.Form):
    """Declare (or register) that a user must not see anything about an employee.

    The employee is named by personnel number, never picked from a list: the form must not
    become a way to browse the staff directory.
    """

    personnel_number = forms.CharField(label=_("Personnel number of the employee"), max_length=32)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: family member, neighbour, friend, former partner."),
    )

    def __init__(self, *args: Any, choose_user: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_user:
            self.fields["user"] = forms.ModelChoiceField(
                label=_("Conflicted user"),
                queryset=get_user_model()
                .objects.filter(is_active=True, role_assignments__isnull=False)
                .distinct()
                .order_by("username"),
            )
            self.order_fields(["user", "personnel_number", "reason"])

    def clean_personnel_number(self) -> Employee:
        number = self.cleaned_data["personnel_number"].strip()
        try:
            return Employee.objects.get(personnel_number=number)
        except Employee.DoesNotExist:
            raise forms.ValidationError(_("No employee has this personnel number.")) from None


class ReasonForm(forms.Form):
    """A short written reason, for actions that must say why."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
