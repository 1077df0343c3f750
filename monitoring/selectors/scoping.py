"""Reads of Protective Monitoring that depend on who asks, and read helpers for exports.

:func:`signals_visible_to` is the one place where signals are scoped. An analyst sees the
signals of employees in the units they monitor (``UnitScope.MONITOR``, a grant on a unit
covers every unit below it) — never signals about themselves, nor about an employee they
are conflicted with (both via :func:`vik.selectors.employee_ids_in_scope`). Any other role,
a superuser included, sees nothing: a superuser has no need to know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from monitoring.models import FollowUp, IdentityReveal, Signal
from vik.roles import Capability, UnitScope
from vik.selectors import employee_ids_in_scope, has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def signals_visible_to(*, user: AnyUser) -> QuerySet[Signal]:
    """Signals ``user`` may review: their monitored units, minus themself and conflicts."""
    if not has_capability(user, Capability.REVIEW_SIGNALS):
        return Signal.objects.none()
    return Signal.objects.filter(
        employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.MONITOR)
    )


def pseudonymised_signal_count(user: AnyUser, employee_id: int) -> int:
    """Signals about the employee that ``user`` sees in the queue (under a pseudonym)."""
    return signals_visible_to(user=user).filter(employee_id=employee_id).count()


def reveals_visible_to(*, user: AnyUser) -> QuerySet[IdentityReveal]:
    """Identity-reveal requests on the signals ``user`` may review (for four eyes)."""
    return IdentityReveal.objects.filter(
        signal_id__in=signals_visible_to(user=user).values("id")
    ).select_related("signal", "requested_by", "approved_by")


def followups_visible_to(*, user: AnyUser) -> QuerySet[FollowUp]:
    """Follow-up conversations a team chief holds: about employees of the teams they lead.

    Never about themself or an employee they are conflicted with (through
    :func:`vik.selectors.employee_ids_in_scope`). Any other role sees none here; analysts
    see the outcome on the signal, through :func:`signals_visible_to`.
    """
    if not has_capability(user, Capability.HOLD_CONVERSATIONS):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.LEAD)
    ).select_related("employee", "employee__function", "team", "signal")
