"""Authentication backends: local passwords (switchable), and role assignments as admin permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend

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


def not_a_password_attempt(request: Any, credentials: Any) -> bool:
    """For django-axes: sign-ins through the OpenID callback are not counted or locked."""
    from django.urls import reverse

    return request is not None and request.path == reverse("vik:oidc_callback")


def local_login_allowed(username: str | None) -> bool:
    """Whether this user name may sign in with a password here (see ``VIK_LOCAL_LOGIN``)."""
    return settings.VIK_LOCAL_LOGIN or (username or "") in settings.VIK_BREAK_GLASS_USERS


class LocalPasswordBackend(ModelBackend):
    """Django's password backend, refusing everyone but break-glass accounts when local
    sign-in is switched off (``VIK_LOCAL_LOGIN=false``): they sign in through the identity
    provider instead. Service accounts never have a usable password.
    """

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        if not local_login_allowed(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and hasattr(user, "service_account"):
            return None  # a system's account works through its API tokens only
        return user
