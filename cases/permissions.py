"""django-guardian object permissions on cases: the per-case grant to assigned investigators.

Investigators see an investigation only when it is assigned to them. That grant is an
object permission (``cases.investigate_case``) on the :class:`cases.models.Case`, stored in
a direct-foreign-key table (indexed, typed joins — see ``vik/permissions.py`` for why) and
written only by :func:`cases.services.assign_investigator` / ``end_investigator_assignment``,
which keep it in step with the :class:`cases.models.InvestigatorAssignment` record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from cases.models import Case

INVESTIGATE_CASE = "cases.investigate_case"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A user's object permission on a case (``investigate_case`` for an assigned investigator)."""

    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A group's object permission on a case (VIK never grants cases to groups; guardian needs it)."""

    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


def grant_case(*, user: User, case: Case) -> None:
    """Let ``user`` work on ``case`` as an assigned investigator. Idempotent."""
    assign_perm(INVESTIGATE_CASE, user, case)


def revoke_case(*, user: User, case: Case) -> None:
    """End ``user``'s per-case grant. Idempotent."""
    remove_perm(INVESTIGATE_CASE, user, case)


def granted_case_ids(user: User | AnonymousUser) -> models.QuerySet[Any]:
    """Ids of the cases assigned to ``user`` (a subquery), nothing for superusers by default.

    Need-to-know data: neither superuser status nor a model-wide permission opens a case,
    and VIK grants cases to people, never to groups.
    """
    from cases.models import Case

    if not user.is_authenticated:
        return Case.objects.none().values("id")
    return get_objects_for_user(
        user,
        INVESTIGATE_CASE,
        klass=Case,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    ).values("id")
