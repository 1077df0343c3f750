"""Administration screens for detection settings, need-to-know rules and the run records.

Every change goes through :mod:`monitoring.services`, so it is validated and carries the
administrator and a reason in the history. Scope rules about one employee are personal
data: every look at them (list, record, history, autocomplete) is written to the access log. Signals, subjects and events are not
administered here at all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from monitoring import services
from monitoring.models import (
    Assignment,
    DetectionRun,
    ImportBatch,
    IndicatorSetting,
    MonitoringParameter,
    MonitoringProtocol,
    RegionNeighbour,
    RetentionRun,
    ScopeRule,
)
from monitoring.parameters import PARAMETER_SPECS
from vik.admin import AccessLoggedAdminMixin
from vik.roles import Capability

ADMIN_REASON = "Beheerscherm"


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: looked at, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndicatorSetting)
class IndicatorSettingAdmin(SimpleHistoryAdmin):
    list_display = ["code", "enabled", "weight"]
    list_editable = ["enabled", "weight"]
    fields = ["code", "enabled", "weight"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the set of indicators is fixed by the code

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: IndicatorSetting,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        services.save_indicator_setting(setting=obj, acting_user=request.user, reason=ADMIN_REASON)


@admin.register(MonitoringParameter)
class MonitoringParameterAdmin(SimpleHistoryAdmin):
    list_display = ["key", "label", "value", "allowed"]
    list_editable = ["value"]
    fields = ["key", "label", "help", "value", "allowed"]
    readonly_fields = ["key", "label", "help", "allowed"]

    @admin.display(description=_("meaning"))
    def label(self, obj: MonitoringParameter) -> str:
        spec = PARAMETER_SPECS.get(obj.key)
        return str(spec.label) if spec else ""

    @admin.display(description=_("explanation"))
    def help(self, obj: MonitoringParameter) -> str:
        spec = PARAMETER_SPECS.get(obj.key)
        return str(spec.help_text) if spec else ""

    @admin.display(description=_("allowed"))
    def allowed(self, obj: MonitoringParameter) -> str:
        spec = PARAMETER_SPECS.get(obj.key)
        return f"{spec.minimum.normalize()} – {spec.maximum.normalize()}" if spec else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: MonitoringParameter,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        services.save_parameter(parameter=obj, acting_user=request.user, reason=ADMIN_REASON)


@admin.register(ScopeRule)
class ScopeRuleAdmin(AccessLoggedAdminMixin, SimpleHistoryAdmin):
    """Need-to-know rules; one about a single employee is personal data (its looks are logged)."""

    logged_capability = Capability.TUNE_DETECTION
    list_display = ["scope", "function", "unit", "employee", "subject_ref", "valid_until", "source"]
    list_filter = ["scope", "source"]
    list_select_related = ["function", "unit", "employee"]
    autocomplete_fields = ["function", "unit", "employee"]
    fields = [
        "function",
        "unit",
        "employee",
        "scope",
        "subject_ref",
        "valid_from",
        "valid_until",
        "reason",
    ]

    def save_model(
        self,
        request: HttpRequest,
        obj: ScopeRule,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        services.save_scope_rule(
            rule=obj, acting_user=request.user, reason=obj.reason or ADMIN_REASON
        )

    def delete_model(self, request: HttpRequest, obj: ScopeRule) -> None:
        services.delete_scope_rule(rule=obj, acting_user=request.user, reason=ADMIN_REASON)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ScopeRule]) -> None:
        for rule in queryset:
            self.delete_model(request, rule)


@admin.register(RegionNeighbour)
class RegionNeighbourAdmin(SimpleHistoryAdmin):
    list_display = ["region", "neighbour"]
    fields = ["region", "neighbour"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a pair is added or removed, not edited

    def save_model(
        self,
        request: HttpRequest,
        obj: RegionNeighbour,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        services.save_region_neighbour(pair=obj, acting_user=request.user, reason=ADMIN_REASON)

    def delete_model(self, request: HttpRequest, obj: RegionNeighbour) -> None:
        services.delete_region_neighbour(pair=obj, acting_user=request.user, reason=ADMIN_REASON)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RegionNeighbour]) -> None:
        for pair in queryset:
            self.delete_model(request, pair)


class MonitoringProtocolForm(forms.ModelForm):
    class Meta:
        model = MonitoringProtocol
        fields = ["title", "text"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < 50:
            raise forms.ValidationError(_("Give the protocol's full text."))
        return text


@admin.register(MonitoringProtocol)
class MonitoringProtocolAdmin(SimpleHistoryAdmin):
    """The administrator publishes a new version; a published one is never edited."""

    form = MonitoringProtocolForm
    list_display = ["version", "title", "published_at", "published_by"]
    fields = ["title", "text"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a correction is a new version, which asks every employee again

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the receipts refer to it

    def save_model(
        self,
        request: HttpRequest,
        obj: MonitoringProtocol,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        published = services.publish_protocol(
            title=obj.title, text=obj.text, acting_user=request.user
        )
        obj.pk, obj.version, obj.published_at = (
            published.pk,
            published.version,
            published.published_at,
        )


@admin.register(ImportBatch)
class ImportBatchAdmin(_ReadOnlyAdmin):
    list_display = [
        "started_at",
        "kind",
        "source",
        "status",
        "imported",
        "duplicates",
        "rejected",
        "unknown_employees",
        "unknown_subjects",
    ]
    list_filter = ["kind", "status"]
    # Rejected rows hold raw log lines (personnel numbers, subjects): not shown here.
    exclude = ["acting_user"]


@admin.register(DetectionRun)
class DetectionRunAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "period_start", "period_end", "phase", "finished_at"]
    list_filter = ["phase"]


@admin.register(RetentionRun)
class RetentionRunAdmin(_ReadOnlyAdmin):
    list_display = ["ran_at", "cutoff", "events_removed"]


@admin.register(Assignment)
class ReviewAssignmentAdmin(AccessLoggedAdminMixin, _ReadOnlyAdmin):
    """Assignments an analyst recorded when dismissing a signal (``source=review``).

    Shown so the administrator sees which missing assignments silence detection, and until
    when. Imported assignments are reference data and are not listed. Looking at them is
    written to the access log, like scope rules about one employee.
    """

    logged_capability = Capability.TUNE_DETECTION
    list_display = ["employee", "incident_ref", "start", "end", "created_by", "reason"]
    list_select_related = ["employee", "created_by"]
    ordering = ["-start"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).filter(source=Assignment.Source.REVIEW)
