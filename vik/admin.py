"""Administration screens for the organisation, people and role assignments.

Roles are granted and revoked through :mod:`vik.services`, so the guardian permission and
the history trail always follow. Looking at an employee here is logged like anywhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from vik import services
from vik.models import (
    AccessAction,
    AccessChannel,
    Employee,
    Function,
    RoleAssignment,
    Unit,
    ViolationKind,
)
from vik.roles import Role
from vik.typology import services as typology_services

admin.site.site_header = _("VIK administration")
admin.site.site_title = _("VIK administration")
admin.site.index_title = _("Organisation, people and roles")

ADMIN_REASON = "Beheerscherm"


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:  # noqa: FBT001 - Django's signature
        services.save_unit(unit=obj, acting_user=request.user, reason=ADMIN_REASON)


@admin.register(Function)
class FunctionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["personnel_number", "last_name", "first_name", "unit", "team", "function"]
    list_filter = ["unit__kind", "function"]
    search_fields = ["personnel_number", "last_name"]
    list_select_related = ["unit", "team", "function"]
    autocomplete_fields = ["unit", "team", "function", "user"]

    def change_view(
        self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        self._log(request, AccessAction.VIEW, [object_id])
        return super().change_view(request, object_id, *args, **kwargs)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._log(request, AccessAction.VIEW, [object_id], purpose="history")
        return super().history_view(request, object_id, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = [employee.pk for employee in changelist.result_list]
            services.record_access_many(
                actor=request.user,
                action=AccessAction.SEARCH,
                role=Role.ADMINISTRATOR,
                employees=shown,
                object_type=Employee._meta.label_lower,
                query=request.GET.urlencode(),
                channel=AccessChannel.ADMIN,
            )
        return response

    @staticmethod
    def _log(request: HttpRequest, action: AccessAction, ids: list[str], purpose: str = "") -> None:
        for object_id in ids:
            if object_id.isdigit():
                services.record_access(
                    actor=request.user,
                    action=action,
                    role=Role.ADMINISTRATOR,
                    employee=int(object_id),
                    object_type=Employee._meta.label_lower,
                    object_id=object_id,
                    purpose=purpose,
                    channel=AccessChannel.ADMIN,
                )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    """Assignments are granted or revoked, never edited in place."""

    list_display = ["user", "role", "unit", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "granted_by"]
    fields = ["user", "role", "unit", "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: RoleAssignment | None = None) -> Any:
        return self.fields if obj is not None else []

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: Any,
        change: bool,  # noqa: FBT001
    ) -> None:
        if change:
            return
        assignment = services.assign_role(
            user=obj.user,
            role=Role(obj.role),
            unit=obj.unit,
            acting_user=request.user,
            reason=obj.reason or ADMIN_REASON,
        )
        obj.pk = assignment.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.revoke_role(assignment=obj, acting_user=request.user, reason=ADMIN_REASON)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset.select_related("user", "unit"):
            self.delete_model(request, assignment)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Login accounts. Roles come from role assignments; Django's own groups, permissions and
    superuser flag are not managed here, so an administrator cannot widen their own access."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Break-glass superuser accounts are managed on the command line only.
        return super().get_queryset(request).filter(is_superuser=False)


@admin.register(ViolationKind)
class ViolationKindAdmin(SimpleHistoryAdmin):
    """The typology of integrity violations: kinds are added, renamed, ordered, switched off."""

    list_display = ["name", "code", "is_active", "order"]
    list_filter = ["is_active"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is what figures and other apps refer to; "not yet classified" stays on.
        if obj is None:
            return []
        return ["code", "is_active"] if obj.is_unclassified else ["code"]

    def save_model(self, request: HttpRequest, obj: ViolationKind, form: Any, change: bool) -> None:  # noqa: FBT001 - Django's signature
        typology_services.save_violation_kind(
            kind=obj, acting_user=request.user, reason=ADMIN_REASON
        )

    def has_delete_permission(self, request: HttpRequest, obj: ViolationKind | None = None) -> bool:
        # Switch a kind off instead: classifications and published figures keep it.
        return False
