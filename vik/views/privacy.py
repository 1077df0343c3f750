"""The privacy officer's view of the access log (which is itself logged: NEN 7513)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import ListView

from vik import names
from vik.csvexport import streaming_csv_response
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
        """The entries matching the filter in the URL; none while the filter is not valid.

        django-filter would silently drop an invalid field (a date it cannot read) and
        return more than the person asked for: the page and the export must never do that.
        """
        self.filterset = AccessLogFilter(self.request.GET, queryset=self.get_queryset())
        if not self.filterset.is_valid():
            return AccessLogEntry.objects.none()
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
        context = self.get_context_data(
            filter=self.filterset, filter_valid=self.filterset.is_valid()
        )
        return self.response_class(
            request=request,
            template=[htmx_template(request, self.template_name, "results")],
            context=context,
            using=self.template_engine,
        )


class AccessLogExportView(AccessLogMixin):
    """The filtered access log as CSV (streamed: the log grows for years).

    Takes exactly the filter of the page (the same query string); a filter that is not valid
    exports nothing and leads back to the page, where the error shows.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        entries = self.filtered()
        if not self.filterset.is_valid():
            messages.error(request, _("The filter is not valid: nothing was exported."))
            query = request.GET.urlencode()
            return redirect(f"{reverse('vik:access_log')}?{query}" if query else "vik:access_log")
        self.log_own_access(AccessAction.EXPORT)
        # For people, in the language of the session: headers, roles, actions, objects and
        # VIK's own purpose codes in words (vik.names); the object type stays in a column of
        # its own for the analyst who filters on it.
        header = [
            _("When"),
            _("User name"),
            _("Role"),
            _("Action"),
            _("Channel"),
            _("Object"),
            _("Object type (technical)"),
            _("Object number"),
            _("Personnel number"),
            _("Purpose"),
            _("Search terms"),
            _("Request number"),
            _("Address"),
        ]

        # The rows are written while the response streams, after this view has returned:
        # in the language of the request, whatever the thread's language is by then.
        language = translation.get_language()

        def rows() -> Any:
            yield header
            with translation.override(language):
                yield from (_row(entry) for entry in entries.iterator(chunk_size=2000))

        def _row(entry: AccessLogEntry) -> list[Any]:
            return [
                timezone.localtime(entry.occurred_at).isoformat(),
                entry.actor_username,
                names.role(entry.actor_role).label,
                entry.get_action_display(),
                entry.get_channel_display(),
                names.object_ref(entry.object_type, entry.object_id).label,
                entry.object_type,
                entry.object_id,
                entry.employee.personnel_number if entry.employee else "",
                names.purpose(entry.purpose).label,
                entry.query,
                entry.request_id,
                entry.client_address or "",
            ]

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return streaming_csv_response(rows(), filename=f"vik-access-log-{stamp}.csv")
