"""The access log: written on every look, and append-only down to the database."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from vik import services
from vik.models import AccessAction, AccessChannel, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


def test_viewing_an_employee_page_writes_one_entry(world: World, client_for) -> None:
    client = client_for(Role.INVESTIGATOR)
    response = client.get(
        reverse("vik:employee_detail", args=[world.subject.pk]),
        HTTP_X_REQUEST_ID="req-12345678",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.actor == world.user(Role.INVESTIGATOR)
    assert entry.actor_username == "investigator"
    assert entry.actor_role == Role.INVESTIGATOR
    assert entry.action == AccessAction.VIEW
    assert entry.employee_id == world.subject.pk
    assert entry.object_type == "vik.employee"
    assert entry.object_id == str(world.subject.pk)
    assert entry.request_id == "req-12345678"
    assert entry.client_address == "10.1.2.3"
    assert entry.channel == AccessChannel.WEB
    assert response["X-Request-ID"] == "req-12345678"


def test_a_hidden_employee_writes_nothing(world: World, client_for) -> None:
    response = client_for(Role.TEAM_CHIEF).get(
        reverse("vik:employee_detail", args=[world.outsider.pk])
    )
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_search_logs_every_employee_shown(world: World, client_for) -> None:
    response = client_for(Role.VIK_HEAD).get(reverse("vik:employee_list"), {"q": "Subject"})
    assert response.status_code == 200
    entries = AccessLogEntry.objects.all()
    assert [(e.action, e.employee_id, e.query) for e in entries] == [
        (AccessAction.SEARCH, world.subject.pk, "q=Subject")
    ]


def test_consulting_the_log_is_logged(world: World, client_for) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    client.get(reverse("vik:access_log"), {"employee": world.subject.personnel_number})
    entry = AccessLogEntry.objects.get()
    assert entry.object_type == "vik.accesslogentry"
    assert entry.employee_id == world.subject.pk
    assert entry.actor_role == Role.PRIVACY_OFFICER


def _one_entry(world: World) -> AccessLogEntry:
    return services.record_access(
        actor=world.user(Role.VIK_HEAD),
        action=AccessAction.VIEW,
        role=Role.VIK_HEAD,
        employee=world.subject,
        object_type="vik.employee",
    )


def test_the_model_refuses_update_and_delete(world: World) -> None:
    entry = _one_entry(world)
    entry.purpose = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().update(purpose="x")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE vik_accesslogentry SET purpose = 'tampered'",
        "DELETE FROM vik_accesslogentry",
    ],
)
def test_the_database_refuses_update_and_delete(world: World, statement: str) -> None:
    _one_entry(world)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLogEntry.objects.filter(purpose="").count() == 1


def test_only_the_retention_purge_may_delete(world: World) -> None:
    old = _one_entry(world)
    recent = _one_entry(world)
    # Backdate one entry the only way possible: as the database owner, trigger disabled.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE vik_accesslogentry DISABLE TRIGGER vik_access_log_append_only")
        cursor.execute(
            "UPDATE vik_accesslogentry SET occurred_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=4000), old.pk],
        )
        cursor.execute("ALTER TABLE vik_accesslogentry ENABLE TRIGGER vik_access_log_append_only")
    record = services.purge_access_log(cutoff=timezone.localdate() - datetime.timedelta(days=3650))
    assert record is not None
    assert (record.category, record.purged) == ("vik.access_log", 1)
    assert list(AccessLogEntry.objects.values_list("id", flat=True)) == [recent.pk]
    # The permission does not outlive the purge, even inside an enclosing transaction.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM vik_accesslogentry")
    # The old session flag opens nothing any more, not even for the owner.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL vik.retention_purge = 'on'")
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("DELETE FROM vik_accesslogentry")
    # A cut-off younger than the retention period (five years) is refused by the database.
    with pytest.raises(DatabaseError, match="younger than the retention period"):
        services.purge_access_log(cutoff=timezone.localdate() - datetime.timedelta(days=30))
