"""Administration screens for detection settings, need-to-know rules and the run records.

Every change goes through :mod:`monitoring.services`, so it is validated and carries the
administrator and a reason in the history. Scope rules about one employee are personal
data: every look at them (list, record, history, autocomplete) is written to the access log. Signals, subjects and events are not
administered here at all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
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
    ProtocolChange,
    RegionNeighbour,
    RetentionRun,
    ScopeRule,
)
from monitoring.parameters import PARAMETER_SPECS
from monitoring.services import consent
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


class _RationaleForm(forms.ModelForm):
    """Every edit may turn out to be a protocol change: the form asks for its rationale."""

    rationale = forms.CharField(
        label=_("Rationale for the works council"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the change is a protocol change (outside the agreed range, or "
            "switching an indicator): it then waits for the works council's consent."
        ),
    )

    def clean(self) -> dict[str, Any]:
        # Runs before the instance takes the new values: ``self.instance`` is what is stored.
        data = super().clean() or {}
        stored = self.instance
        kinds = []
        if isinstance(stored, MonitoringParameter):
            value = data.get("value")
            if (
                value is not None
                and value != stored.value
                and consent.outside_agreed(value, stored.agreed_min, stored.agreed_max)
            ):
                kinds.append(ProtocolChange.Kind.PARAMETER)
        elif isinstance(stored, IndicatorSetting):
            if "enabled" in data and data["enabled"] != stored.enabled:
                kinds.append(ProtocolChange.Kind.INDICATOR_ENABLED)
            weight = data.get("weight")
            if (
                weight is not None
                and weight != stored.weight
                and consent.outside_agreed(weight, stored.agreed_min, stored.agreed_max)
            ):
                kinds.append(ProtocolChange.Kind.INDICATOR_WEIGHT)
        if not kinds:
            return data
        if len((data.get("rationale") or "").strip()) < consent.MIN_RATIONALE_LENGTH:
            self.add_error(
                "rationale",
                _(
                    "This is a protocol change: give its rationale for the works council "
                    "(at least %(n)s characters)."
                )
                % {"n": consent.MIN_RATIONALE_LENGTH},
            )
        target = getattr(stored, "key", None) or getattr(stored, "code", "")
        if ProtocolChange.objects.filter(kind__in=kinds, target=target, status="pending").exists():
            self.add_error(None, _("A proposal for this setting already awaits the works council."))
        return data


def _told_proposed(request: HttpRequest, proposals: list[Any]) -> None:
    for proposal in proposals:
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "This is a protocol change: it is proposed to the works council and takes "
                    "effect only on its consent."
                ),
                reverse("monitoring:protocol_change_detail", args=[proposal.pk]),
                _("See the proposal"),
            ),
        )


class _ChangeAdmin(SimpleHistoryAdmin):
    """Shared by the parameter and indicator screens: one edit at a time, with a rationale.

    No editing in the list: a change outside the agreed range needs its rationale.
    """

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:  # noqa: FBT001
        obj = super().save_form(request, form, change)
        obj._rationale = form.cleaned_data.get("rationale", "")
        return obj


@admin.register(IndicatorSetting)
class IndicatorSettingAdmin(_ChangeAdmin):
    form = _RationaleForm
    list_display = ["code", "enabled", "weight", "agreed"]
    fields = ["code", "enabled", "weight", "agreed", "rationale"]
    readonly_fields = ["code", "agreed"]

    @admin.display(description=_("agreed with the works council"))
    def agreed(self, obj: IndicatorSetting) -> str:
        if obj.agreed_min is None or obj.agreed_max is None:
            return ""
        return f"{obj.agreed_min.normalize():f} – {obj.agreed_max.normalize():f}"

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
        _told_proposed(
            request,
            services.save_indicator_setting(
                setting=obj,
                acting_user=request.user,
                reason=ADMIN_REASON,
                rationale=getattr(obj, "_rationale", ""),
            ),
        )


class ParameterGroupFilter(admin.SimpleListFilter):
    """The group of a parameter: the part of its key before the dot (``off_duty``, ...)."""

    title = _("group")
    parameter_name = "group"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(group, group) for group in sorted({key.split(".")[0] for key in PARAMETER_SPECS})]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[MonitoringParameter]
    ) -> QuerySet[MonitoringParameter]:
        group = self.value()
        return queryset.filter(key__startswith=f"{group}.") if group else queryset


@admin.register(MonitoringParameter)
class MonitoringParameterAdmin(_ChangeAdmin):
    form = _RationaleForm
    list_display = ["key", "label", "value", "agreed", "allowed"]
    list_filter = [ParameterGroupFilter]
    fields = ["key", "label", "help", "value", "agreed", "allowed", "rationale"]
    readonly_fields = ["key", "label", "help", "agreed", "allowed"]
    # The key is the only text column; get_search_results also matches the meaning and the
    # explanation, which live in the code (``monitoring.parameters``) in the user's language.
    search_fields = ["key"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MonitoringParameter]:
        # A setting a release retired keeps its row until a later migration removes it (the
        # code still running during a deploy reads it); no release reads it, so none shows it.
        return super().get_queryset(request).filter(key__in=list(PARAMETER_SPECS))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[MonitoringParameter], search_term: str
    ) -> tuple[QuerySet[MonitoringParameter], bool]:
        """Parameters whose key, meaning or explanation contain every word searched for.

        Like the admin's own search (each word must match somewhere, case-insensitively),
        but over the texts of ``PARAMETER_SPECS`` too, as the user reads them on the screen.
        """
        words = search_term.casefold().split()
        if not words:
            return queryset, False
        keys = [
            key
            for key, spec in PARAMETER_SPECS.items()
            if all(word in f"{key} {spec.label} {spec.help_text}".casefold() for word in words)
        ]
        return queryset.filter(key__in=keys), False

    @admin.display(description=_("agreed with the works council"))
    def agreed(self, obj: MonitoringParameter) -> str:
        if obj.agreed_min is None or obj.agreed_max is None:
            return ""
        return f"{obj.agreed_min.normalize():f} – {obj.agreed_max.normalize():f}"

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
        return f"{spec.minimum.normalize():f} – {spec.maximum.normalize():f}" if spec else ""

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
        proposal = services.save_parameter(
            parameter=obj,
            acting_user=request.user,
            reason=ADMIN_REASON,
            rationale=getattr(obj, "_rationale", ""),
        )
        _told_proposed(request, [proposal] if proposal else [])


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
