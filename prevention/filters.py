"""Filters of the prevention lists: session requests, advice questions, the dilemma library."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prevention.models import AdviceKind, AdviceRequest, Dilemma, SessionKind, SessionRequest
from vik.models import ViolationKind


class _StateFilterSet(django_filters.FilterSet):
    """Open work first: without a chosen state the list shows what is open."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"
    STATE_CHOICES = [
        (OPEN, pgettext_lazy("state of work", "Open")),
        (CLOSED, _("Closed")),
        (ALL, _("All")),
    ]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", self.OPEN)
        super().__init__(data, *args, **kwargs)


class SessionFilter(_StateFilterSet):
    q = django_filters.CharFilter(label=_("Reference or team"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of session"), choices=SessionKind.choices, empty_label=_("All kinds")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=_StateFilterSet.STATE_CHOICES,
        method="by_state",
        empty_label=None,
    )

    class Meta:
        model = SessionRequest
        fields = ["q", "kind", "state"]

    @property
    def qs(self) -> QuerySet[SessionRequest]:
        queryset = super().qs
        if self.form.cleaned_data.get("state") == self.OPEN:
            return queryset.order_by("answer_due_on", "id")
        return queryset.order_by("-submitted_at", "-id")

    def search(
        self, queryset: QuerySet[SessionRequest], name: str, value: str
    ) -> QuerySet[SessionRequest]:
        value = value.strip()
        number = value.rsplit("-", 1)[-1]
        if number.isdigit():
            return queryset.filter(pk=int(number))
        return queryset.filter(Q(team__name__icontains=value) | Q(team__code__iexact=value))

    def by_state(
        self, queryset: QuerySet[SessionRequest], name: str, value: str
    ) -> QuerySet[SessionRequest]:
        if value == self.OPEN:
            return queryset.filter(status__in=SessionRequest.OPEN_STATUSES)
        if value == self.CLOSED:
            return queryset.filter(status__in=SessionRequest.CLOSED_STATUSES)
        return queryset


class AdviceFilter(_StateFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind of question"), choices=AdviceKind.choices, empty_label=_("All kinds")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=_StateFilterSet.STATE_CHOICES,
        method="by_state",
        empty_label=None,
    )

    class Meta:
        model = AdviceRequest
        fields = ["kind", "state"]

    @property
    def qs(self) -> QuerySet[AdviceRequest]:
        queryset = super().qs
        if self.form.cleaned_data.get("state") == self.OPEN:
            return queryset.order_by("answer_due_on", "id")
        return queryset.order_by("-asked_at", "-id")

    def by_state(
        self, queryset: QuerySet[AdviceRequest], name: str, value: str
    ) -> QuerySet[AdviceRequest]:
        if value == self.OPEN:
            return queryset.filter(status__in=AdviceRequest.OPEN_STATUSES)
        if value == self.CLOSED:
            return queryset.filter(status=AdviceRequest.Status.CLOSED)
        return queryset


class DilemmaFilter(django_filters.FilterSet):
    """Search the library by words, kind of violation and source."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind of violation"),
        queryset=ViolationKind.objects.all(),
        field_name="kinds",
        empty_label=_("All kinds"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Dilemma.Source.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Dilemma.Status.choices, empty_label=_("All states")
    )

    class Meta:
        model = Dilemma
        fields = ["q", "kind", "source", "status"]

    def search(self, queryset: QuerySet[Dilemma], name: str, value: str) -> QuerySet[Dilemma]:
        # Plain containment: portable to the demo's SQLite, and the library is small.
        for term in value.split():
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(situation__icontains=term)
                | Q(questions__icontains=term)
                | Q(rules__icontains=term)
                | Q(decision__icontains=term)
            )
        return queryset
