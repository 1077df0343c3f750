"""The HR delivery through the API: streamed, imported by a worker, reported with leavers."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from api import services as api_services
from api.models import Delivery
from tests.vik.test_hr import FUNCTIONS, deliver, employees_csv
from vik.roles import Role

pytestmark = pytest.mark.django_db


def test_the_hr_delivery_through_the_api(api_caller, world, tmp_path) -> None:
    caller = api_caller(Role.ADMINISTRATOR, name="hr-systeem")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    deliver(tmp_path, employees=employees_csv(world, end=yesterday), functions=FUNCTIONS)
    with (
        mock.patch("api.tasks.import_delivery.delay") as delay,
        TestCase.captureOnCommitCallbacks(execute=True),
        (tmp_path / "employees.csv").open("rb") as employees,
        (tmp_path / "functions.csv").open("rb") as functions,
    ):
        response = caller.post(
            reverse("api:hr_deliveries"), {"employees": employees, "functions": functions}
        )
    assert response.status_code == 202, response.content
    delay.assert_called_once()
    api_services.run_delivery(delivery_id=response.json()["id"])
    report = caller.get(response["Location"]).json()
    assert report["status"] == "done"
    assert report["offboarded"] == 1
    assert report["rejected"] == 1
    rows = caller.get(report["rejections"]).json()["results"]
    assert rows == [{"file": "functions.csv", "line": 4, "reason": "code and name are required"}]
    run = Delivery.objects.get().organisation_import
    assert run.acting_user == caller.account.user
    assert (
        not world.user(Role.INVESTIGATOR)
        .__class__.objects.get(pk=world.user(Role.INVESTIGATOR).pk)
        .is_active
    )


def test_an_hr_file_without_its_columns_is_refused_at_once(api_caller, world, tmp_path) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    path = tmp_path / "employees.csv"
    path.write_text("employee_id,first_name\n1,A\n")
    with path.open("rb") as stream:
        response = caller.post(reverse("api:hr_deliveries"), {"employees": stream})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["file"], error["line"]) == ("employees.csv", 1)
    assert "last_name" in error["reason"]
    assert not Delivery.objects.exists()
