"""The team chief's forms for both kinds of conversation: one to plan, one to record.

The record form has the same layout for both kinds; the fields that only a conversation
after a signal has (who was present, the outcome, the kinds of violation) are dropped for a
case back to the line. The services re-validate everything.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from monitoring.models import FollowUp
from monitoring.selectors.conversations import Source, State
from monitoring.services.conversations import MIN_INVITATION_LENGTH, PLACE_MAX_LENGTH
from vik.typology.forms import KindsField
from vik.widgets import DateInput, DateTimeInput

STATE_CHOICES = [("", _("All")), *[(str(value), label) for value, label in State.choices]]
SOURCE_CHOICES = [("", _("Both")), *Source.choices]


class ConversationFilterForm(forms.Form):
    """Search by employee, narrow by status or by where the conversation comes from."""

    q = forms.CharField(label=_("Name or personnel number"), required=False, max_length=100)
    state = forms.TypedChoiceField(
        label=_("Status"), choices=STATE_CHOICES, required=False, coerce=int, empty_value=None
    )
    source = forms.ChoiceField(label=_("Source"), choices=SOURCE_CHOICES, required=False)


class PlanConversationForm(forms.Form):
    planned_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    place = forms.CharField(
        label=pgettext_lazy("conversation", "Place"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_("Optional, e.g. a meeting room. Never the reason for the conversation."),
    )
    invitation = forms.CharField(
        label=_("Invitation to the employee"),
        min_length=MIN_INVITATION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 11}),
        help_text=_(
            "The employee receives it as a message in VIK, with an e-mail that a message "
            "waits. The date, time and place are added below it. Keep it neutral."
        ),
    )

    def clean_planned_at(self) -> Any:
        value = self.cleaned_data["planned_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("Plan the conversation in the future."))
        return value


class RecordConversationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Conversation held on"), initial=timezone.localdate, widget=DateInput
    )
    present = forms.CharField(
        label=_("Present"),
        help_text=_("Who took part, e.g. the employee, you, a confidential counsellor."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    account = forms.CharField(
        label=_("The employee's account"), min_length=10, widget=forms.Textarea(attrs={"rows": 5})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=FollowUp.Outcome.choices, widget=forms.RadioSelect
    )
    agreements = forms.CharField(
        label=_("Agreed actions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kinds = KindsField(
        required=False,
        help_text=_(
            "With “unintended” or a referral: the kinds of integrity violation it was about "
            "(for prevention's trends; the employee sees them in their own data). Left empty: "
            "“not yet classified”."
        ),
    )

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        if source == Source.LINE:
            # A case back to the line: what was discussed and agreed, nothing to classify.
            for name in ("present", "outcome", "kinds"):
                del self.fields[name]
            # A summary, not an account: no minimum length (the service asks for text).
            self.fields["account"] = forms.CharField(
                label=_("Summary of the conversation"), widget=forms.Textarea(attrs={"rows": 5})
            )
            self.fields["agreements"].label = _("Agreements made")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.source == Source.SIGNAL
            and data.get("kinds")
            and data.get("outcome") not in FollowUp.CLASSIFIED_OUTCOMES
        ):
            self.add_error(
                "kinds", _("Only an outcome that points at something gets kinds of violation.")
            )
        return data
