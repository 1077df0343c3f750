"""Forms of prevention and advice. Choices are restricted to what the user may see or use:
teams the user may ask for, presenters of the coordinator's units, kinds still in use.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prevention import selectors
from prevention.models import (
    AdviceKind,
    Dilemma,
    Presenter,
    SessionEvaluationResponse,
    SessionKind,
    SessionRequest,
)
from vik.models import Unit, ViolationKind
from vik.models.typology import UNCLASSIFIED_CODE
from vik.typology.forms import KindsField
from vik.typology.selectors import active_kinds
from vik.widgets import DateInput, DateTimeInput


class EmptyForm(forms.Form):
    """An action without input (accept, take on, approve, close)."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --- Sessions ---------------------------------------------------------------------------

REQUESTABLE_KINDS = [(k.value, k.label) for k in SessionKind if k != SessionKind.AFTER_DISCUSSION]


class SessionRequestForm(forms.ModelForm):
    """The intake form of seed 002: kind, team, learning questions, prompt, dates, conditions."""

    kind = forms.ChoiceField(
        label=_("Kind of session"), choices=REQUESTABLE_KINDS, widget=forms.RadioSelect
    )
    prompt_kind = forms.ModelChoiceField(
        label=_("Kind of violation it is about"),
        queryset=ViolationKind.objects.none(),
        required=False,
        empty_label=_("None in particular"),
    )

    class Meta:
        model = SessionRequest
        fields = [
            "kind",
            "kind_other",
            "team",
            "learning_questions",
            "prompt",
            "prompt_kind",
            "preferred_from",
            "preferred_until",
            "preferred_note",
            "group_size",
            "location",
            "duration_minutes",
        ]
        widgets = {
            "learning_questions": forms.Textarea(attrs={"rows": 4}),
            "prompt": forms.Textarea(attrs={"rows": 3}),
            "preferred_from": DateInput(),
            "preferred_until": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = selectors.requestable_teams(user=user)
        team_field: Any = self.fields["team"]
        team_field.queryset = teams
        team_field.empty_label = None
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        prompt_field: Any = self.fields["prompt_kind"]
        prompt_field.queryset = active_kinds().exclude(code=UNCLASSIFIED_CODE)

    def clean_preferred_from(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("preferred_from")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The preferred period cannot start in the past."))
        return value


class PlanForm(forms.Form):
    planned_start = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=pgettext_lazy("location", "Place"), max_length=300)
    presenters = forms.ModelMultipleChoiceField(
        label=_("Presenters"),
        queryset=Presenter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, user: Any, instance: SessionRequest | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and instance.planned_start and "initial" not in kwargs:
            kwargs["initial"] = {
                "planned_start": timezone.localtime(instance.planned_start),
                "place": instance.place,
                "presenters": list(instance.presenters.all()),
            }
        elif instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"place": instance.location}
        super().__init__(*args, **kwargs)
        field: Any = self.fields["presenters"]
        field.queryset = selectors.presenters_visible_to(user=user).filter(is_active=True)


class RecordForm(forms.Form):
    held_on = forms.DateField(label=pgettext_lazy("session", "Held on"), widget=DateInput())
    what_was_done = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attendance = forms.IntegerField(
        label=_("Attendance"),
        min_value=0,
        max_value=500,
        help_text=_(
            "A number, never names. As many single-use evaluation codes are made, to hand out."
        ),
    )
    follow_up = forms.CharField(
        label=_("Follow-up agreed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, instance: SessionRequest | None = None, **kwargs: Any) -> None:
        if instance is not None and instance.planned_start and "initial" not in kwargs:
            kwargs["initial"] = {"held_on": timezone.localdate(instance.planned_start)}
        super().__init__(*args, **kwargs)


class EvaluationForm(forms.ModelForm):
    """The code from the slip, and the questions. Nothing here says who answers."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code on the slip you were given at the end of the session."),
    )

    class Meta:
        model = SessionEvaluationResponse
        fields = [
            "q1_overall",
            "q2_presenters",
            "q3_useful",
            "q4_speak_freely",
            "q5_length",
            "q6_takeaway",
            "q7_missing",
            "q8_tips",
        ]
        widgets = {
            "q1_overall": forms.RadioSelect,
            "q2_presenters": forms.RadioSelect,
            "q3_useful": forms.RadioSelect,
            "q4_speak_freely": forms.RadioSelect,
            "q5_length": forms.RadioSelect,
            "q6_takeaway": forms.Textarea(attrs={"rows": 2}),
            "q7_missing": forms.Textarea(attrs={"rows": 2}),
            "q8_tips": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("q1_overall", "q2_presenters", "q3_useful", "q4_speak_freely", "q5_length"):
            field: Any = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- Advice -----------------------------------------------------------------------------


class AdviceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"), choices=AdviceKind.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=pgettext_lazy("advice question", "Subject"), max_length=200)
    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the situation and what you are unsure about. Names of others are not needed."
        ),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=pgettext_lazy("advice question", "Answer"), widget=forms.Textarea(attrs={"rows": 6})
    )
    kinds = KindsField(
        help_text=_(
            "What the question turned out to be about (for the trends; never shown to the asker)."
        )
    )


# --- After-discussions and lessons ------------------------------------------------------


class AfterDiscussionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none(), empty_label=None)
    brief = forms.CharField(
        label=_("Brief for the coordinator"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What happened and what the team can learn from it, as far as the coordinator "
            "needs to know. It stays between you and the coordinators."
        ),
    )

    def __init__(self, *args: Any, teams: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["team"]
        field.queryset = teams


class LessonForm(forms.ModelForm):
    """The anonymised lesson: no names, no identifying dates, no case reference."""

    kinds = KindsField(required=False, queryset=active_kinds().exclude(code=UNCLASSIFIED_CODE))

    class Meta:
        model = Dilemma
        fields = ["title", "situation", "questions", "rules", "decision", "kinds"]
        labels = {
            "situation": _("What happened"),
            "questions": _("The dilemma: questions to ask yourself"),
        }
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 5}),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 3}),
            "decision": forms.Textarea(attrs={"rows": 3}),
        }


class ReturnForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks for the coordinator"), widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Library, presenters, trends ----------------------------------------------------------


class DilemmaForm(forms.ModelForm):
    kinds = KindsField(required=False, queryset=active_kinds().exclude(code=UNCLASSIFIED_CODE))
    publish = forms.BooleanField(
        label=_("Publish in the library (every employee can read it)"), required=False
    )

    class Meta:
        model = Dilemma
        fields = ["title", "situation", "questions", "rules", "kinds", "unit"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.Textarea(attrs={"rows": 5}),
            "rules": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.trend_units(user=user)
        field: Any = self.fields["unit"]
        field.queryset = units
        field.required = True
        field.empty_label = None
        if self.instance.pk is not None:
            self.fields["publish"].initial = self.instance.is_published
            kinds_field: Any = self.fields["kinds"]
            kinds_field.queryset = ViolationKind.objects.filter(
                pk__in=[
                    *active_kinds().exclude(code=UNCLASSIFIED_CODE).values_list("pk", flat=True),
                    *self.instance.kinds.values_list("pk", flat=True),
                ]
            )


class PresenterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation or network"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    is_active = forms.BooleanField(label=_("Available"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = selectors.trend_units(user=user)


class TrendMarkForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    kind = forms.ModelChoiceField(
        label=_("Kind of violation"), queryset=ViolationKind.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[(q, format_lazy("{}{}", pgettext_lazy("quarter", "Q"), q)) for q in (1, 2, 3, 4)],
        coerce=int,
    )
    note = forms.CharField(
        label=_("What is rising, and what do you intend to do?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = selectors.trend_units(user=user)
        kind_field: Any = self.fields["kind"]
        kind_field.queryset = active_kinds().exclude(code=UNCLASSIFIED_CODE)


class TrendCloseForm(forms.Form):
    action_taken = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3})
    )
