"""The role-aware home page, "Mijn werk"."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from vik.models import RoleAssignment
from vik.navigation import entries_for
from vik.roles import Role


class HomeView(TemplateView):
    """What this user can do here, with the work waiting for them."""

    template_name = "vik/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assert user.is_authenticated  # noqa: S101 - LoginRequiredMiddleware guarantees it
        tiles = []
        for entry in entries_for(user):
            pending = entry.pending(user) if entry.pending else None
            tiles.append({"entry": entry, "pending": pending})
        assignments = RoleAssignment.objects.filter(user=user).select_related("unit")
        context.update(
            tiles=tiles,
            assignments=sorted(assignments, key=lambda a: list(Role).index(Role(a.role))),
        )
        return context
