"""Mijn gegevens: what VIK holds about me, and who looked at my data."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from vik.models import AccessAction, AccessLogEntry, Employee
from vik.roles import Role
from vik.transparency import services
from vik.transparency.core import ACCESS_LOG_CATEGORY, EMPLOYEE_RECORD_CATEGORY
from vik.transparency.models import PrivacySettings
from vik.transparency.registry import (
    DisclosureCategory,
    ObjectRef,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    Provider,
)
from vik.transparency.selectors import describe_accesses, disclosed_access_log

pytestmark = pytest.mark.django_db

URL = reverse("transparency:my_data")


def me(world: World) -> Employee:
    return world.employee_of(Role.EMPLOYEE)


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_employee_sees_who_looked_by_role_then_by_name(
    world: World, client_for, log_entry
) -> None:
    log_entry(role=Role.TEAM_CHIEF, employee=me(world), when=ago(60), purpose="Gesprek")
    log_entry(role=Role.INVESTIGATOR, employee=me(world), when=ago(2))
    log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=ago(2))  # someone else
    response = client_for(Role.EMPLOYEE).get(URL)
    assert response.status_code == 200
    looks = response.context["looks"]
    assert [look.role_label for look in looks] == [
        str(Role.INVESTIGATOR.label),
        str(Role.TEAM_CHIEF.label),
    ]
    # A look outside any matter counts as closed after 30 days (the default): then the name.
    recent, old = looks
    assert recent.name is None
    assert recent.purpose is None
    assert old.name == world.user(Role.TEAM_CHIEF).get_username()  # no full name in tests
    assert old.purpose == "Gesprek"
    body = response.content.decode()
    assert str(Role.TEAM_CHIEF.label) in body


def test_viewing_my_data_is_itself_logged_and_not_listed(world: World, client_for) -> None:
    client = client_for(Role.EMPLOYEE)
    client.get(URL)
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.action, entry.employee_id) == (
        world.user(Role.EMPLOYEE),
        Role.EMPLOYEE.value,
        AccessAction.VIEW,
        me(world).pk,
    )
    assert client.get(URL).context["looks"] == []  # my own looks are not "someone looked"


def test_the_privacy_officer_decides_about_names(world: World, log_entry) -> None:
    log_entry(role=Role.INVESTIGATOR, employee=me(world), when=ago(1))
    log_entry(role=Role.TEAM_CHIEF, employee=me(world), when=ago(90))
    entries = list(disclosed_access_log(employee=me(world)))
    settings = PrivacySettings.current()
    for policy, expected in [
        (PrivacySettings.NameDisclosure.ROLE_ONLY, [False, False]),
        (PrivacySettings.NameDisclosure.WHEN_CLOSED, [False, True]),
        (PrivacySettings.NameDisclosure.ALWAYS, [True, True]),
    ]:
        settings.name_disclosure = policy
        looks = describe_accesses(entries, employee=me(world), settings=settings)
        assert [look.name is not None for look in looks] == expected, policy


def test_settings_changes_are_kept_with_their_reason(world: World) -> None:
    services.update_privacy_settings(
        name_disclosure="role_only",
        unclaimed_after_days=10,
        max_deferral_days=90,
        acting_user=world.user(Role.PRIVACY_OFFICER),
        reason="Besluit FG",
    )
    record = PrivacySettings.history.get()
    assert record.history_change_reason == "Besluit FG"
    assert record.history_user == world.user(Role.PRIVACY_OFFICER)
    assert PrivacySettings.current().name_disclosure == "role_only"


def test_a_matter_is_closed_when_its_app_says_so(world: World, log_entry, only_providers) -> None:
    """Names follow the owning app's answer, not the age, for objects an app claims."""
    closed = ObjectRef("fake.signal", "1")
    fake = Provider(
        "fake",
        disclosure_categories=(
            DisclosureCategory("fake.signals", "Signals", object_types=("fake.signal",)),
        ),
        closed_matters=lambda employee, refs: {closed},
    )
    only_providers(fake)
    log_entry(
        role=Role.ANALYST, employee=me(world), when=ago(1), object_type="fake.signal", object_id="1"
    )
    log_entry(
        role=Role.ANALYST,
        employee=me(world),
        when=ago(400),
        object_type="fake.signal",
        object_id="2",
    )
    looks = describe_accesses(list(disclosed_access_log(employee=me(world))), employee=me(world))
    assert [look.name is not None for look in looks] == [True, False]


