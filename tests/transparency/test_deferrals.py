"""Disclosure deferrals: who may defer, for how long, and that it is audited and ends."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from vik.models import Notification
from vik.roles import Role
from vik.transparency import services
from vik.transparency.core import ACCESS_LOG_CATEGORY, EMPLOYEE_RECORD_CATEGORY
from vik.transparency.disclosure import deferral_set, is_disclosure_deferred
from vik.transparency.models import DisclosureDeferral
from vik.transparency.registry import ObjectRef
from vik.transparency.selectors import deferrals_visible_to

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today in Amsterdam, read when the test runs (not at import: a run may cross midnight)."""
    return timezone.localdate()


def defer(world: World, **kwargs: object) -> DisclosureDeferral:
    values: dict[str, object] = {
        "employee": world.subject,
        "category": ACCESS_LOG_CATEGORY,
        "reason": "Heimelijk onderzoek",
        "ends_on": today() + datetime.timedelta(days=30),
        "acting_user": world.user(Role.VIK_HEAD),
    }
    values.update(kwargs)
    return services.defer_disclosure(**values)  # type: ignore[arg-type]


def test_the_commissioner_defers_with_a_reason_and_the_officer_is_told(world: World) -> None:
    deferral = defer(world)
    assert deferral.is_active()
    record = deferral.history.get()
    assert record.history_user == world.user(Role.VIK_HEAD)
    assert record.history_change_reason == "Heimelijk onderzoek"
    assert Notification.objects.filter(recipient=world.user(Role.PRIVACY_OFFICER)).exists()
    assert not Notification.objects.filter(recipient=world.subject.user).exists()
    assert is_disclosure_deferred(employee=world.subject, category=ACCESS_LOG_CATEGORY)


@pytest.mark.parametrize(
    "role", [Role.INVESTIGATOR, Role.PRIVACY_OFFICER, Role.ANALYST, Role.EMPLOYEE, Role.COR_MEMBER]
)
def test_only_the_commissioner_may_defer(world: World, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        defer(world, acting_user=world.user(role))


def test_only_for_employees_of_the_units_they_head(world: World) -> None:
    with pytest.raises(PermissionDenied):
        defer(world, employee=world.outsider)  # Den Haag: not headed by this commissioner
    with pytest.raises(PermissionDenied):
        defer(world, employee=world.employee_of(Role.VIK_HEAD))  # never about oneself


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": "  "}, "reden"),
        ({"ends_on": 0}, "toekomst"),  # days from today, resolved when the test runs
        ({"ends_on": 184}, "hooguit 183 dagen"),
        ({"category": "nope"}, "Onbekende categorie"),
        (
            {"category": EMPLOYEE_RECORD_CATEGORY, "object_ref": ObjectRef("cases.case", "1")},
            "hoort niet bij",
        ),
    ],
)
def test_deferral_rules(world: World, kwargs: dict, message: str) -> None:
    if isinstance(kwargs.get("ends_on"), int):
        kwargs = kwargs | {"ends_on": today() + datetime.timedelta(days=kwargs["ends_on"])}
    with pytest.raises(ValidationError, match=message):
        defer(world, **kwargs)


def test_extension_and_lifting_are_audited(world: World) -> None:
    deferral = defer(world)
    head = world.user(Role.VIK_HEAD)
    with pytest.raises(ValidationError, match="later"):
        services.extend_deferral(
            deferral=deferral, ends_on=deferral.ends_on, reason="x", acting_user=head
        )
    later = today() + datetime.timedelta(days=90)
    services.extend_deferral(
        deferral=deferral, ends_on=later, reason="Onderzoek loopt door", acting_user=head
    )
    services.lift_deferral(deferral=deferral, reason="Betrokkene is geïnformeerd", acting_user=head)
    deferral.refresh_from_db()
    assert not deferral.is_active()
    reasons = list(
        deferral.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Heimelijk onderzoek", "Onderzoek loopt door", "Betrokkene is geïnformeerd"]
    with pytest.raises(ValidationError, match="beëindigd"):
        services.lift_deferral(deferral=deferral, reason="nogmaals", acting_user=head)
    assert not is_disclosure_deferred(employee=world.subject, category=ACCESS_LOG_CATEGORY)


def test_the_privacy_officer_cannot_extend_or_lift(world: World) -> None:
    deferral = defer(world)
    with pytest.raises(PermissionDenied):
        services.lift_deferral(
            deferral=deferral, reason="x", acting_user=world.user(Role.PRIVACY_OFFICER)
        )


def test_an_expired_deferral_ends_and_the_employee_is_told(
    world: World, django_capture_on_commit_callbacks
) -> None:
    employee = world.employee_of(Role.EMPLOYEE)  # has a login, so can be told
    deferral = defer(world, employee=employee)
    later = deferral.ends_on + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.end_expired_deferrals(today=later) == 1
        assert services.end_expired_deferrals(today=later) == 0  # idempotent
    deferral.refresh_from_db()
    assert deferral.lifted_at is not None
    assert deferral.lifted_by is None
    note = Notification.objects.get(recipient=world.user(Role.EMPLOYEE))
    assert note.url == reverse("transparency:my_data")
    assert "Mijn gegevens" in note.subject


def test_the_commissioner_is_reminded_once(world: World) -> None:
    deferral = defer(world)
    before = deferral.ends_on - datetime.timedelta(days=3)
    assert services.remind_deferrals_ending(today=before) == 1
    assert services.remind_deferrals_ending(today=before) == 0
    assert Notification.objects.filter(recipient=world.user(Role.VIK_HEAD)).count() == 1


def test_who_sees_deferrals(world: World) -> None:
    deferral = defer(world)
    assert deferral in deferrals_visible_to(user=world.user(Role.PRIVACY_OFFICER))
    assert deferral in deferrals_visible_to(user=world.user(Role.VIK_HEAD))
    for role in (Role.EMPLOYEE, Role.INVESTIGATOR, Role.COR_MEMBER, Role.ANALYST):
        assert not deferrals_visible_to(user=world.user(role)).exists()


def test_the_deferral_set_ignores_ended_ones(world: World) -> None:
    defer(world, ends_on=today() + datetime.timedelta(days=5))
    assert deferral_set(world.subject).covers(ACCESS_LOG_CATEGORY)
    assert not deferral_set(world.subject, today=today() + datetime.timedelta(days=6)).covers(
        ACCESS_LOG_CATEGORY
    )


def test_the_form_only_accepts_employees_in_scope(world: World, client_for) -> None:
    client = client_for(Role.VIK_HEAD)
    data = {
        "employee": world.outsider.personnel_number,
        "category": ACCESS_LOG_CATEGORY,
        "reason": "x",
        "ends_on": (today() + datetime.timedelta(days=10)).isoformat(),
    }
    response = client.post(reverse("transparency:deferral_create"), data)
    assert response.status_code == 200
    assert not DisclosureDeferral.objects.exists()
    data["employee"] = world.subject.personnel_number
    response = client.post(reverse("transparency:deferral_create"), data)
    assert response.status_code == 302
    assert DisclosureDeferral.objects.get().employee == world.subject


def test_the_list_query_count_is_bounded_and_each_look_logged(
    world: World, client_for, django_assert_max_num_queries
) -> None:
    defer(world)
    defer(world, employee=world.colleague)
    client = client_for(Role.PRIVACY_OFFICER)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("transparency:deferral_list"))
    assert world.subject.personnel_number in response.content.decode()
    from vik.models import AccessLogEntry

    logged = set(AccessLogEntry.objects.values_list("employee_id", flat=True))
    assert logged == {world.subject.pk, world.colleague.pk}
