"""Administration of prevention's configuration: the working agreements (terms).

Requests, questions and lessons are handled in the application, where scope, conflicts and
the access log apply; they have no admin screens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from prevention.models import PreventionSettings
from vik.history import stamp

ADMIN_REASON = "Beheerscherm"


@admin.register(PreventionSettings)
class PreventionSettingsAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "first_answer_working_days",
        "reminder_working_days_before",
        "evaluation_open_days",
    ]

    def save_model(
        self,
        request: HttpRequest,
        obj: PreventionSettings,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        stamp(obj, acting_user=request.user, reason=ADMIN_REASON).save()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row, made on first use.
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PreventionSettings | None = None
    ) -> bool:
        return False
