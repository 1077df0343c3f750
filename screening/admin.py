"""Administration of the screening app's configuration: the re-screening policy.

Dossiers, hits and self-reports are personal data and have no admin screens; they are
handled in the application, where scope, conflicts and the access log apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from screening import services
from screening.models import ScreeningPolicy
from vik.history import stamp

ADMIN_REASON = "Beheerscherm"


@admin.register(ScreeningPolicy)
class ScreeningPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "function", "is_default", "interval_years", "lead_time_months"]
    list_filter = ["interval_years", "is_default"]
    search_fields = ["function__name", "function__code"]
    autocomplete_fields = ["function"]
    list_select_related = ["function"]

    def save_model(
        self,
        request: HttpRequest,
        obj: ScreeningPolicy,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        services.save_policy(policy=obj, acting_user=request.user, reason=ADMIN_REASON)

    def has_delete_permission(
        self, request: HttpRequest, obj: ScreeningPolicy | None = None
    ) -> bool:
        # Without the default policy nobody would know when to re-screen most employees.
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: ScreeningPolicy) -> None:
        stamp(obj, acting_user=request.user, reason=ADMIN_REASON).delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ScreeningPolicy]) -> None:
        # The bulk action too must never remove the default policy.
        for policy in queryset.exclude(is_default=True):
            self.delete_model(request, policy)
