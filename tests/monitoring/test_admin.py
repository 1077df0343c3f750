"""Administration of detection: the administrator tunes, with validation and history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from monitoring.models import IndicatorSetting, MonitoringParameter, ScopeRule
from monitoring.parameters import PARAMETER_SPECS
from tests.conftest import World
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.ADMINISTRATOR))
    return client


def test_the_administrator_changes_a_parameter_with_history(
    world: World, admin_client: Client
) -> None:
    parameter = MonitoringParameter.objects.get(key="off_duty.margin_minutes")
    url = reverse("admin:monitoring_monitoringparameter_change", args=[parameter.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"value": "45"})
    assert response.status_code == 302
    parameter.refresh_from_db()
    assert parameter.value == 45
    record = parameter.history.first()
    assert record.history_user == world.user(Role.ADMINISTRATOR)
    assert record.history_change_reason == "Beheerscherm"


def test_out_of_range_values_are_refused(admin_client: Client) -> None:
    parameter = MonitoringParameter.objects.get(key="off_duty.margin_minutes")
    url = reverse("admin:monitoring_monitoringparameter_change", args=[parameter.pk])
    response = admin_client.post(url, {"value": "100000"})
    assert response.status_code == 200  # the form again, with the error
    parameter.refresh_from_db()
    assert parameter.value == 90


def test_indicator_weights(world: World, admin_client: Client) -> None:
    setting = IndicatorSetting.objects.get(code="volume_spike")
    url = reverse("admin:monitoring_indicatorsetting_change", args=[setting.pk])
    assert admin_client.post(url, {"weight": "6", "enabled": "on"}).status_code == 302
    setting.refresh_from_db()
    assert setting.weight == 6
    assert setting.history.first().history_user == world.user(Role.ADMINISTRATOR)


def test_scope_rules_about_an_employee_are_logged(world: World, admin_client: Client) -> None:
    rule = ScopeRule.objects.create(
        employee=world.subject, scope=ScopeRule.Scope.SUBJECT, subject_ref="S-1", reason="x"
    )
    admin_client.get(reverse("admin:monitoring_scoperule_changelist"))
    admin_client.get(reverse("admin:monitoring_scoperule_change", args=[rule.pk]))
    actions = list(
        AccessLogEntry.objects.filter(employee=world.subject).values_list("action", flat=True)
    )
    assert sorted(actions) == sorted([AccessAction.SEARCH, AccessAction.VIEW])


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PRIVACY_OFFICER])
def test_other_roles_have_no_admin(world: World, role: Role) -> None:
    client = Client()
    client.force_login(world.user(role))
    response = client.get(reverse("admin:monitoring_monitoringparameter_changelist"))
    assert response.status_code == 302


def _listed(client: Client, **query: str) -> set[str]:
    response = client.get(reverse("admin:monitoring_monitoringparameter_changelist"), query)
    assert response.status_code == 200
    return {parameter.key for parameter in response.context["cl"].result_list}


def test_the_parameters_are_searched_by_key_and_by_meaning(admin_client: Client) -> None:
    everything = _listed(admin_client)
    assert _listed(admin_client, q="margin_minutes") == {"off_duty.margin_minutes"}
    # The meaning comes from the code, in the user's language (Dutch here), not from a column.
    with translation.override("nl"):
        label = str(PARAMETER_SPECS["off_duty.margin_minutes"].label)
    assert "off_duty.margin_minutes" in _listed(admin_client, q=label.upper())
    assert _listed(admin_client, q="no-such-parameter") == set()
    assert _listed(admin_client, q="") == everything


def test_the_parameters_are_filtered_by_group(admin_client: Client) -> None:
    off_duty = _listed(admin_client, group="off_duty")
    assert off_duty
    assert off_duty == {key for key in PARAMETER_SPECS if key.startswith("off_duty.")}
