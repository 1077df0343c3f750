"""Administration of the cases app's reference data: punishments, the Rijksrecherche criteria
and the deputy commissioners.

Cases themselves are never edited in the admin: every change goes through a service that
enforces the protocol. The reference data is the functional administrator's, with history;
criteria and deputies are deactivated, never deleted, so old triage answers and cases keep
what they were decided under.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CommissionerDeputy, Punishment, RijksrechercheCriterion
from vik.history import stamp
from vik.roles import Role

ADMIN_REASON = "Beheerscherm"


@admin.register(Punishment)
class PunishmentAdmin(SimpleHistoryAdmin):
    list_display = ["severity", "name", "legal_basis", "is_active"]
    list_editable = ["is_active"]
    ordering = ["severity"]


class StampedAdmin(SimpleHistoryAdmin):
    """Saves through the history trail with the administrator as the acting user."""

    def save_model(
        self,
        request: HttpRequest,
        obj: Any,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        stamp(obj, acting_user=request.user, reason=ADMIN_REASON).save()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: what was decided under a criterion or deputy stays explained.
        return False


@admin.register(RijksrechercheCriterion)
class RijksrechercheCriterionAdmin(StampedAdmin):
    list_display = ["order", "question", "code", "is_active"]
    list_display_links = ["question"]
    list_filter = ["is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["question", "code"]
    ordering = ["order", "code"]


@admin.register(CommissionerDeputy)
class CommissionerDeputyAdmin(StampedAdmin):
    list_display = ["unit", "user", "is_active", "appointed_at"]
    list_filter = ["is_active"]
    fields = ["unit", "user", "note", "is_active"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # Only heads of VIK can act as commissioner.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, role_assignments__role=Role.VIK_HEAD)
                .distinct()
                .order_by("last_name", "first_name")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
