"""The privacy officer's view of the access log (which is itself logged: NEN 7513)."""

from __future__ import annotations

import csv
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.generic import ListView

from vik.filters import AccessLogFilter
from vik.models import AccessAction, AccessLogEntry, Employee
from vik.roles import Capability
from vik.selectors import access_log_visible_to
from vik.services import record_access
from vik.views.base import CapabilityRequiredMixin, VisibleObjectsMixin, htmx_template


class AccessLogMixin(CapabilityRequiredMixin, VisibleObjectsMixin):
    """Filtering and self-logging shared by the page and the CSV export."""

    required_capability = Capability.AUDIT_ACCESS_LOG
    selector = staticmethod(access_log_visible_to)

    def filtered(self) -> QuerySet[AccessLogEntry]:
        self.filterset = AccessLogFilter(self.request.GET, queryset=self.get_queryset())
        return self.filterset.qs.select_related("employee")

    def log_own_access(self, action: AccessAction) -> None:
        """Looking at the log is a look at personal data too; say whose, if one person's."""
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        subject = None
        if number := data.get("employee"):
            subject = (
                Employee.objects.filter(personnel_number=number)
                .values_list("id", flat=True)
                .first()
            )
        record_access(
            actor=self.request.user,
            action=action,
            role=self.role,
            employee=subject,
            object_type=AccessLogEntry._meta.label_lower,
            query=self.request.GET.urlencode(),
        )


class AccessLogView(AccessLogMixin, ListView):
    """Filterable access log: who looked at this person; what did this user look at."""

    template_name = "vik/access_log.html"
    paginate_by = 50

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object_list = self.filtered()
        self.log_own_access(AccessAction.SEARCH)
        context = self.get_context_data(filter=self.filterset)
        return self.response_class(
            request=request,
            template=[htmx_template(request, self.template_name, "results")],
            context=context,
            using=self.template_engine,
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


class AccessLogExportView(AccessLogMixin):
    """The filtered access log as CSV (streamed: the log grows for years)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        entries = self.filtered()
        self.log_own_access(AccessAction.EXPORT)
        writer = csv.writer(_Echo())
        header = [
            "occurred_at",
            "actor_username",
            "actor_role",
            "action",
            "channel",
            "object_type",
            "object_id",
            "employee_personnel_number",
            "purpose",
            "query",
            "request_id",
            "client_address",
        ]

        def rows() -> Any:
            yield writer.writerow(header)
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        timezone.localtime(entry.occurred_at).isoformat(),
                        entry.actor_username,
                        entry.actor_role,
                        entry.action,
                        entry.channel,
                        entry.object_type,
                        entry.object_id,
                        entry.employee.personnel_number if entry.employee else "",
                        entry.purpose,
                        entry.query,
                        entry.request_id,
                        entry.client_address or "",
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="vik-access-log-{stamp}.csv"'
        return response
