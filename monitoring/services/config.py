"""Detection settings: parameters, indicator weights, scope rules, bordering regions.

Each change is validated against its allowed range and stamped with who made it and why
(:func:`vik.history.stamp`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from monitoring.models import (
    IndicatorSetting,
    MonitoringParameter,
    ProtocolChange,
    RegionNeighbour,
    ScopeRule,
)
from monitoring.parameters import INDICATOR_DEFAULTS, PARAMETERS, initial_agreed_range
from monitoring.services import consent
from monitoring.services._common import DEFAULT_REASON, real_user
from vik.history import stamp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@transaction.atomic
def ensure_detection_settings(*, acting_user: AnyUser | None = None) -> int:
    """Add the parameters and indicators a newer release knows but the database lacks.

    A new indicator is added switched off unless the works council consented to it
    (:func:`monitoring.services.consent.in_protocol`); a proposal for it, and for any new
    data source or kind of reveal reason, waits for the council.
    """
    added = 0
    known = set(MonitoringParameter.objects.values_list("key", flat=True))
    for spec in PARAMETERS:
        if spec.key not in known:
            low, high = initial_agreed_range(
                spec.initial, minimum=spec.minimum, maximum=spec.maximum, integer=spec.integer
            )
            parameter = MonitoringParameter(
                key=spec.key, value=spec.initial, agreed_min=low, agreed_max=high
            )
            stamp(parameter, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    known = set(IndicatorSetting.objects.values_list("code", flat=True))
    for default in INDICATOR_DEFAULTS:
        if default.code not in known:
            setting = IndicatorSetting(
                code=default.code,
                weight=default.weight,
                enabled=consent.in_protocol(ProtocolChange.Kind.NEW_INDICATOR, default.code),
                agreed_min=default.weight / 2,
                agreed_max=default.weight * 2,
            )
            stamp(setting, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    consent.propose_new_elements(acting_user=None)
    return added


@transaction.atomic
def save_parameter(
    *, parameter: MonitoringParameter, acting_user: AnyUser, reason: str, rationale: str = ""
) -> ProtocolChange | None:
    """Change a detection parameter within its allowed range (validated), with history.

    Inside the range the works council agreed it is tuning, applied at once (``None``).
    Outside it, it is a protocol change: a proposal with ``rationale`` is returned and the
    stored value stays until the council consents.
    """
    parameter.full_clean()
    stored = MonitoringParameter.objects.select_for_update().get(pk=parameter.pk)
    if parameter.value != stored.value and consent.outside_agreed(
        parameter.value, stored.agreed_min, stored.agreed_max
    ):
        return consent.propose_parameter(
            parameter=stored,
            value=parameter.value,
            rationale=rationale or reason,
            acting_user=acting_user,
        )
    # The agreed range is the council's, never the tuner's: keep the stored one.
    parameter.agreed_min, parameter.agreed_max = stored.agreed_min, stored.agreed_max
    stamp(parameter, acting_user=acting_user, reason=reason).save()
    return None


@transaction.atomic
def save_indicator_setting(
    *, setting: IndicatorSetting, acting_user: AnyUser, reason: str, rationale: str = ""
) -> list[ProtocolChange]:
    """Change an indicator's weight inside the agreed range, with history.

    Switching it on or off, or a weight outside the range the works council agreed, is a
    protocol change: proposed (returned) with ``rationale``, the stored setting unchanged
    until the council consents. Both parts of one edit go the same way: a weight change
    that is tuning is applied even when the switch waits.
    """
    setting.full_clean()
    stored = IndicatorSetting.objects.select_for_update().get(pk=setting.pk)
    proposals = consent.propose_indicator(
        setting=setting, rationale=rationale or reason, acting_user=acting_user
    )
    kinds = {p.kind for p in proposals}
    if ProtocolChange.Kind.INDICATOR_ENABLED in kinds:
        setting.enabled = stored.enabled
    if ProtocolChange.Kind.INDICATOR_WEIGHT in kinds:
        setting.weight = stored.weight
    setting.agreed_min, setting.agreed_max = stored.agreed_min, stored.agreed_max
    if (setting.enabled, setting.weight) != (stored.enabled, stored.weight) or not proposals:
        stamp(setting, acting_user=acting_user, reason=reason).save()
    return proposals


@transaction.atomic
def save_scope_rule(*, rule: ScopeRule, acting_user: AnyUser, reason: str) -> ScopeRule:
    """Create or change a need-to-know rule (validated), with history."""
    if rule.pk is None and rule.created_by_id is None:
        rule.created_by = real_user(acting_user)
    rule.full_clean()
    stamp(rule, acting_user=acting_user, reason=reason).save()
    return rule


@transaction.atomic
def delete_scope_rule(*, rule: ScopeRule, acting_user: AnyUser, reason: str) -> None:
    """Remove a need-to-know rule; the history keeps what it was."""
    stamp(rule, acting_user=acting_user, reason=reason).delete()


@transaction.atomic
def save_region_neighbour(
    *, pair: RegionNeighbour, acting_user: AnyUser, reason: str
) -> RegionNeighbour:
    """Record that two regions border each other, with history."""
    if pair.region == pair.neighbour:
        raise ValidationError("A region does not border itself.")
    if pair.region > pair.neighbour:
        pair.region, pair.neighbour = pair.neighbour, pair.region
    pair.full_clean()
    stamp(pair, acting_user=acting_user, reason=reason).save()
    return pair


@transaction.atomic
def delete_region_neighbour(*, pair: RegionNeighbour, acting_user: AnyUser, reason: str) -> None:
    """Forget that two regions border each other."""
    stamp(pair, acting_user=acting_user, reason=reason).delete()
