"""Authentication backend that turns role assignments into Django permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import BaseBackend

from vik.roles import admin_permissions_for_roles
from vik.selectors import roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class RoleAdminPermissionBackend(BaseBackend):
    """Grants the Django-admin model permissions of the roles a user holds.

    Capabilities are not permissions (see :func:`vik.selectors.has_capability`); this backend
    only opens the admin screens to administrators. It authenticates nobody.
    """

    def get_all_permissions(self, user_obj: User | AnonymousUser, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        cached: set[str] | None = getattr(user_obj, "_vik_role_perm_cache", None)
        if cached is None:
            cached = admin_permissions_for_roles(set(roles_of(user_obj)))
            setattr(user_obj, "_vik_role_perm_cache", cached)  # noqa: B010 - per-request cache
        return cached

    def has_module_perms(self, user_obj: User | AnonymousUser, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))

    def has_perm(self, user_obj: User | AnonymousUser, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
