"""django-filter filter sets for the core's list pages."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import AccessAction, AccessChannel, AccessLogEntry, Employee
from vik.roles import Role
from vik.widgets import DateInput


class EmployeeFilter(django_filters.FilterSet):
    """Search employees by name or personnel number, narrow by unit."""

    q = django_filters.CharFilter(label=_("Name or personnel number"), method="search")

    class Meta:
        model = Employee
        fields = ["q"]

    def search(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        for term in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(personnel_number__iexact=term)
            )
        return queryset


class AccessLogFilter(django_filters.FilterSet):
    """The privacy officer's questions: who looked at this person, what did this user look at."""

    employee = django_filters.CharFilter(
        label=_("Concerns employee (personnel number)"), field_name="employee__personnel_number"
    )
    actor = django_filters.CharFilter(label=_("User name"), field_name="actor_username")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessAction.choices)
    actor_role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=AccessChannel.choices)
    since = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        model = AccessLogEntry
        fields = ["employee", "actor", "action", "actor_role", "channel", "since", "until"]
