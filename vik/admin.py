"""Administration screens for the organisation, people and role assignments.

Roles are requested, approved and revoked through :mod:`vik.services`, so the second
person, the guardian permission and the history trail always follow. Looking at an
employee here — list, record, history, autocomplete — is logged like anywhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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
from vik.roles import Capability, Role
from vik.selectors import acting_role, may_set_password
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


class AccessLoggedAdminMixin(admin.ModelAdmin):
    """Writes the access log for every administration page that shows employees' data.

    The list (one search entry per employee shown), the change page, the history list and
    a historical version (simple-history), and the delete confirmation: each a look at the
    employee's data, logged through the same service the pages use, on channel "admin".
    Subclasses say which employees an object concerns (:meth:`employee_ids_of`).
    """

    logged_capability: Capability = Capability.MANAGE_ORGANISATION

    def employee_ids_of(self, objects: list[Any]) -> list[int]:
        """The employees the objects are about: ``obj.employee_id`` by default."""
        ids = [getattr(obj, "employee_id", None) for obj in objects]
        return [i for i in ids if i is not None]

    def _role(self, request: HttpRequest) -> Role | None:
        return acting_role(request.user, self.logged_capability)

    def _object_type(self) -> str:
        return self.model._meta.label_lower

    def log_object(self, request: HttpRequest, object_id: str, *, purpose: str = "") -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return
        for employee_id in self.employee_ids_of([obj]):
            services.record_access(
                actor=request.user,
                action=AccessAction.VIEW,
                role=self._role(request),
                employee=employee_id,
                object_type=self._object_type(),
                object_id=str(obj.pk),
                purpose=purpose,
                channel=AccessChannel.ADMIN,
            )

    def log_shown(self, request: HttpRequest, objects: list[Any]) -> None:
        shown = self.employee_ids_of(objects)
        if shown:
            services.record_access_many(
                actor=request.user,
                action=AccessAction.SEARCH,
                role=self._role(request),
                employees=shown,
                object_type=self._object_type(),
                query=request.GET.urlencode(),
                channel=AccessChannel.ADMIN,
            )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self.log_shown(request, list(changelist.result_list))
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        self.log_object(request, object_id)
        return super().change_view(request, object_id, *args, **kwargs)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET":
            self.log_object(request, object_id, purpose="delete")
        return super().delete_view(request, object_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.log_object(request, object_id, purpose="history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.log_object(request, object_id, purpose="history")
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )


@admin.register(Employee)
class EmployeeAdmin(AccessLoggedAdminMixin, SimpleHistoryAdmin):
    list_display = ["personnel_number", "last_name", "first_name", "unit", "team", "function"]
    list_filter = ["unit__kind", "function"]
    search_fields = ["personnel_number", "last_name"]
    list_select_related = ["unit", "team", "function"]
    autocomplete_fields = ["unit", "team", "function", "user"]

    def employee_ids_of(self, objects: list[Any]) -> list[int]:
        return [obj.pk for obj in objects]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    """Assignments are requested (and approved by a second person) or revoked, never edited.

    "Add" leads to VIK's role request page: a role that reads personal data is granted only
    after the head of VIK or the privacy officer approves (docs/permissions.md).
    """

    list_display = ["user", "role", "unit", "granted_by", "approved_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "granted_by", "approved_by"]
    fields = ["user", "role", "unit", "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: RoleAssignment | None = None) -> Any:
        return self.fields if obj is not None else []

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return redirect("vik:role_request_create")

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: Any,
        change: bool,  # noqa: FBT001
    ) -> None:
        # Not reached through the screens (``add_view`` leads to the request page); kept so
        # that any other path still goes through the request and its second person.
        if change:
            return
        services.request_role_grant(
            user=obj.user,
            role=Role(obj.role),
            unit=obj.unit,
            acting_user=request.user,  # type: ignore[arg-type]
            reason=obj.reason or ADMIN_REASON,
        )

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.revoke_role(assignment=obj, acting_user=request.user, reason=ADMIN_REASON)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset.select_related("user", "unit"):
            self.delete_model(request, assignment)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(AccessLoggedAdminMixin, UserAdmin):
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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        account = self.get_object(request, unquote(id))
        if account is not None and not may_set_password(user=request.user, account=account):
            return render(
                request,
                "403.html",
                {
                    "message": _(
                        "This account has no authenticator app yet: whoever sets its password "
                        "would enrol their own and hold the account. Its holder sets the "
                        "password, or an operator on the server."
                    )
                },
                status=403,
            )
        return super().user_change_password(request, id, form_url)

    def employee_ids_of(self, objects: list[Any]) -> list[int]:
        # An account's name and e-mail are its employee's; logged against that employee.
        return list(
            Employee.objects.filter(user__in=[obj.pk for obj in objects]).values_list(
                "id", flat=True
            )
        )


class LoggedAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, writing the access log for the employees it returns.

    Typing two letters into an employee or account field lists matching people: a search
    in the staff directory, logged as one, like the list pages.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.shown: list[Any] = []
        response = super().get(request, *args, **kwargs)
        model_admin = self.model_admin
        if isinstance(model_admin, AccessLoggedAdminMixin) and self.shown:
            model_admin.log_shown(request, self.shown)
        return response

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        self.shown.append(obj)
        return super().serialize_result(obj, to_field_name)


def autocomplete_view(request: HttpRequest) -> HttpResponseBase:
    """Stands in for ``admin:autocomplete`` (same URL, same checks) to log what it shows."""
    return LoggedAutocompleteView.as_view(admin_site=admin.site)(request)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through VIK's own login (with its second factor), never its own.

    A signed-in user who is no administrator is told so (403), instead of being sent back
    and forth between the admin and VIK's login until the browser gives up.
    """
    if request.user.is_authenticated and admin.site.has_permission(request):
        # Already signed in as an administrator (a bookmark): on to where they were going.
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        return redirect(target)
    if request.user.is_authenticated:
        response = render(
            request,
            "403.html",
            {
                "message": _(
                    "The administration screens are for administrators only. Your role does "
                    "not include them."
                )
            },
            status=403,
        )
        return response
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('vik:login')}?{query}" if query else reverse("vik:login"))


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
