"""Reads for protocol changes and the works council's decisions on them.

A proposal names a setting and holds no personal data, so it is visible to every role that
has a part in it: those who could propose (tuning detection, maintaining retention), the
head of VIK who records the council's decision, and those who follow the figures for the
works council (the council itself, the privacy officer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from monitoring.models import ProtocolChange
from vik.roles import Capability
from vik.selectors import has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

# Any one of these shows the proposals (list, detail, the council's letter).
SEE_PROTOCOL_CHANGES: tuple[Capability, ...] = (
    Capability.RECORD_COUNCIL_CONSENT,
    Capability.TUNE_DETECTION,
    Capability.MANAGE_ORGANISATION,
    Capability.VIEW_AGGREGATES,
)
# Any one of these may propose (and withdraw) a change of its own kind.
PROPOSE_PROTOCOL_CHANGES: tuple[Capability, ...] = (
    Capability.TUNE_DETECTION,
    Capability.MANAGE_ORGANISATION,
)


def protocol_changes_visible_to(*, user: AnyUser) -> QuerySet[ProtocolChange]:
    """Every proposal for those with a part in them; none for anyone else."""
    if not any(has_capability(user, c) for c in SEE_PROTOCOL_CHANGES):
        return ProtocolChange.objects.none()
    return ProtocolChange.objects.select_related("proposed_by", "decision__recorded_by")


def pending_changes(*, kind: str, target: str) -> QuerySet[ProtocolChange]:
    """The proposal awaiting the council for one setting (at most one)."""
    return ProtocolChange.objects.filter(
        kind=kind, target=target, status=ProtocolChange.Status.PENDING
    )


def setting_label(change: ProtocolChange) -> str:
    """What the proposal changes, as a person reads it."""
    from monitoring.indicators import IndicatorCode
    from monitoring.models import IdentityReveal, ImportBatch
    from monitoring.parameters import PARAMETER_SPECS

    kind, target = ProtocolChange.Kind(change.kind), change.target
    labels: dict[ProtocolChange.Kind, dict[str, object]] = {
        ProtocolChange.Kind.PARAMETER: {k: s.label for k, s in PARAMETER_SPECS.items()},
        ProtocolChange.Kind.INDICATOR_WEIGHT: dict(IndicatorCode.choices),
        ProtocolChange.Kind.INDICATOR_ENABLED: dict(IndicatorCode.choices),
        ProtocolChange.Kind.NEW_INDICATOR: dict(IndicatorCode.choices),
        ProtocolChange.Kind.NEW_DATA_SOURCE: dict(ImportBatch.Kind.choices),
        ProtocolChange.Kind.NEW_REVEAL_REASON: dict(IdentityReveal.ReasonCategory.choices),
    }
    if kind == ProtocolChange.Kind.RETENTION:
        from vik.transparency.registry import get_registry

        try:
            return str(get_registry().retention_category(target).label)
        except KeyError:
            return target
    label = labels[kind].get(target)
    return f"{label} ({target})" if label else target


def value_label(change: ProtocolChange, value: str) -> str:
    """A proposal's old or new value, as a person reads it."""
    from django.utils.translation import gettext as _

    if value == "":
        return "—"
    kind = ProtocolChange.Kind(change.kind)
    if kind in (
        ProtocolChange.Kind.INDICATOR_ENABLED,
        ProtocolChange.Kind.NEW_INDICATOR,
        ProtocolChange.Kind.NEW_DATA_SOURCE,
        ProtocolChange.Kind.NEW_REVEAL_REASON,
    ):
        return str(_("in use") if value == "1" else _("not in use"))
    if kind == ProtocolChange.Kind.RETENTION:
        return _("%(n)s months") % {"n": value}
    return value


def awaiting_decision_count(user: AnyUser) -> int:
    """Proposals whose council decision this user may record (the menu's figure)."""
    if not has_capability(user, Capability.RECORD_COUNCIL_CONSENT):
        return 0
    return (
        ProtocolChange.objects.filter(status=ProtocolChange.Status.PENDING)
        .exclude(proposed_by_id=user.pk)
        .count()
    )