def test_a_deferral_hides_what_it_covers(world: World, log_entry, only_providers) -> None:
    fake = Provider(
        "fake",
        disclosure_categories=(
            DisclosureCategory("fake.cases", "Cases", object_types=("fake.case",)),
            DisclosureCategory(ACCESS_LOG_CATEGORY, "Who looked"),
            DisclosureCategory(EMPLOYEE_RECORD_CATEGORY, "Record", object_types=("vik.employee",)),
        ),
    )
    only_providers(fake)
    employee = world.subject
    log_entry(
        role=Role.INVESTIGATOR,
        employee=employee,
        when=ago(3),
        object_type="fake.case",
        object_id="5",
    )
    log_entry(
        role=Role.INVESTIGATOR,
        employee=employee,
        when=ago(3),
        object_type="fake.case",
        object_id="6",
    )
    log_entry(role=Role.INVESTIGATOR, employee=employee, when=ago(3), object_type="vik.employee")
    head = world.user(Role.VIK_HEAD)
    soon = timezone.localdate() + datetime.timedelta(days=30)

    def visible() -> list[tuple[str, str]]:
        return sorted(
            disclosed_access_log(employee=employee).values_list("object_type", "object_id")
        )

    assert len(visible()) == 3
    services.defer_disclosure(
        employee=employee,
        category="fake.cases",
        object_ref=ObjectRef("fake.case", "5"),
        reason="heimelijk",
        ends_on=soon,
        acting_user=head,
    )
    assert visible() == [("fake.case", "6"), ("vik.employee", "1")]
    services.defer_disclosure(
        employee=employee,
        category=EMPLOYEE_RECORD_CATEGORY,
        reason="heimelijk",
        ends_on=soon,
        acting_user=head,
    )
    assert visible() == [("fake.case", "6")]
    services.defer_disclosure(
        employee=employee,
        category=ACCESS_LOG_CATEGORY,
        reason="heimelijk",
        ends_on=soon,
        acting_user=head,
    )
    assert visible() == []


def test_providers_sections_are_shown_and_deferrals_passed_on(
    world: World, client_for, only_providers
) -> None:
    asked: list[OwnDataRequest] = []

    def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
        asked.append(request)
        return [
            OwnDataSection(
                "fake.screening",
                "fake.screening",
                "Screening",
                "Your screening status.",
                (OwnDataItem("Periodieke screening: afgerond"),),
            )
        ]

    only_providers(Provider("fake", own_data=own_data))
    response = client_for(Role.EMPLOYEE).get(URL)
    assert "Periodieke screening: afgerond" in response.content.decode()
    assert asked[0].employee == me(world)
    assert asked[0].audience.value == "overview"


def test_the_page_query_count_is_bounded(
    world: World, client_for, log_entry, django_assert_max_num_queries
) -> None:
    for days in range(40):
        log_entry(role=Role.INVESTIGATOR, employee=me(world), when=ago(days + 1))
    client = client_for(Role.EMPLOYEE)
    # 25, two for prevention's own data (session requests, advice questions), and one for
    # what a legal hold keeps of the employee (monitoring).
    with django_assert_max_num_queries(28):
        response = client.get(URL)
    assert len(response.context["looks"]) == 25  # one page
    with django_assert_max_num_queries(28):
        client.get(URL, {"page": 2}, HTTP_HX_REQUEST="true")
