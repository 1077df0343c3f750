"""Administration of the cases app's reference data: the list of disciplinary punishments.

Cases themselves are never edited in the admin: every change goes through a service that
enforces the protocol.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Punishment


@admin.register(Punishment)
class PunishmentAdmin(SimpleHistoryAdmin):
    list_display = ["severity", "name", "legal_basis", "is_active"]
    list_editable = ["is_active"]
    ordering = ["severity"]
