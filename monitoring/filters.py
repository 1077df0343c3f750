"""The analyst's queue filters (django-filter): unit, indicator, status, period and score.

The unit choices are restricted to the units the analyst monitors (and below): a form never
offers what the user may not see. Filtering only narrows the queryset it is given, which
always comes from :func:`monitoring.selectors.signals_visible_to`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import IndicatorCode
from monitoring.models import Signal, SignalIndicator
from vik.models import Unit, UnitAncestry
from vik.roles import UnitScope
from vik.selectors import unit_ids_in_scope
from vik.widgets import DateInput

OPEN_STATUSES = (Signal.Status.NEW, Signal.Status.IN_REVIEW)
DECIDED_STATUSES = (
    Signal.Status.DISMISSED,
    Signal.Status.ESCALATED,
    Signal.Status.REFERRED,
    Signal.Status.CLOSED,
)
STATUS_CHOICES = [
    ("open", _("To review (new or in review)")),
    *[(s.value, s.label) for s in Signal.Status],
    ("all", _("All")),
]


class SignalFilter(django_filters.FilterSet):
    """Narrow the queue. Without a status the queue shows what still needs a decision."""

    q = django_filters.CharFilter(label=_("Pseudonym"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit or team"), queryset=Unit.objects.none(), method="filter_unit"
    )
    indicator = django_filters.ChoiceFilter(
        label=_("Indicator"), choices=IndicatorCode.choices, method="filter_indicator"
    )
    since = django_filters.DateFilter(
        label=_("Window from"), field_name="window_end", lookup_expr="gte", widget=DateInput
    )
    until = django_filters.DateFilter(
        label=_("Window until"), field_name="window_start", lookup_expr="lte", widget=DateInput
    )
    min_score = django_filters.NumberFilter(
        label=_("Score at least"), field_name="score", lookup_expr="gte", min_value=0
    )
    # The bursts view links here for a burst's full list; hidden, so other filters keep it.
    burst = django_filters.CharFilter(
        label=_("Burst"), method="filter_burst", widget=forms.HiddenInput, max_length=200
    )

    class Meta:
        model = Signal
        fields = ["q", "status", "unit", "indicator", "since", "until", "min_score", "burst"]

    def __init__(self, data: Any = None, *args: Any, user: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(
            id__in=unit_ids_in_scope(user=user, scopes=UnitScope.MONITOR)
        ).order_by("code")

    def filter_status(self, queryset: QuerySet[Signal], name: str, value: str) -> QuerySet[Signal]:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def filter_unit(self, queryset: QuerySet[Signal], name: str, value: Unit) -> QuerySet[Signal]:
        if value is None:
            return queryset
        below = UnitAncestry.objects.filter(ancestor=value).values("descendant_id")
        return queryset.filter(unit_id__in=below)

    def search(self, queryset: QuerySet[Signal], name: str, value: str) -> QuerySet[Signal]:
        """By pseudonym (the whole or a part: "PM-ZMNV" finds PM-ZMNV-J3GM), never by name."""
        term = value.strip()
        return queryset.filter(pseudonym__icontains=term) if term else queryset

    def filter_burst(self, queryset: QuerySet[Signal], name: str, value: str) -> QuerySet[Signal]:
        """The signals of one burst (its group key), as the bursts view counts them."""
        if not value:
            return queryset
        return queryset.filter(
            id__in=SignalIndicator.objects.filter(group_key=value).values("signal_id")
        )

    def filter_indicator(
        self, queryset: QuerySet[Signal], name: str, value: str
    ) -> QuerySet[Signal]:
        if not value:
            return queryset
        return queryset.filter(
            id__in=SignalIndicator.objects.filter(code=value).values("signal_id")
        )
