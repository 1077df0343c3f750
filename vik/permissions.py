"""django-guardian object permissions on units: the unit-scoped grants.

Direct-foreign-key permission models (instead of guardian's generic ``object_pk`` text
column) keep the joins indexed and typed; paperless-ngx learned the hard way that the
generic table makes scoped lists slow. Grants and revokes happen only through the helpers
here, called from :mod:`vik.services` — never from a view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from vik.roles import UnitScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from vik.models import Unit


class UnitUserObjectPermission(UserObjectPermissionBase):
    """A user's object permission on a unit (e.g. ``monitor_unit`` for an analyst)."""

    content_object = models.ForeignKey("vik.Unit", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    """A group's object permission on a unit (unused by VIK's roles; required by guardian)."""

    content_object = models.ForeignKey("vik.Unit", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


def grant_unit_scope(*, user: User, unit: Unit, scope: UnitScope) -> None:
    """Give ``user`` the object permission ``scope`` on ``unit``. Idempotent."""
    assign_perm(scope.perm, user, unit)


def revoke_unit_scope(*, user: User, unit: Unit, scope: UnitScope) -> None:
    """Take the object permission ``scope`` on ``unit`` away from ``user``. Idempotent."""
    remove_perm(scope.perm, user, unit)


def units_granted(
    user: User | AnonymousUser, scopes: UnitScope | tuple[UnitScope, ...]
) -> models.QuerySet[Unit]:
    """Units on which ``user`` holds any of ``scopes`` — the grants themselves, no descendants.

    Superusers and holders of a model-wide permission get nothing extra: unit scope is
    need-to-know, so both guardian shortcuts are switched off.
    """
    from vik.models import Unit

    if isinstance(scopes, UnitScope):
        scopes = (scopes,)
    return get_objects_for_user(
        user,
        [scope.perm for scope in scopes],
        klass=Unit,
        any_perm=True,
        with_superuser=False,
        accept_global_perms=False,
    )
