"""Forms of the review workflow. Choices come only from what the user may see.

A dismissal's rule can name only an incident or subject from the signal's own evidence; the
services re-validate everything, forms shape the input and give field-level feedback.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from monitoring.indicators import Explanation
from monitoring.models import Signal, SignalEvidence
from monitoring.selectors import DISMISS_CATEGORIES
from monitoring.services.review import CHOSEN_REVEAL_REASONS, FeedbackRule
from vik.widgets import DateInput


def _today() -> Any:
    return timezone.localdate()


REVEAL_REASON_CHOICES = [(c.value, c.label) for c in CHOSEN_REVEAL_REASONS]


class RevealRequestForm(forms.Form):
    reason_category = forms.ChoiceField(
        label=_("Kind of reason"),
        choices=REVEAL_REASON_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Counted by kind in the yearly logging report to the works council."),
    )
    reason = forms.CharField(
        label=_("Why do you need to see the name?"),
        help_text=_(
            "Written to the access log and shown to the employee in their overview of who "
            "looked at their data. A second analyst may have to approve."
        ),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevealDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        coerce=lambda value: value == "approve",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Required when refusing."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


CATEGORY_CHOICES = [(c.value, c.label) for c in DISMISS_CATEGORIES]


class DismissForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Explanation category"), choices=CATEGORY_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Explanation"),
        help_text=_("What did the employee actually do, and why is that in order?"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rule = forms.ChoiceField(
        label=_("Stop flagging the same thing"),
        choices=[
            ("", _("No rule")),
            ("assignment", _("Record the missing assignment to an incident")),
            ("subject", _("Authorise this employee for one subject")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Recorded with an end date and visible to the administrator."),
    )
    incident_ref = forms.ChoiceField(label=_("Incident"), required=False)
    subject_ref = forms.ChoiceField(label=pgettext_lazy("signal", "Subject"), required=False)
    valid_until = forms.DateField(label=_("Rule valid until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        incidents = sorted(
            set(signal.evidence.exclude(incident_ref="").values_list("incident_ref", flat=True))
        )
        subjects = sorted(
            set(signal.evidence.exclude(subject_ref="").values_list("subject_ref", flat=True))
        )
        self.fields["incident_ref"].choices = [("", "—"), *((r, r) for r in incidents)]  # type: ignore[attr-defined]
        self.fields["subject_ref"].choices = [("", "—"), *((r, r) for r in subjects)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("rule")
        if kind:
            if not data.get("valid_until"):
                self.add_error("valid_until", _("A rule needs an end date."))
            if kind == "assignment" and not data.get("incident_ref"):
                self.add_error("incident_ref", _("Choose the incident."))
            if kind == "subject" and not data.get("subject_ref"):
                self.add_error("subject_ref", _("Choose the subject."))
        return data

    def feedback_rule(self) -> FeedbackRule | None:
        data = self.cleaned_data
        if not data.get("rule"):
            return None
        return FeedbackRule(
            kind=data["rule"],
            valid_until=data["valid_until"],
            incident_ref=data.get("incident_ref") or "",
            subject_ref=data.get("subject_ref") or "",
        )


class BulkDismissForm(forms.Form):
    group_key = forms.CharField(widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("Explanation category"), choices=CATEGORY_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Explanation (for every signal of the group)"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CitedEvidenceField(forms.ModelMultipleChoiceField):
    """The evidence events the record of an escalation cites (when, system, action, reason).

    Which person or file was opened is left out of the label: the analyst sees it on the
    signal's page; the choice is about which events the record rests on.
    """

    def label_from_instance(self, obj: Any) -> str:
        moment = timezone.localtime(obj.occurred_at)
        return f"{moment:%d-%m-%Y %H:%M} · {obj.system} · {obj.action} · {obj.get_explanation_display()}"


class CitesEvidenceMixin(forms.Form):
    """An escalation form that asks which evidence events its record cites.

    What is cited is kept with the record after the access events' period has ended; the
    rest of the signal's copy goes with the events (docs/privacy.md, section 5). Preselected:
    the events without a work reason, or all when each had one (the same rule the service
    applies when nothing is chosen).
    """

    cited = CitedEvidenceField(
        label=_("Events the record cites"),
        help_text=_(
            "Only these are kept with the record once the access events have been removed "
            "(after at most six months); the rest of the copy goes with the events."
        ),
        queryset=SignalEvidence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["summary", "cited"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = signal.evidence.order_by("occurred_at", "event_id")
        field = self.fields["cited"]
        assert isinstance(field, CitedEvidenceField)  # noqa: S101 - declared above
        field.queryset = rows
        field.required = rows.exists()  # a signal without evidence has nothing to cite
        unexplained = [row.pk for row in rows if row.explanation == Explanation.NONE]
        field.initial = unexplained or [row.pk for row in rows]


class EscalateForm(CitesEvidenceMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary for the team chief"),
        help_text=_(
            "What was found and when, in plain language. The team chief sees this summary, "
            "not your workspace. The name is revealed to you when you escalate."
        ),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 7}),
    )


class ForwardForm(CitesEvidenceMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary for the commissioner"),
        help_text=_(
            "What was found and when. Only the commissioner of the matter reads it; nobody "
            "else is told anything, the employee and the team chief included."
        ),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 7}),
    )


class ReferForm(CitesEvidenceMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary for VIK's intake"),
        help_text=_(
            "Why this is serious enough for an investigation. The employee is not notified "
            "now: the investigation protocol decides when they are informed."
        ),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 7}),
    )


class ProposalDecisionForm(forms.Form):
    """Accept or reject a scope rule proposed by a calibration, with the reason."""

    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: create the scope rule")), ("reject", _("Reject"))],
        coerce=lambda value: value == "accept",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=10,
        help_text=_(
            "Why this function does, or does not, need to know this (kept with the history)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
