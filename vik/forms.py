"""Forms of the shared core. Choices are restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vik.models import Unit
from vik.roles import ROLE_UNIT_SCOPE, Role, reads_personal_data

# Roles whose holders may need a conflict registered against them: every role that reads
# personal data. (The choice list would otherwise list every employee's account.)
_CONFLICTABLE_ROLES = [role.value for role in Role if reads_personal_data(role)]


class ConflictForm(forms.Form):
    """Declare (or register) that a user must not see anything about an employee.

    The employee is named by personnel number, never picked from a list, and the number is
    not looked up here: the form must not become a way to browse the staff directory or to
    test whether a number exists. The service stores it as typed, whoever it belongs to.
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
                .objects.filter(is_active=True, role_assignments__role__in=_CONFLICTABLE_ROLES)
                .distinct()
                .order_by("username"),
                help_text=_("Leave empty to register your own conflict."),
                required=False,
                empty_label=_("Myself"),
            )
            self.order_fields(["user", "personnel_number", "reason"])

    def clean_personnel_number(self) -> str:
        return self.cleaned_data["personnel_number"].strip()


class ReasonForm(forms.Form):
    """A short written reason, for actions that must say why."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RoleRequestForm(forms.Form):
    """An administrator asks for a role for an account (approved by a second person)."""

    username = forms.CharField(
        label=_("User name of the account"),
        max_length=150,
        help_text=_("The login name, as in the administration screens."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        # The employee role comes with linking an account to an employee, never by request.
        choices=[(role.value, role.label) for role in Role if role != Role.EMPLOYEE],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True).order_by("code"),
        required=False,
        empty_label=_("No unit (for a role not tied to one)"),
        help_text=_("For a role over units: the grant covers this unit and every unit below it."),
    )
    reason = forms.CharField(
        label=_("Why is the role needed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The approver and the privacy officer read this."),
    )

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return user

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, unit = data.get("role"), data.get("unit")
        if role is not None:
            if role in ROLE_UNIT_SCOPE and unit is None:
                self.add_error("unit", _("This role is held over a unit: choose one."))
            if role not in ROLE_UNIT_SCOPE and unit is not None:
                self.add_error("unit", _("This role is not tied to a unit: leave it empty."))
        return data


class RoleDecisionForm(forms.Form):
    """The second person's decision on a role request, always with a reason."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for your decision"), widget=forms.Textarea(attrs={"rows": 2})
    )
