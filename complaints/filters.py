"""Filters of the complaint list and the deadline overview."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import Complaint, ComplaintTheme

_REFERENCE = re.compile(r"^KL-\d{4}-0*(\d+)$", re.IGNORECASE)


class ComplaintFilter(django_filters.FilterSet):
    """Open complaints by default; search by reference, text or personnel number."""

    STATE_CHOICES = [
        ("open", pgettext_lazy("state of work", "Open")),
        ("closed", _("Closed")),
        ("all", _("All")),
    ]

    q = django_filters.CharFilter(label=_("Reference, text or personnel number"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="by_state", empty_label=None
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Complaint.Phase.choices, empty_label=_("All phases")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="themes",
        queryset=ComplaintTheme.objects.all(),
        empty_label=_("All themes"),
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="assigned_to_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Complaint
        fields = ["q", "state", "phase", "theme", "mine"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", "open")
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        value = value.strip()
        if match := _REFERENCE.match(value):
            return queryset.filter(pk=int(match.group(1)))
        for term in value.split():
            queryset = queryset.filter(
                Q(summary__icontains=term)
                | Q(location__icontains=term)
                | Q(complained_employees__employee__personnel_number__iexact=term)
            )
        return queryset.distinct()

    def by_state(self, queryset: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        if value == "open":
            return queryset.exclude(phase=Complaint.Phase.CLOSED)
        if value == "closed":
            return queryset.filter(phase=Complaint.Phase.CLOSED)
        return queryset

    def assigned_to_me(
        self,
        queryset: QuerySet[Complaint],
        name: str,
        value: bool | None,  # noqa: FBT001 - django-filter passes it positionally
    ) -> QuerySet[Complaint]:
        if value:
            return queryset.filter(handler=self.request.user)
        return queryset


class DeadlineFilter(django_filters.FilterSet):
    """The deadline overview: open complaints, earliest deadline first."""

    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="assigned_to_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Complaint
        fields = ["mine"]

    def assigned_to_me(
        self,
        queryset: QuerySet[Complaint],
        name: str,
        value: bool | None,  # noqa: FBT001 - django-filter passes it positionally
    ) -> QuerySet[Complaint]:
        if value:
            return queryset.filter(handler=self.request.user)
        return queryset
