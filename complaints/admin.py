"""Administration of the complaints app's configuration: the uniform classification.

Complaints themselves are personal data and have no admin screens; they are handled in the
application, where scope, conflicts and the access log apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from complaints.models import ComplaintTheme
from vik.history import stamp

ADMIN_REASON = "Beheerscherm"


@admin.register(ComplaintTheme)
class ComplaintThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "is_active", "order"]
    list_filter = ["is_active"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def save_model(
        self,
        request: HttpRequest,
        obj: ComplaintTheme,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        stamp(obj, acting_user=request.user, reason=ADMIN_REASON).save()

    def has_delete_permission(
        self, request: HttpRequest, obj: ComplaintTheme | None = None
    ) -> bool:
        # Deactivate instead: complaints and the yearly figures keep their classification.
        return False
