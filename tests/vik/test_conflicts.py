"""The conflict-of-interest register: who may end an entry, and why it is no staff
directory and no pseudonym oracle."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.review_factories import make_signal
from vik import services
from vik.models import AccessAction, AccessLogEntry, ConflictOfInterest, Notification
from vik.roles import Role
from vik.selectors import employees_visible_to, excluded_employee_ids
from vik.transparency.selectors import disclosed_access_log

pytestmark = pytest.mark.django_db


# --- ending an entry ---------------------------------------------------------------------------


def _registered_about(world: World, role: Role, *, by: Role = Role.PRIVACY_OFFICER):
    return services.declare_conflict(
        user=world.user(role),
        employee=world.subject,
        reason="Zwager van de betrokkene",
        acting_user=world.user(by),
    )


def test_a_person_cannot_end_an_entry_a_keeper_registered_about_them(
    world: World, client_for
) -> None:
    conflict = _registered_about(world, Role.INVESTIGATOR)
    client = client_for(Role.INVESTIGATOR)
    page = client.get(reverse("vik:conflict_list")).content.decode()
    assert reverse("vik:conflict_end", args=[conflict.pk]) not in page
    assert "alleen te beëindigen door de privacyfunctionaris of het hoofd VIK" in page
    response = client.post(reverse("vik:conflict_end", args=[conflict.pk]), {"reason": "klaar"})
    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.is_active
    with pytest.raises(PermissionDenied):
        services.end_conflict(
            conflict=conflict, acting_user=world.user(Role.INVESTIGATOR), reason="klaar"
        )
    # The person still sees nothing about the employee.
    assert world.subject.pk in set(
        excluded_employee_ids(user=world.user(Role.INVESTIGATOR)).values_list("id", flat=True)
    )


def test_a_keeper_cannot_end_an_entry_another_keeper_registered_about_them(
    world: World,
) -> None:
    conflict = _registered_about(world, Role.VIK_HEAD, by=Role.PRIVACY_OFFICER)
    with pytest.raises(PermissionDenied):
        services.end_conflict(
            conflict=conflict, acting_user=world.user(Role.VIK_HEAD), reason="klaar"
        )


def test_keepers_end_registered_entries_and_people_their_own_recusals(
    world: World, client_for
) -> None:
    registered = _registered_about(world, Role.INVESTIGATOR)
    response = client_for(Role.VIK_HEAD).post(
        reverse("vik:conflict_end", args=[registered.pk]), {"reason": "Verhuisd"}
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert not registered.is_active

    analyst = world.user(Role.ANALYST)
    own = services.declare_conflict(
        user=analyst, employee=world.colleague, reason="buurman", acting_user=analyst
    )
    response = client_for(Role.ANALYST).post(
        reverse("vik:conflict_end", args=[own.pk]), {"reason": "verhuisd"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.is_active


# --- no directory, no oracle -------------------------------------------------------------------


def _declare(client, number: str, reason: str = "Mijn zus"):
    return client.post(
        reverse("vik:conflict_create"), {"personnel_number": number, "reason": reason}, follow=True
    )


def test_declaring_shows_no_name_and_the_same_answer_for_any_number(
    world: World, client_for
) -> None:
    # The analyst may not look up employees: the register must not become their directory.
    client = client_for(Role.ANALYST)
    existing = _declare(client, world.outsider.personnel_number).content.decode()
    missing = _declare(client, "999999").content.decode()
    for page in (existing, missing):
        assert "Het belangenconflict is geregistreerd voor personeelsnummer" in page
    assert world.outsider.last_name not in existing
    assert world.outsider.first_name not in existing
    assert "Er is geen medewerker" not in missing  # no "this number does not exist"
    # The message is word for word the same, but for the number itself.
    assert _message(existing).replace(world.outsider.personnel_number, "N") == _message(
        missing
    ).replace("999999", "N")
    # Both are stored, as typed.
    entries = ConflictOfInterest.objects.filter(user=world.user(Role.ANALYST))
    assert set(entries.values_list("personnel_number", flat=True)) == {
        world.outsider.personnel_number,
        "999999",
    }


def _message(page: str) -> str:
    start = page.index('<div class="alert')
    return page[start : page.index("</div>", start)]


def test_a_number_declared_before_it_exists_hides_the_employee_it_comes_to_mean(
    world: World,
) -> None:
    analyst = world.user(Role.ANALYST)
    services.declare_conflict(
        user=analyst, personnel_number="777777", reason="nieuwe buurman", acting_user=analyst
    )
    newcomer = EmployeeFactory(personnel_number="777777", unit=world.units["AM"])
    assert newcomer.pk in set(excluded_employee_ids(user=analyst).values_list("id", flat=True))


def test_every_look_up_is_logged_and_hidden_from_the_employee(world: World) -> None:
    analyst = world.user(Role.ANALYST)
    services.declare_conflict(
        user=analyst,
        personnel_number=world.outsider.personnel_number,
        reason="zus",
        acting_user=analyst,
    )
    services.declare_conflict(
        user=analyst, personnel_number="999999", reason="zus", acting_user=analyst
    )
    entries = AccessLogEntry.objects.filter(object_type="vik.conflictofinterest")
    assert {(e.action, e.employee_id, e.query) for e in entries} == {
        (AccessAction.SEARCH, world.outsider.pk, world.outsider.personnel_number),
        (AccessAction.SEARCH, None, "999999"),
    }
    assert {e.actor_role for e in entries} == {Role.ANALYST}
    # The employee's own view of who looked at them must not tell them who recused.
    assert not disclosed_access_log(employee=world.outsider).filter(
        object_type="vik.conflictofinterest"
    )


def test_the_register_shows_names_only_to_those_who_could_look_them_up(
    world: World, client_for
) -> None:
    analyst = world.user(Role.ANALYST)
    services.declare_conflict(
        user=analyst, employee=world.subject, reason="zwager", acting_user=analyst
    )
    # The head of VIK may look the subject up (they head AM): the register names them.
    head_page = client_for(Role.VIK_HEAD).get(reverse("vik:conflict_list")).content.decode()
    assert world.subject.full_name in head_page
    assert world.subject in employees_visible_to(user=world.user(Role.VIK_HEAD))
    # The privacy officer keeps the register but has no directory: the number only.
    officer_page = (
        client_for(Role.PRIVACY_OFFICER).get(reverse("vik:conflict_list")).content.decode()
    )
    assert world.subject.personnel_number in officer_page
    assert world.subject.last_name not in officer_page
    # The declarer: their own number as typed, never the name.
    own_page = client_for(Role.ANALYST).get(reverse("vik:conflict_list")).content.decode()
    assert world.subject.personnel_number in own_page
    assert world.subject.last_name not in own_page
    # Each page of the register is a look at the employees on it.
    looks = AccessLogEntry.objects.filter(
        object_type="vik.conflictofinterest", action=AccessAction.SEARCH, query=""
    )
    assert {(e.actor_username, e.employee_id) for e in looks} == {
        (user, world.subject.pk) for user in ("vik_head", "privacy_officer", "analyst")
    }


def test_a_recusal_that_hides_a_pseudonymised_signal_is_logged_as_a_reveal(
    world: World,
) -> None:
    analyst = world.user(Role.ANALYST)
    signal = make_signal(world.subject)
    services.declare_conflict(
        user=analyst,
        personnel_number=world.subject.personnel_number,
        reason="Mijn zwager",
        acting_user=analyst,
    )
    entry = AccessLogEntry.objects.get(object_type="vik.conflictofinterest")
    assert (entry.action, entry.employee_id) == (AccessAction.REVEAL, world.subject.pk)
    assert "1 gepseudonimiseerd(e) item(s) verborgen" in entry.purpose
    assert "Mijn zwager" in entry.purpose
    # The privacy officer is told; the recusal takes effect at once.
    officer = world.user(Role.PRIVACY_OFFICER)
    assert Notification.objects.filter(
        recipient=officer, subject__contains="verborg gepseudonimiseerde gegevens"
    ).exists()
    from monitoring.selectors import signals_visible_to

    assert not signals_visible_to(user=analyst).filter(pk=signal.pk).exists()


def test_a_keeper_registering_for_someone_else_reveals_nothing_to_themself(
    world: World,
) -> None:
    make_signal(world.subject)
    services.declare_conflict(
        user=world.user(Role.ANALYST),
        employee=world.subject,
        reason="zwager",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    entry = AccessLogEntry.objects.get(object_type="vik.conflictofinterest")
    assert (entry.action, entry.actor_role) == (AccessAction.SEARCH, Role.PRIVACY_OFFICER)


def test_the_keepers_choice_of_users_is_not_every_account(world: World, client_for) -> None:
    page = client_for(Role.PRIVACY_OFFICER).get(reverse("vik:conflict_create")).content.decode()
    assert ">analyst<" in page
    assert ">employee<" not in page  # an account with only the employee role
    assert ">cor_member<" not in page
