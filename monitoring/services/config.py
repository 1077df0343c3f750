"""Detection settings: parameters, indicator weights, scope rules, bordering regions.

Each change is validated against its allowed range and stamped with who made it and why
(:func:`vik.history.stamp`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from monitoring.models import IndicatorSetting, MonitoringParameter, RegionNeighbour, ScopeRule
from monitoring.parameters import INDICATOR_DEFAULTS, PARAMETERS
from monitoring.services._common import DEFAULT_REASON, real_user
from vik.history import stamp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@transaction.atomic
def ensure_detection_settings(*, acting_user: AnyUser | None = None) -> int:
    """Add the parameters and indicators a newer release knows but the database lacks."""
    added = 0
    known = set(MonitoringParameter.objects.values_list("key", flat=True))
    for spec in PARAMETERS:
        if spec.key not in known:
            parameter = MonitoringParameter(key=spec.key, value=spec.initial)
            stamp(parameter, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    known = set(IndicatorSetting.objects.values_list("code", flat=True))
    for default in INDICATOR_DEFAULTS:
        if default.code not in known:
            setting = IndicatorSetting(code=default.code, weight=default.weight)
            stamp(setting, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    return added


@transaction.atomic
def save_parameter(
    *, parameter: MonitoringParameter, acting_user: AnyUser, reason: str
) -> MonitoringParameter:
    """Change a detection parameter within its allowed range (validated), with history."""
    parameter.full_clean()
    stamp(parameter, acting_user=acting_user, reason=reason).save()
    return parameter


@transaction.atomic
def save_indicator_setting(
    *, setting: IndicatorSetting, acting_user: AnyUser, reason: str
) -> IndicatorSetting:
    """Switch an indicator on or off, or change its weight, with history."""
    setting.full_clean()
    stamp(setting, acting_user=acting_user, reason=reason).save()
    return setting


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
