"""Data migrations that change what detection means keep what an installation had."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from monitoring.models import DetectionRun, MonitoringParameter, ScopeRule
from vik.models import Unit

pytestmark = pytest.mark.django_db

national_scope = importlib.import_module("monitoring.migrations.0021_national_scope_by_scope_rule")


def _units() -> Unit:
    national = Unit.objects.create(code="LE", name="Landelijke Eenheid", kind=Unit.Kind.NATIONAL)
    Unit.objects.create(code="LE-X", name="Sub", kind=Unit.Kind.NATIONAL, parent=national)
    Unit.objects.create(code="AM", name="Amsterdam", kind=Unit.Kind.REGIONAL, region="AM")
    return national


def test_the_national_units_switch_on_becomes_an_explicit_rule_per_national_unit() -> None:
    _units()
    MonitoringParameter.objects.update_or_create(
        key=national_scope.KEY, defaults={"value": Decimal(1)}
    )
    national_scope.to_rules(apps, None)
    rules = list(ScopeRule.objects.values_list("unit__code", "scope", "source"))
    assert rules == [("LE", "national", "policy")]  # the top national unit covers its sub-unit
    # Off, not gone: the code still running during the deploy reads it (and with the rule
    # beside it does what the new code does).
    assert MonitoringParameter.objects.get(key=national_scope.KEY).value == 0

    national_scope.to_switch(apps, None)  # and back
    assert MonitoringParameter.objects.get(key=national_scope.KEY).value == 1
    assert not ScopeRule.objects.exists()


def test_the_switch_off_adds_no_rule() -> None:
    _units()
    MonitoringParameter.objects.update_or_create(
        key=national_scope.KEY, defaults={"value": Decimal(0)}
    )
    national_scope.to_rules(apps, None)
    assert not ScopeRule.objects.exists()
    assert MonitoringParameter.objects.get(key=national_scope.KEY).value == 0


def test_the_settings_screen_hides_a_retired_switch(rf) -> None:
    from django.contrib import admin

    assert MonitoringParameter.objects.filter(key=national_scope.KEY).exists()  # migrated: kept
    shown = set(
        admin.site._registry[MonitoringParameter]
        .get_queryset(rf.get("/"))
        .values_list("key", flat=True)
    )
    assert national_scope.KEY not in shown
    assert "celebrity.min_employees" in shown


scoped_join_on = importlib.import_module("monitoring.migrations.0026_scoped_join_on")
scoped_join_range = importlib.import_module("monitoring.migrations.0028_scoped_join_agreed_range")


def test_a_department_switched_on_by_the_release_may_go_back_to_its_agreed_zero(
    django_user_model,
) -> None:
    """0026 switched ``celebrity.scoped_join`` on where it was untouched; 0028 leaves a
    department that detected under 0 both values (round 18), so setting 0 is tuning, not a
    protocol change; a new installation keeps the release's 1 to 1."""
    from monitoring.services.config import save_parameter

    MonitoringParameter.objects.filter(key=scoped_join_on.KEY).delete()  # as migrated
    MonitoringParameter.objects.create(
        key=scoped_join_on.KEY, value=Decimal(0), agreed_min=Decimal(0), agreed_max=Decimal(0)
    )
    scoped_join_on.switch_on(apps, None)
    scoped_join_range.widen(apps, None)  # a new installation: nothing ran under 0
    parameter = MonitoringParameter.objects.get(key=scoped_join_on.KEY)
    assert (parameter.value, parameter.agreed_min, parameter.agreed_max) == (1, 1, 1)
    DetectionRun.objects.create(
        period_start=datetime.date(2026, 10, 19), period_end=datetime.date(2026, 11, 1)
    )
    scoped_join_range.widen(apps, None)  # an installation that detected under 0
    parameter = MonitoringParameter.objects.get(key=scoped_join_on.KEY)
    assert (parameter.value, parameter.agreed_min, parameter.agreed_max) == (1, 0, 1)
    parameter.value = Decimal(0)
    admin = django_user_model.objects.create(username="beheerder")
    assert (
        save_parameter(parameter=parameter, acting_user=admin, reason="Nog niet met de OR") is None
    )
    assert MonitoringParameter.objects.get(key=scoped_join_on.KEY).value == 0

    scoped_join_range.narrow(apps, None)  # and back
    assert MonitoringParameter.objects.get(key=scoped_join_on.KEY).agreed_min == 0


def test_a_switch_the_department_set_itself_keeps_its_agreed_range() -> None:
    MonitoringParameter.objects.filter(key=scoped_join_on.KEY).delete()  # as migrated
    MonitoringParameter.objects.create(
        key=scoped_join_on.KEY, value=Decimal(1), agreed_min=Decimal(1), agreed_max=Decimal(1)
    )
    scoped_join_range.widen(apps, None)
    parameter = MonitoringParameter.objects.get(key=scoped_join_on.KEY)
    assert (parameter.value, parameter.agreed_min, parameter.agreed_max) == (1, 1, 1)
