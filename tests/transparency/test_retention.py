"""Retention: expired data is purged nightly, a legal hold stops it, and every purge leaves a
record (category, count, when, cutoff — no content). The access log can only be purged
through the core's one service."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.conftest import World
from tests.transparency.conftest import TODAY, at
from vik.models import AccessLogEntry
from vik.roles import Role
from vik.transparency import services, tasks
from vik.transparency.models import AccessRequest, PurgeRecord
from vik.transparency.registry import Provider, PurgeRequest, RetentionCategory
from vik.transparency.retention import retention_table_markdown

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def old_and_new(world: World, log_entry) -> None:
    """Access-log entries of six years ago, of four years ago and of last week."""
    for day in (D(2020, 6, 1), D(2022, 6, 1), D(2026, 11, 13)):
        log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=at(day))


def test_the_access_log_is_purged_after_five_years_with_a_record(old_and_new: None) -> None:
    records = services.run_retention(today=TODAY)
    assert [(r.category, r.purged, r.cutoff, r.outcome) for r in records] == [
        ("vik.access_log", 1, D(2021, 11, 20), PurgeRecord.Outcome.PURGED)
    ]
    assert AccessLogEntry.objects.count() == 2
    # Idempotent: what is gone stays gone, and no empty record is written.
    assert services.run_retention(today=TODAY) == []
    assert PurgeRecord.objects.count() == 1


def test_the_administrator_sets_the_period_with_history(world: World, old_and_new: None) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    policy = services.set_retention_policy(
        category="vik.access_log",
        period_months=36,
        legal_hold=False,
        acting_user=admin,
        reason="COR-besluit",
    )
    assert policy.history.get().history_change_reason == "COR-besluit"
    records = services.run_retention(today=TODAY)
    assert records[0].purged == 2
    assert records[0].cutoff == D(2023, 11, 20)
    with pytest.raises(PermissionDenied):
        services.set_retention_policy(
            category="vik.access_log",
            period_months=1,
            legal_hold=False,
            acting_user=world.user(Role.PRIVACY_OFFICER),
            reason="x",
        )
    with pytest.raises(ValidationError):
        services.set_retention_policy(
            category="nope", period_months=1, legal_hold=False, acting_user=admin, reason="x"
        )


def test_a_legal_hold_on_the_category_stops_the_purge(world: World, old_and_new: None) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="reden"):
        services.set_retention_policy(
            category="vik.access_log",
            period_months=60,
            legal_hold=True,
            acting_user=admin,
            reason="x",
        )
    services.set_retention_policy(
        category="vik.access_log",
        period_months=60,
        legal_hold=True,
        legal_hold_reason="Onderzoek Autoriteit Persoonsgegevens",
        acting_user=admin,
        reason="AP",
    )
    records = services.run_retention(today=TODAY)
    assert [(r.category, r.outcome, r.purged) for r in records] == [
        ("vik.access_log", PurgeRecord.Outcome.HELD, 0)
    ]
    assert AccessLogEntry.objects.count() == 3
    assert services.run_retention(today=TODAY) == []  # one "held" record a day is enough


def test_a_legal_hold_on_an_employee_keeps_only_their_entries(
    world: World, old_and_new: None, log_entry
) -> None:
    log_entry(role=Role.INVESTIGATOR, employee=world.colleague, when=at(D(2020, 6, 1)))
    officer = world.user(Role.PRIVACY_OFFICER)
    hold = services.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=officer
    )
    records = services.run_retention(today=TODAY)
    # The colleague's old entry goes; the held subject's old entry stays.
    assert [(r.outcome, r.purged) for r in records] == [(PurgeRecord.Outcome.PURGED, 1)]
    assert AccessLogEntry.objects.filter(employee=world.subject).count() == 3
    assert not AccessLogEntry.objects.filter(employee=world.colleague).exists()
    services.release_legal_hold(hold=hold, reason="Uitspraak", acting_user=officer)
    assert services.run_retention(today=TODAY + datetime.timedelta(days=1))[0].purged == 1


def test_purge_functions_get_the_held_employees(world: World, only_providers) -> None:
    asked: list[PurgeRequest] = []

    def purge(request: PurgeRequest) -> int:
        asked.append(request)
        return 4

    only_providers(
        Provider("fake", retention=(RetentionCategory("fake.things", "Things", 6, "", purge),))
    )
    officer = world.user(Role.PRIVACY_OFFICER)
    services.place_legal_hold(
        employee=world.subject, category="fake.things", reason="x", acting_user=officer
    )
    services.place_legal_hold(employee=world.colleague, reason="y", acting_user=officer)
    [record] = services.run_retention(today=TODAY)
    assert asked[0].held_employee_ids == {world.subject.pk, world.colleague.pk}
    assert asked[0].cutoff == D(2026, 5, 20)
    assert asked[0].cutoff_at.tzinfo is not None
    assert (record.category, record.purged) == ("fake.things", 4)


def test_one_failing_category_does_not_stop_the_others(world: World, only_providers) -> None:
    def broken(request: PurgeRequest) -> int:
        raise RuntimeError("disk full")

    only_providers(
        Provider(
            "fake",
            retention=(
                RetentionCategory("fake.a", "A", 6, "", broken),
                RetentionCategory("fake.b", "B", 6, "", lambda request: 2),
                RetentionCategory("fake.c", "C", 6, "", None),  # its app has not landed
            ),
        )
    )
    records = services.run_retention(today=TODAY)
    assert [(r.category, r.outcome) for r in records] == [
        ("fake.a", PurgeRecord.Outcome.FAILED),
        ("fake.b", PurgeRecord.Outcome.PURGED),
    ]
    assert "disk" not in records[0].note  # no content in the record


def test_purge_records_are_append_only(old_and_new: None) -> None:
    [record] = services.run_retention(today=TODAY)
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()


def test_the_access_log_cannot_be_deleted_except_by_the_purge(
    world: World, old_and_new: None
) -> None:
    entry = AccessLogEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    # Past the ORM, the database refuses too (PostgreSQL trigger).
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM vik_accesslogentry")
    assert AccessLogEntry.objects.count() == 3


def test_answered_requests_go_with_their_history(world: World) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    request = services.submit_access_request(
        employee=employee, acting_user=world.user(Role.EMPLOYEE), today=D(2024, 1, 10)
    )
    services.complete_access_request(request=request, acting_user=world.user(Role.PRIVACY_OFFICER))
    assert AccessRequest.history.filter(id=request.pk).exists()
    in_three_years = D.today() + datetime.timedelta(days=3 * 366)
    records = services.run_retention(today=in_three_years)
    assert ("transparency.access_requests", 1) in [(r.category, r.purged) for r in records]
    assert not AccessRequest.objects.exists()
    assert not AccessRequest.history.filter(id=request.pk).exists()


def test_the_task_runs_the_service(old_and_new: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    assert tasks.purge_expired_data() == 1
    assert tasks.purge_expired_data() == 0


def test_the_documented_defaults_are_the_code_defaults() -> None:
    docs = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- retention:start -->\n(.*?)\n<!-- retention:end -->", docs, re.S)
    assert table is not None, "docs/privacy.md lacks the retention markers"
    assert table.group(1).strip() == retention_table_markdown().strip()


def test_the_administrator_sees_periods_but_no_one_under_a_hold(world: World, client_for) -> None:
    services.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=world.user(Role.PRIVACY_OFFICER)
    )
    url = reverse("transparency:retention")
    admin_page = client_for(Role.ADMINISTRATOR).get(url).content.decode()
    assert "vik.access_log" in admin_page
    assert world.subject.personnel_number not in admin_page
    officer_page = client_for(Role.PRIVACY_OFFICER).get(url).content.decode()
    assert world.subject.personnel_number in officer_page
