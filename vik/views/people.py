"""Employee lookup for those whose work needs it; every look is in the access log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vik.filters import EmployeeFilter
from vik.models import Employee
from vik.roles import Capability
from vik.selectors import employees_visible_to
from vik.views.base import ObjectHistoryView, ScopedDetailView, ScopedListView


class EmployeeListView(ScopedListView):
    """Search the employees of the units the user leads, investigates, heads or screens."""

    required_capability = Capability.VIEW_EMPLOYEES
    selector = staticmethod(employees_visible_to)
    template_name = "vik/employee_list.html"

    def get_queryset(self) -> QuerySet[Employee]:
        self.filterset = EmployeeFilter(self.request.GET, queryset=super().get_queryset())
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter=self.filterset, **kwargs)


class EmployeeDetailView(ScopedDetailView):
    """One employee's record."""

    required_capability = Capability.VIEW_EMPLOYEES
    selector = staticmethod(employees_visible_to)
    template_name = "vik/employee_detail.html"


class EmployeeHistoryView(ObjectHistoryView):
    """The history trail of one employee's record."""

    required_capability = Capability.VIEW_EMPLOYEES
    selector = staticmethod(employees_visible_to)
