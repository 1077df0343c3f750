"""Issue 11, point 2: the union's "1 to 6 months" for access events and dismissed signals is
enforced by the model, the database, the administrator's form and the service; categories
that follow the access events have no period of their own; the privacy officer sees how many
events each legal hold keeps in the hold store."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from monitoring.models import HeldAccessEvent
from monitoring.periods import day_start
from tests.conftest import World
from tests.transparency.conftest import TODAY
from vik.roles import Role
from vik.transparency import services, tasks
from vik.transparency.forms import RetentionPolicyForm
from vik.transparency.models import PurgeRecord, RetentionPolicy
from vik.transparency.registry import get_registry
from vik.transparency.report import purge_summary
from vik.transparency.retention import (
    SHORT_RETENTION_CATEGORIES,
    SHORT_RETENTION_MONTHS,
    max_retention_months,
)

pytestmark = pytest.mark.django_db

EVENTS = "monitoring.access_events"
DISMISSED = "monitoring.dismissed_signals"


def test_the_capped_categories_are_the_registrys() -> None:
    """The database constraint's list and the registry's maxima agree."""
    capped = {
        c.key
        for c in get_registry().retention_categories()
        if c.max_months <= SHORT_RETENTION_MONTHS and not c.follows
    }
    assert capped == set(SHORT_RETENTION_CATEGORIES)
    assert max_retention_months(EVENTS) == 6
    assert max_retention_months("vik.access_log") == 600


@pytest.mark.parametrize("category", [EVENTS, DISMISSED])
def test_the_model_refuses_more_than_six_months_with_the_reason(category: str) -> None:
    RetentionPolicy(category=category, period_months=6).full_clean()
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        RetentionPolicy(category=category, period_months=7).full_clean()
    assert "6 maanden" in str(refused.value.message_dict["period_months"])
    # Other categories keep their 1 to 600.
    RetentionPolicy(category="vik.access_log", period_months=120).full_clean()


def test_the_database_refuses_more_than_six_months() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.create(category=EVENTS, period_months=12)
    RetentionPolicy.objects.create(category="vik.access_log", period_months=120)


def test_the_form_refuses_more_than_six_months() -> None:
    form = RetentionPolicyForm(
        data={"period_months": 7, "reason": "Langer bewaren"},
        instance=RetentionPolicy(category=EVENTS, period_months=6),
    )
    assert not form.is_valid()
    assert "period_months" in form.errors
    assert 'max="6"' in str(form["period_months"])


def test_the_administrators_page_refuses_more_than_six_months(world: World, client_for) -> None:
    url = reverse("transparency:retention_edit", args=[EVENTS])
    response = client_for(Role.ADMINISTRATOR).post(
        url, {"period_months": 12, "reason": "Langer bewaren"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "vakorganisaties" in response.content.decode()
    assert not RetentionPolicy.objects.filter(category=EVENTS).exists()


@pytest.mark.parametrize("category", [EVENTS, DISMISSED])
def test_the_service_refuses_more_than_six_months(world: World, category: str) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="6"):
        services.set_retention_policy(
            category=category,
            period_months=7,
            legal_hold=False,
            acting_user=admin,
            reason="Langer bewaren",
        )
    assert not RetentionPolicy.objects.filter(category=category).exists()
    policy = services.set_retention_policy(
        category=category, period_months=3, legal_hold=False, acting_user=admin, reason="Korter"
    )
    assert policy.history.first().history_change_reason == "Korter"  # type: ignore[union-attr]


def test_following_categories_have_no_period_of_their_own(world: World, client_for) -> None:
    followers = [c for c in get_registry().retention_categories() if c.follows]
    assert {c.key for c in followers} == {
        "monitoring.unreviewed_signals",
        "monitoring.evidence_copies",
    }
    with pytest.raises(ValidationError):
        services.set_retention_policy(
            category="monitoring.unreviewed_signals",
            period_months=3,
            legal_hold=False,
            acting_user=world.user(Role.ADMINISTRATOR),
            reason="-",
        )
    url = reverse("transparency:retention_edit", args=["monitoring.unreviewed_signals"])
    assert client_for(Role.ADMINISTRATOR).get(url).status_code == 404


def test_the_officer_sees_the_hold_store_counts(world: World, client_for) -> None:
    hold = services.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=world.user(Role.PRIVACY_OFFICER)
    )
    for number in range(3):
        HeldAccessEvent.objects.create(
            hold=hold,
            occurred_at=day_start(TODAY.replace(month=4)),
            event_id=f"ev-{number}",
            employee_number=world.subject.personnel_number,
            employee=world.subject,
            system="BVH",
        )
    assert get_registry().hold_store_counts([hold.pk]) == {hold.pk: 3}
    PurgeRecord.objects.create(
        category="monitoring.access_events",
        cutoff=TODAY,
        purged=7,
        kept_for_hold=3,
        outcome=PurgeRecord.Outcome.PURGED,
    )
    page = client_for(Role.PRIVACY_OFFICER).get(reverse("transparency:retention"))
    assert page.context["holds"] == [(hold, 3, "")]
    # People read the category's name, not its key.
    with translation.override("en"):
        assert [str(label) for _record, label in page.context["records"]] == [
            "Imported access events of the police systems"
        ]
    assert "<code>monitoring.access_events</code>" not in page.content.decode()


def test_the_new_categories_appear_in_the_reports_purge_section() -> None:
    PurgeRecord.objects.create(
        category="monitoring.unreviewed_signals",
        cutoff=TODAY,
        purged=4,
        outcome=PurgeRecord.Outcome.PURGED,
    )
    with translation.override("en"):
        summary = purge_summary(list(PurgeRecord.objects.all()))
    assert [(label, runs) for label, runs, _figure in summary] == [
        ("Signals nobody reviewed, with their evidence", 1)
    ]


def test_releasing_a_hold_queues_the_retention_run(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    """The hold store's expired copies go right after the release, not only the next night."""
    calls: list[str] = []
    monkeypatch.setattr(tasks.purge_expired_data, "delay", lambda: calls.append("run"))
    officer = world.user(Role.PRIVACY_OFFICER)
    hold = services.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=officer
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.release_legal_hold(hold=hold, reason="Uitspraak", acting_user=officer)
    assert calls == ["run"]


def test_a_longer_stored_period_is_brought_back_to_six_with_history() -> None:
    """The data migration (transparency 0004): before the constraint existed, a longer period
    could be stored; it becomes six, and the history says why."""
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module(
        "vik.transparency.migrations.0004_retention_caps_and_hold_counts"
    )
    with connection.cursor() as cursor:  # as it was before (rolled back with the test)
        cursor.execute(
            "ALTER TABLE transparency_retentionpolicy DROP CONSTRAINT retention_period_within_cap"
        )
    policy = RetentionPolicy.objects.create(category=EVENTS, period_months=24)
    other = RetentionPolicy.objects.create(category="vik.access_log", period_months=120)
    migration.clamp(apps, None)
    policy.refresh_from_db()
    other.refresh_from_db()
    assert (policy.period_months, other.period_months) == (6, 120)
    latest = policy.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.period_months == 6
    assert "6 maanden" in (latest.history_change_reason or "")
