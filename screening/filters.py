"""The screening officer's worklist filters."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from screening.models import ScreeningDossier


class DossierFilter(django_filters.FilterSet):
    """Open work first: without a state the list shows every open dossier."""

    class State:
        OPEN = "open"
        OVERDUE = "overdue"
        DUE_SOON = "due_soon"
        CLOSED = "closed"
        ALL = "all"

    STATE_CHOICES = [
        (State.OPEN, pgettext_lazy("state of work", "Open")),
        (State.OVERDUE, _("Overdue")),
        (State.DUE_SOON, _("Due within 90 days")),
        (State.CLOSED, pgettext_lazy("screening", "Closed")),
        (State.ALL, _("All")),
    ]
    DUE_SOON_DAYS = 90

    q = django_filters.CharFilter(label=_("Name or personnel number"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ScreeningDossier.Kind.choices, empty_label=_("All kinds")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="by_state", empty_label=None
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"),
        method="assigned_to_me",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = ScreeningDossier
        fields = ["q", "kind", "state", "mine"]

    def __init__(self, data=None, *args, **kwargs):
        # Without a chosen state the worklist shows the open dossiers.
        data = data.copy() if data is not None else {}
        data.setdefault("state", self.State.OPEN)
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self) -> QuerySet[ScreeningDossier]:
        queryset = super().qs
        # Closed work reads newest first; open work by what is due first.
        if self.form.cleaned_data.get("state") == self.State.CLOSED:
            return queryset.order_by("-closed_on", "-id")
        return queryset.order_by("due_on", "id")

    def search(
        self, queryset: QuerySet[ScreeningDossier], name: str, value: str
    ) -> QuerySet[ScreeningDossier]:
        for term in value.split():
            queryset = queryset.filter(
                Q(employee__first_name__icontains=term)
                | Q(employee__last_name__icontains=term)
                | Q(employee__personnel_number__iexact=term)
            )
        return queryset

    def by_state(
        self, queryset: QuerySet[ScreeningDossier], name: str, value: str
    ) -> QuerySet[ScreeningDossier]:
        today = timezone.localdate()
        open_dossiers = queryset.exclude(status=ScreeningDossier.Status.CLOSED)
        if value == self.State.OPEN:
            return open_dossiers
        if value == self.State.OVERDUE:
            return open_dossiers.filter(due_on__lt=today)
        if value == self.State.DUE_SOON:
            return open_dossiers.filter(
                due_on__gte=today,
                due_on__lte=today + datetime.timedelta(days=self.DUE_SOON_DAYS),
            )
        if value == self.State.CLOSED:
            return queryset.filter(status=ScreeningDossier.Status.CLOSED)
        return queryset

    def assigned_to_me(
        self,
        queryset: QuerySet[ScreeningDossier],
        name: str,
        value: bool | None,  # noqa: FBT001 - django-filter passes it positionally
    ) -> QuerySet[ScreeningDossier]:
        if value:
            return queryset.filter(assigned_to=self.request.user)
        return queryset
